"""check_image reads what a file is from its content."""

import io
import zlib

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from casspath.core.filetypes import InvalidUpload, check_image


def _png(width=4, height=3) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (width, height), "white").save(out, "PNG")
    return out.getvalue()


def test_it_reads_a_png_whatever_its_name():
    info = check_image(SimpleUploadedFile("photo.mp4", _png()))
    assert (info.content_type, info.width, info.height) == ("image/png", 4, 3)


def test_it_refuses_text_named_like_an_image():
    with pytest.raises(InvalidUpload, match="not an image") as refused:
        check_image(SimpleUploadedFile("form.png", b"<html>hello</html>"))
    assert "form.png" in refused.value.message_zh


def test_it_refuses_a_truncated_image():
    with pytest.raises(InvalidUpload):
        check_image(SimpleUploadedFile("cut.png", _png(64, 64)[:-40]))


def test_it_refuses_an_oversized_file():
    with pytest.raises(InvalidUpload, match="too large"):
        check_image(SimpleUploadedFile("big.png", _png()), max_bytes=10)


def test_it_refuses_a_decompression_bomb():
    # A PNG header claiming 100,000 × 100,000 pixels: a few bytes that would decode to 30 GB.
    def chunk(kind: bytes, data: bytes) -> bytes:
        return len(data).to_bytes(4, "big") + kind + data + zlib.crc32(kind + data).to_bytes(4, "big")

    header = (100_000).to_bytes(4, "big") * 2 + bytes([8, 2, 0, 0, 0])
    bomb = b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(b"\0" * 1000))
    bomb += chunk(b"IEND", b"")
    with pytest.raises(InvalidUpload, match="decompression bomb"):
        check_image(SimpleUploadedFile("bomb.png", bomb))
