"""A stored file served by a view in byte ranges (RFC 9110 §14), so that a phone's player
seeks in a video without downloading what comes before: 200 with Accept-Ranges for the whole
file, 206 with Content-Range for one range, 416 for a range past the end. Django serves no
ranges itself (FileResponse streams whole files), so the parsing is here, once.

The file is read from storage in blocks as the response is sent, never whole into memory.
"""

import hashlib
import re
from collections.abc import Callable
from typing import IO

from django.conf import settings
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseRedirect
from django.http.response import HttpResponseBase

_RANGE = re.compile(r"^\s*bytes\s*=\s*(\d*)\s*-\s*(\d*)\s*$", re.IGNORECASE | re.ASCII)
# Past any file's size: what a longer number stands for (int() refuses over 4,300 digits).
_HUGE = 10**18


def _number(digits: str) -> int:
    digits = digits.lstrip("0") or "0"
    return int(digits) if len(digits) < 19 else _HUGE


class RangeNotSatisfiable(Exception):  # noqa: N818 (an HTTP status, answered as 416)
    """The one range asked for lies wholly past the end of the file."""


def parse_byte_range(header: str | None, size: int) -> tuple[int, int] | None:
    """The byte range a Range `header` asks of a `size`-byte file, as (first, last), both
    included; None to send the whole file: no header, one that is not a single byte range
    (several ranges, another unit, bad syntax: a server may ignore those, RFC 9110 §14.2).
    `bytes=a-b`, `bytes=a-` (to the end) and `bytes=-n` (the last n bytes); a last byte past
    the end is the end. Raises RangeNotSatisfiable when nothing of the file is asked."""
    if not header:
        return None
    match = _RANGE.match(header)
    if match is None:
        return None
    first_text, last_text = match.groups()
    if not first_text:
        if not last_text:
            return None  # "bytes=-": not a range
        suffix = _number(last_text)
        if suffix == 0 or size == 0:
            raise RangeNotSatisfiable(header)
        return max(size - suffix, 0), size - 1
    first = _number(first_text)
    if last_text and _number(last_text) < first:
        return None  # invalid: ignored, as the RFC says
    if first >= size:
        raise RangeNotSatisfiable(header)
    return first, min(_number(last_text), size - 1) if last_text else size - 1


class _Slice:
    """The part of an open file from its position on, `length` bytes long: what FileResponse
    reads block by block (no fileno: a WSGI server's sendfile must not send past the end)."""

    def __init__(self, file: IO[bytes], length: int):
        self.file, self.left = file, length

    def read(self, n: int = -1) -> bytes:
        if self.left <= 0:
            return b""
        data = self.file.read(self.left if n is None or n < 0 else min(n, self.left))
        self.left -= len(data)
        return data

    def close(self) -> None:
        self.file.close()


def ranged_file_response(request: HttpRequest, open_file: Callable[[], IO[bytes]], size: int,
                         content_type: str, *, etag: str = "") -> HttpResponseBase:
    """The answer to a GET or HEAD of a `size`-byte file that `open_file()` opens (a storage's
    `open(name, "rb")`), honouring the request's Range header. A HEAD opens nothing.

    `etag` is the file's strong validator (quoted), sent with each answer; a Range whose
    If-Range is not exactly it (another version, a date, a weak tag) is ignored and the whole
    file sent (RFC 9110 §13.1.5): a part of another version would corrupt the client's copy."""
    range_header = request.headers.get("Range")
    if_range = request.headers.get("If-Range")
    if range_header and if_range is not None and (not etag or if_range.strip() != etag):
        range_header = None
    try:
        byte_range = parse_byte_range(range_header, size)
    except RangeNotSatisfiable:
        refusal = HttpResponse(status=416, content_type=content_type)
        refusal["Content-Range"] = f"bytes */{size}"
        refusal["Accept-Ranges"] = "bytes"
        if etag:
            refusal["ETag"] = etag
        return refusal
    first, last = byte_range if byte_range is not None else (0, size - 1)
    length = last - first + 1 if size else 0
    response: HttpResponseBase
    if request.method == "HEAD":
        response = HttpResponse(content_type=content_type, status=206 if byte_range else 200)
    else:
        file = open_file()
        if first:
            file.seek(first)
        response = FileResponse(_Slice(file, length), content_type=content_type,
                                status=206 if byte_range else 200)
    response["Content-Length"] = str(length)
    response["Accept-Ranges"] = "bytes"
    if etag:
        response["ETag"] = etag
    if byte_range is not None:
        response["Content-Range"] = f"bytes {first}-{last}/{size}"
    return response


def stored_file_response(request: HttpRequest, stored: FieldFile, content_type: str, *,
                         size: int | None = None) -> HttpResponseBase:
    """A model's stored file (`stored`, a FileField's value) answered in byte ranges, for a
    page and for the API alike; `size` when the row knows it (spares the storage a stat).
    404 when the row has no file, or names one the storage lost (a restore without media/)."""
    name = stored.name
    if not name:
        raise Http404("no file")
    storage = stored.storage
    if settings.MEDIA_REDIRECT_TO_STORAGE and request.method == "GET":
        # An S3-compatible bucket answers the ranges itself, by a short-lived signed URL.
        return HttpResponseRedirect(storage.url(name))
    # Each upload is stored under a new name: the name is the version (for If-Range).
    etag = f'"{hashlib.sha256(name.encode()).hexdigest()[:24]}"'
    try:
        return ranged_file_response(request, lambda: storage.open(name, "rb"), size or storage.size(name),
                                    content_type, etag=etag)
    except FileNotFoundError:
        raise Http404("file missing from storage") from None
