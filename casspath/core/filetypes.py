"""What an uploaded file really is, read from its content, never from its name.

Every upload a user hangs on a page (a step's image, a poster, a video or audio) passes one
of these checks before anything is stored; a refusal names the file and the reason in both
languages (`InvalidUpload`), and nothing is written.
"""

import warnings
from dataclasses import dataclass

from django.core.files.uploadedfile import UploadedFile
from PIL import Image, UnidentifiedImageError

from casspath.core.errors import BilingualError

IMAGE_FORMATS = {"PNG": "image/png", "JPEG": "image/jpeg", "WEBP": "image/webp", "GIF": "image/gif"}
IMAGE_MAX_BYTES = 10 * 2**20
# A screenshot or a photo of a form is at most a few thousand pixels a side; a file that
# says it is larger is a decompression bomb (a few KB that decode to gigabytes).
IMAGE_MAX_PIXELS = 40_000_000


class InvalidUpload(BilingualError):
    """An uploaded file refused for what its content is (or is not)."""


@dataclass(frozen=True)
class ImageInfo:
    content_type: str
    width: int
    height: int
    size: int


def check_image(upload: UploadedFile, *, max_bytes: int = IMAGE_MAX_BYTES) -> ImageInfo:
    """The upload's image format, read by decoding it: PNG, JPEG, WebP or GIF, at most
    `max_bytes` and IMAGE_MAX_PIXELS. Leaves the file at its start for storing."""
    name = upload.name or "?"
    size = upload.size or 0
    if size > max_bytes:
        raise InvalidUpload(f"图片“{name}”过大：{size / 2**20:.1f} MB，上限 {max_bytes // 2**20} MB",
                            f"The image '{name}' is too large: {size / 2**20:.1f} MB, at most "
                            f"{max_bytes // 2**20} MB")
    if size == 0:
        raise InvalidUpload(f"图片“{name}”是空文件", f"The image '{name}' is empty")
    try:
        upload.seek(0)
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as image:
                fmt, (width, height) = image.format, image.size
                if width * height > IMAGE_MAX_PIXELS:
                    raise Image.DecompressionBombError(f"{width}x{height}")
                image.verify()  # reads the whole file: a truncated or corrupt one fails here
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        raise InvalidUpload(f"图片“{name}”像素过多（疑似解压炸弹），已拒绝",
                            f"The image '{name}' has too many pixels (a decompression bomb?) "
                            "and was refused") from None
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError):
        raise InvalidUpload(f"“{name}”不是可识别的图片（支持 PNG、JPEG、WebP、GIF）",
                            f"'{name}' is not an image we can read (PNG, JPEG, WebP or GIF)") from None
    finally:
        upload.seek(0)
    if fmt not in IMAGE_FORMATS:
        raise InvalidUpload(f"“{name}”是 {fmt} 图片，只支持 PNG、JPEG、WebP、GIF",
                            f"'{name}' is a {fmt} image; only PNG, JPEG, WebP and GIF are taken")
    return ImageInfo(IMAGE_FORMATS[fmt], width, height, size)
