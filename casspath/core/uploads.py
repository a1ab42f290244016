"""A request body larger than any upload casspath takes is refused before it is read, for
everyone, logged in or not: otherwise Django writes the whole body to a temporary file
before a view can say "too large" (a disk-filling denial of service).

`settings.REQUEST_MAX_BYTES` is the largest upload plus room for a form's other fields.
The middleware answers a declared Content-Length past it with 413; the upload handler
stops a body that turns out longer than it declared (or declared none).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload

from casspath.core.responses import early_refusal


def _refusal_texts() -> tuple[str, str]:
    limit = settings.REQUEST_MAX_BYTES // 2**20
    return (f"请求过大：上传内容最大约 {limit} MB，未接收任何内容。请拆分文件后分批上传。",
            f"The request is too large: an upload may be about {limit} MB at most; nothing was "
            "received. Split the file and upload the parts.")


class RequestSizeLimitMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        if declared > settings.REQUEST_MAX_BYTES:
            return early_refusal(request, 413, *_refusal_texts())
        return self.get_response(request)


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts what arrives and stops reading past the limit,
    whatever the body declared. The file is then absent, so the view refuses the form."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > settings.REQUEST_MAX_BYTES:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
