"""What an uploaded file really is, read from its content, never from its name.

Every upload a user hangs on a page (a step's image, a poster, a video or audio, a case's
attachment) passes one of these checks before anything is stored; a refusal names the file
and the reason in both languages (`InvalidUpload`), and nothing is written.
"""

import re
import tempfile
import warnings
import zipfile
from dataclasses import dataclass
from urllib.parse import unquote
from xml.parsers import expat

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


# Video and audio: the containers and codecs Chromium (and so the phones' WebViews) plays
# without proprietary extras, and H.264/AAC in MP4 which every phone plays. PyAV (FFmpeg's
# demuxers) reads the container; only these demuxers are even tried, so a PNG, an HLS
# playlist or any of FFmpeg's hundred other formats is refused before it is parsed.
MEDIA_DEMUXERS = ("mov", "matroska", "mp3", "ogg", "wav", "flac")
# demuxer (its first name) -> (video codecs, audio codecs) accepted in it
MEDIA_CODECS: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    "mov": (frozenset({"h264", "vp9", "av1"}), frozenset({"aac", "mp3", "opus", "flac"})),
    "matroska": (frozenset({"vp8", "vp9", "av1"}), frozenset({"opus", "vorbis"})),
    "ogg": (frozenset(), frozenset({"opus", "vorbis", "flac"})),
    "mp3": (frozenset(), frozenset({"mp3"})),
    "wav": (frozenset(), frozenset({"pcm_s16le", "pcm_s24le", "pcm_f32le", "pcm_u8"})),
    "flac": (frozenset(), frozenset({"flac"})),
}
# The content type a file is served with, by demuxer and whether it has a picture.
MEDIA_TYPES = {
    ("mov", True): "video/mp4", ("mov", False): "audio/mp4",
    ("matroska", True): "video/webm", ("matroska", False): "audio/webm",
    ("ogg", False): "audio/ogg", ("mp3", False): "audio/mpeg",
    ("wav", False): "audio/wav", ("flac", False): "audio/flac",
}
# FFmpeg names a stream's codec by the decoder it picked; the format's name for it.
_DECODER_CODEC = {"mp3float": "mp3", "libdav1d": "av1", "libaom-av1": "av1", "libvpx-vp9": "vp9",
                  "libvpx": "vp8", "libopus": "opus", "libvorbis": "vorbis"}
MEDIA_MAX_SECONDS = 600 * 60  # a resource lasts at most 600 minutes (Resource.duration_minutes)
# A file whose streams end this much before (or after) the duration its header declares is
# cut short (or its header lies); well-formed files end within a frame of it, and an MP4's
# audio priming is a fraction of a second.
TRUNCATED_SLACK_SECONDS = 1.0
TRUNCATED_SLACK_SHARE = 0.05
MEDIA_FORMATS_TEXT = "MP4 (H.264/AAC)、WebM (VP8/VP9/Opus/Vorbis)、MP3、M4A、OGG、WAV、FLAC"


@dataclass(frozen=True)
class MediaInfo:
    content_type: str
    has_video: bool
    seconds: float
    video_codec: str
    audio_codec: str
    size: int


def check_media(upload: UploadedFile, *, want_video: bool, max_bytes: int) -> MediaInfo:
    """What a video (`want_video`) or audio upload really is, read by demuxing all of it with
    PyAV: a container and codecs of MEDIA_CODECS, a picture when a video is wanted and none
    when audio is (cover art aside), at most `max_bytes`, and its real duration. Each stream's
    first frame is decoded, so a file that only looks like one is refused. Leaves the file at
    its start for storing."""
    import av  # FFmpeg is loaded only where media is checked

    name = upload.name or "?"
    size = upload.size or 0
    what_zh, what_en = ("视频", "video") if want_video else ("音频", "audio")
    if size > max_bytes:
        raise InvalidUpload(f"{what_zh}“{name}”过大：{size / 2**20:.1f} MB，上限 {max_bytes // 2**20} MB",
                            f"The {what_en} '{name}' is too large: {size / 2**20:.1f} MB, at most "
                            f"{max_bytes // 2**20} MB")
    if size == 0:
        raise InvalidUpload(f"{what_zh}“{name}”是空文件", f"The {what_en} '{name}' is empty")
    unreadable = InvalidUpload(
        f"“{name}”不是可播放的{what_zh}文件（支持 {MEDIA_FORMATS_TEXT}）",
        f"'{name}' is not a {what_en} file we can play (MP4 with H.264/AAC, WebM with VP8/VP9/Opus/"
        "Vorbis, MP3, M4A, OGG, WAV or FLAC)")
    path = getattr(upload, "temporary_file_path", None)
    try:
        upload.seek(0)
        source = path() if path else upload.file
        with av.open(source, mode="r",
                     options={"format_whitelist": ",".join(MEDIA_DEMUXERS)}) as container:
            info = _read_container(container, name, want_video, what_zh, what_en)
    except InvalidUpload:
        raise
    except (av.FFmpegError, OSError, ValueError, UnicodeDecodeError):
        raise unreadable from None
    finally:
        upload.seek(0)
    return MediaInfo(info[0], want_video, info[1], info[2], info[3], size)


