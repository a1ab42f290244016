"""The project's URLs plus a bare file view of the default storage with byte ranges, for the
browser test of a demo video (the resource pages' own player view is the media pages')."""

import re

from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.urls import path

from casspath.urls import urlpatterns as project_urlpatterns


def stored_file(request, name: str) -> HttpResponse:
    if not default_storage.exists(name):
        raise Http404(name)
    with default_storage.open(name) as stored:
        data = stored.read()
    content_type = "video/webm" if name.endswith(".webm") else "application/octet-stream"
    asked = re.fullmatch(r"bytes=(\d+)-(\d*)", request.headers.get("Range", ""))
    if asked is None:
        response = HttpResponse(data, content_type=content_type)
    else:
        first = int(asked[1])
        last = min(int(asked[2]) if asked[2] else len(data) - 1, len(data) - 1)
        response = HttpResponse(data[first:last + 1], content_type=content_type, status=206)
        response["Content-Range"] = f"bytes {first}-{last}/{len(data)}"
    response["Accept-Ranges"] = "bytes"
    return response


urlpatterns = [*project_urlpatterns, path("test-media/<path:name>", stored_file)]
