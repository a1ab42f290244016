"""A request body larger than any upload casspath takes is refused before it is read, for
everyone, logged in or not: otherwise Django writes the whole body to a temporary file
before a view can say "too large" (a disk-filling denial of service).

`settings.REQUEST_MAX_BYTES` is the largest upload plus room for a form's other fields, for
every route but those marked with `allow_request_bytes`: a route that takes larger files
(a video's upload) names the setting that bounds its own bodies, for logged-in users only
(an anonymous visitor can fetch a CSRF token, and CSRF's check reads a form body before
the login redirect). The limit of a request is therefore its route's and its user's; the
URL is resolved only for a body past the general limit.

The middleware answers a declared Content-Length past the limit with 413; the upload handler
stops a body that turns out longer than it declared (or declared none).
"""

from django.conf import settings
from django.core.files.uploadhandler import FileUploadHandler, StopUpload
from django.urls import Resolver404, resolve

from casspath.core.responses import early_refusal

_LIMIT_ATTRIBUTE = "request_max_bytes_setting"


def allow_request_bytes(setting_name: str):
    """Mark a view whose request bodies may be as large as settings.<setting_name> bytes
    (instead of REQUEST_MAX_BYTES). Decorators built with functools.wraps keep the mark."""

    def mark(view):
        setattr(view, _LIMIT_ATTRIBUTE, setting_name)
        return view

    return mark


def request_limit(request) -> int:
    """The most bytes `request`'s body may hold: its route's limit, else REQUEST_MAX_BYTES."""
    cached = getattr(request, "_casspath_body_limit", None)
    if cached is not None:
        return cached
    limit = settings.REQUEST_MAX_BYTES
    try:
        view = resolve(request.path_info).func
    except Resolver404:
        view = None
    setting_name = getattr(view, _LIMIT_ATTRIBUTE, None)
    # A route's larger limit is for logged-in users (the middleware runs after the session's
    # and auth's, which read no body); an anonymous visitor, who can fetch a CSRF token, would
    # otherwise have a video-sized body read and spooled to disk before the login redirect.
    user = getattr(request, "user", None)
    if setting_name and (user is None or user.is_authenticated):
        limit = max(limit, int(getattr(settings, setting_name)))
    request._casspath_body_limit = limit
    return limit


def _refusal_texts(limit_bytes: int) -> tuple[str, str]:
    limit = limit_bytes // 2**20
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
        if declared > settings.REQUEST_MAX_BYTES and declared > (limit := request_limit(request)):
            return early_refusal(request, 413, *_refusal_texts(limit))
        return self.get_response(request)


class BoundedUploadHandler(FileUploadHandler):
    """First of FILE_UPLOAD_HANDLERS: counts what arrives and stops reading past the limit,
    whatever the body declared. The file is then absent, so the view refuses the form."""

    def __init__(self, request=None):
        super().__init__(request)
        self.received = 0
        self.limit = request_limit(request) if request is not None else settings.REQUEST_MAX_BYTES

    def receive_data_chunk(self, raw_data, start):
        self.received += len(raw_data)
        if self.received > self.limit:
            raise StopUpload(connection_reset=True)
        return raw_data

    def file_complete(self, file_size):
        return None