def _codec(stream) -> str:
    decoder = stream.codec_context.name
    return _DECODER_CODEC.get(decoder, decoder)


def _read_container(container, name: str, want_video: bool, what_zh: str,
                    what_en: str) -> tuple[str, float, str, str]:
    demuxer = container.format.name.split(",")[0]
    video_ok, audio_ok = MEDIA_CODECS[demuxer]
    videos = [s for s in container.streams.video if not s.disposition & s.disposition.attached_pic]
    audios = list(container.streams.audio)
    refused = [(s, _codec(s)) for s in videos if _codec(s) not in video_ok]
    refused += [(s, _codec(s)) for s in audios if _codec(s) not in audio_ok]
    if refused:
        codecs = ", ".join(sorted({codec for _s, codec in refused}))
        raise InvalidUpload(
            f"“{name}”的编码 {codecs} 在 {demuxer} 文件中浏览器无法播放（支持 {MEDIA_FORMATS_TEXT}）",
            f"'{name}' holds {codecs} in a {demuxer} file, which browsers cannot play (MP4 with "
            "H.264/AAC, WebM with VP8/VP9/Opus/Vorbis, MP3, M4A, OGG, WAV or FLAC)")
    if want_video and not videos:
        raise InvalidUpload(f"“{name}”只有声音没有画面：请作为音频资源上传",
                            f"'{name}' has sound but no picture: upload it as an audio resource")
    if not want_video and videos:
        raise InvalidUpload(f"“{name}”是视频：音频资源只收音频文件",
                            f"'{name}' is a video: an audio resource takes an audio file")
    if not audios and not videos:
        raise ValueError("no stream")
    streams = videos[:1] + audios[:1]
    # Demux the whole file (packets, not pictures: fast) to prove it is complete and find
    # where it ends; decode each stream's first frame to prove its data is what it says.
    decoded: set[int] = set()
    end = 0.0
    for packet in container.demux(*streams):
        if packet.pts is not None and packet.time_base is not None:
            end = max(end, float((packet.pts + (packet.duration or 0)) * packet.time_base))
        if packet.stream.index not in decoded and packet.size:
            if packet.decode():
                decoded.add(packet.stream.index)
    if decoded != {s.index for s in streams}:
        raise ValueError("a stream decodes to nothing")
    # The header's duration, unless the packets run clearly longer (a header may say anything;
    # the plans schedule a resource by its real length). A frame's worth past it is timestamps.
    seconds = container.duration / 1_000_000 if container.duration else end
    if end > seconds + max(TRUNCATED_SLACK_SECONDS, TRUNCATED_SLACK_SHARE * seconds):
        seconds = end
    if end < seconds - max(TRUNCATED_SLACK_SECONDS, TRUNCATED_SLACK_SHARE * seconds):
        # The header's duration outlasts the packets: the file was cut short (an upload
        # stopped, a copy not finished); a player would stop there, the plans count it whole.
        raise InvalidUpload(
            f"“{name}”不完整：文件声明时长 {seconds:.0f} 秒，内容只到 {end:.0f} 秒（文件被截断？）",
            f"'{name}' is incomplete: it says it lasts {seconds:.0f} s but its content stops at "
            f"{end:.0f} s (a cut-off file?)")
    if not 0 < seconds <= MEDIA_MAX_SECONDS:
        raise InvalidUpload(f"“{name}”的时长 {seconds:.0f} 秒不可用（应在 0 到 600 分钟之间）",
                            f"'{name}' lasts {seconds:.0f} s, which is not usable (0 to 600 minutes)")
    return (MEDIA_TYPES[(demuxer, bool(videos))], round(seconds, 3),
            _codec(videos[0]) if videos else "", _codec(audios[0]) if audios else "")


# Documents a page takes beside images (a case's proposal, its slide deck): PDF and the
# Office Open XML formats. Those are zip archives, and a zip may unpack to far more than it
# holds (a zip bomb: 40 KB that unpacks to gigabytes), so every part is unpacked, streaming
# and counted, before the file is taken: at most ZIP_MAX_UNPACKED bytes in all, at most
# ZIP_MAX_RATIO times the file's size, in at most ZIP_MAX_PARTS parts (with those of the
# packages it embeds).
DOCUMENT_MAX_BYTES = 20 * 2**20
ZIP_MAX_UNPACKED = 200 * 2**20
ZIP_MAX_RATIO = 100
ZIP_MAX_PARTS = 2000
OFFICE_TYPES = {  # the folder of an Office file's main part -> (media type, extension)
    "word/": ("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx"),
    "xl/": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
    "ppt/": ("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx"),
}
IMAGE_EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
DOCUMENT_FORMATS_TEXT = "PDF、Word (.docx)、Excel (.xlsx)、PowerPoint (.pptx)、PNG、JPEG、WebP、GIF"
_SAME_EXTENSION = {"jpeg": "jpg"}
# Parts that carry code a reader's Office would run: VBA macros (a .docm renamed .docx still
# holds its vbaProject.bin), Excel 4.0 macro sheets and ActiveX controls. Attachments are read
# by every manager of a city, so they are refused rather than stored. Office finds such a part
# by its relationship and content type, not its name: a vbaProject.bin renamed x.dat is still
# run, so the names, the content types of the parts there are and the relationships' types are
# all read; and a package embedded in the file (a workbook in a document, an OLE object) is
# read the same way, since a double click opens it in Office.
_ACTIVE_PART = re.compile(r"(^|/)(vbaProject\.bin|vbaData\.xml|activeX/|macrosheets/)", re.IGNORECASE)
_ACTIVE_TYPE = re.compile(r"vbaProject|vbaData|activeX|macroEnabled|macrosheet", re.IGNORECASE)
_ACTIVE_RELATIONSHIP = re.compile(
    r"/(vbaProject|wordVbaData|activeXControlBinary|control|xlMacrosheet|xlIntlMacrosheet)$", re.IGNORECASE
)
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # an OLE compound file (a .doc, .xls, an OLE object)
# In an OLE object, lower case: the stream every VBA project of one holds, named in its
# directory; and the name a macro file's zip gives its project, plain in an object that
# packages a whole .docm or .xlsm (as Packager embeds a file).
_OLE_VBA = ("_vba_project".encode("utf-16-le"), b"vbaproject.bin")
PACKAGE_MAX_DEPTH = 3  # a package in a package in a package: deeper is not read, but refused


@dataclass(frozen=True)
class DocumentInfo:
    content_type: str
    extension: str
    size: int


def check_document(upload: UploadedFile, *, max_bytes: int = DOCUMENT_MAX_BYTES) -> DocumentInfo:
    """What an attachment is, read from its content: an image (check_image), a PDF, or a
    Word, Excel or PowerPoint file; its name's extension must say the same (a PNG named
    .pdf is refused: it is not what it claims). Leaves the file at its start for storing."""
    name = upload.name or "?"
    size = upload.size or 0
    if size > max_bytes:
        raise InvalidUpload(f"附件“{name}”过大：{size / 2**20:.1f} MB，上限 {max_bytes // 2**20} MB",
                            f"The attachment '{name}' is too large: {size / 2**20:.1f} MB, at most "
                            f"{max_bytes // 2**20} MB")
    if size == 0:
        raise InvalidUpload(f"附件“{name}”是空文件", f"The attachment '{name}' is empty")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    if head.startswith(b"%PDF-"):
        info = DocumentInfo("application/pdf", "pdf", size)
        _check_pdf(upload, name)
    elif head.startswith(b"PK\x03\x04"):
        info = _check_office(upload, name, size)
    elif head.startswith((b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"RIFF")):
        image = check_image(upload, max_bytes=min(max_bytes, IMAGE_MAX_BYTES))
        info = DocumentInfo(image.content_type, IMAGE_EXTENSIONS[image.content_type], size)
    else:
        raise InvalidUpload(f"“{name}”不是可接受的附件格式（支持 {DOCUMENT_FORMATS_TEXT}）",
                            f"'{name}' is not an attachment format we take (PDF, Word, Excel, "
                            "PowerPoint or an image)")
    claimed = name.rsplit(".", 1)[-1].lower() if "." in name else ""
    if _SAME_EXTENSION.get(claimed, claimed) != info.extension:
        raise InvalidUpload(f"“{name}”的内容是 .{info.extension} 文件，与文件名不符，已拒绝",
                            f"'{name}' holds a .{info.extension} file, not what its name claims, "
                            "and was refused")
    return info


def _check_pdf(upload: UploadedFile, name: str) -> None:
    """A PDF ends with %%EOF (within its last kilobyte): a cut-off upload does not."""
    try:
        upload.seek(max((upload.size or 0) - 1024, 0))
        tail = upload.read(1024)
    finally:
        upload.seek(0)
    if b"%%EOF" not in tail:
        raise InvalidUpload(f"“{name}”不是完整的 PDF 文件", f"'{name}' is not a complete PDF file")


def _check_office(upload: UploadedFile, name: str, size: int) -> DocumentInfo:
    # The bytes and the parts left to unpack, shared with the packages it embeds.
    budget = [min(ZIP_MAX_UNPACKED, size * ZIP_MAX_RATIO), ZIP_MAX_PARTS]
    bomb = InvalidUpload(f"“{name}”解压后过大（疑似压缩炸弹），已拒绝",
                         f"'{name}' unpacks to far more than it holds (a zip bomb?) and was refused")
    active = InvalidUpload(f"“{name}”含有宏或 ActiveX 控件，已拒绝；请另存为不含宏的文件再上传",
                           f"'{name}' holds macros or ActiveX controls and was refused; save it "
                           "without macros and upload it again")
    try:
        upload.seek(0)
        with zipfile.ZipFile(upload) as archive:
            names = _scan_package(archive, budget, 0, bomb, active)
    except InvalidUpload:
        raise
    except Exception:  # noqa: BLE001 - zipfile, zlib and expat raise many types on damaged input
        raise InvalidUpload(f"“{name}”无法读取：文件已损坏、加密或不是 Office 文件",
                            f"'{name}' could not be read: it is damaged, encrypted or not an "
                            "Office file") from None
    finally:
        upload.seek(0)
    if "[Content_Types].xml" in names:
        for folder, (content_type, extension) in OFFICE_TYPES.items():
            if any(n.startswith(folder) for n in names):
                return DocumentInfo(content_type, extension, size)
    raise InvalidUpload(f"“{name}”是压缩包而不是 Word、Excel 或 PowerPoint 文件，已拒绝",
                        f"'{name}' is a zip archive, not a Word, Excel or PowerPoint file, and "
                        "was refused")


def _scan_package(archive: zipfile.ZipFile, budget: list[int], depth: int, bomb, active) -> set[str]:
    """Unpack every part of a zip, counted against `budget` (the bytes and the parts left, its
    embedded packages' with its own); refuse (`active`) one holding code Office would run, by
    its parts' names, content types and relationships, and the packages and OLE objects it
    embeds. The names of its parts."""
    parts = archive.infolist()
    budget[1] -= len(parts)
    if budget[1] < 0 or sum(p.file_size for p in parts) > budget[0]:
        raise bomb
    defaults: dict[str, str] = {}
    overrides: dict[str, str] = {}
    relationships: list[str] = []

    def element(tag: str, attributes: dict[str, str]) -> None:
        kind = tag.rsplit(":", 1)[-1]
        if kind == "Default":
            defaults[attributes.get("Extension", "").lower()] = attributes.get("ContentType", "")
        elif kind == "Override":
            overrides[unquote(attributes.get("PartName", "")).lower()] = attributes.get("ContentType", "")
        elif kind == "Relationship":
            relationships.append(attributes.get("Type", ""))

    def no_dtd(*_args) -> None:  # Office's XML has none; one could only hide or blow up entities
        raise ValueError("a DTD in an Office part")

    part_names = []
    for part in parts:
        part_name = unquote(part.filename.replace("\\", "/")).lstrip("/")
        part_names.append(part_name)
        if _ACTIVE_PART.search(part_name):
            raise active
        reader = None
        if part_name == "[Content_Types].xml" or part_name.lower().endswith(".rels"):
            reader = expat.ParserCreate()
            reader.StartElementHandler = element
            reader.StartDoctypeDeclHandler = no_dtd
            reader.EntityDeclHandler = no_dtd
        nested, ole, tail = None, False, b""
        with archive.open(part) as handle:  # the sizes a zip declares may lie: count what comes out
            first = True
            while chunk := handle.read(2**20):
                budget[0] -= len(chunk)
                if budget[0] < 0:
                    raise bomb
                if first:
                    first, ole = False, chunk.startswith(_OLE_MAGIC)
                    if chunk.startswith(b"PK\x03\x04"):  # an embedded workbook, document, deck
                        nested = tempfile.SpooledTemporaryFile(max_size=2**20)
                if reader is not None:
                    reader.Parse(chunk, False)
                if nested is not None:
                    nested.write(chunk)
                if ole:  # its directory names its streams, a VBA project's among them
                    window = tail + chunk.lower()
                    if any(mark in window for mark in _OLE_VBA):
                        raise active
                    tail = window[-max(len(mark) for mark in _OLE_VBA) :]
        if reader is not None:
            reader.Parse(b"", True)
        if nested is not None:
            with nested:
                if depth + 1 >= PACKAGE_MAX_DEPTH:
                    raise active
                nested.seek(0)
                with zipfile.ZipFile(nested) as inner:
                    _scan_package(inner, budget, depth + 1, bomb, active)
    if any(_ACTIVE_RELATIONSHIP.search(kind.strip()) for kind in relationships):
        raise active
    for part_name in part_names:
        extension = part_name.rsplit("/", 1)[-1].rpartition(".")[2].lower()
        content_type = overrides.get("/" + part_name.lower(), defaults.get(extension, ""))
        if _ACTIVE_TYPE.search(content_type):
            raise active
    return {p.filename for p in parts}
