"""check_media reads what a video or audio upload is from its content (PyAV), never its name."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile, TemporaryUploadedFile
from PIL import Image

from casspath.core.filetypes import InvalidUpload, check_media
from casspath.core.tests import media_files

BIG = 10 * 2**20


def _png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (16, 16), "white").save(out, "PNG")
    return out.getvalue()


def test_it_reads_a_webm_video_its_codecs_and_real_duration():
    info = check_media(SimpleUploadedFile("clip.bin", media_files.webm(2.0)), want_video=True, max_bytes=BIG)
    assert (info.content_type, info.video_codec, info.audio_codec) == ("video/webm", "vp9", "opus")
    assert info.seconds == pytest.approx(2.0, abs=0.05)


def test_it_reads_an_mp4_with_h264_and_aac():
    info = check_media(SimpleUploadedFile("clip.webm", media_files.mp4(3.0)), want_video=True, max_bytes=BIG)
    assert (info.content_type, info.video_codec, info.audio_codec) == ("video/mp4", "h264", "aac")
    assert info.seconds == pytest.approx(3.0, abs=0.1)


def test_it_reads_a_vp8_vorbis_webm():
    data = media_files.encode("webm", "libvpx", "vorbis", seconds=1.5)
    info = check_media(SimpleUploadedFile("c.webm", data), want_video=True, max_bytes=BIG)
    assert (info.video_codec, info.audio_codec) == ("vp8", "vorbis")


@pytest.mark.parametrize(("maker", "content_type"), [(media_files.mp3, "audio/mpeg"),
                                                     (media_files.ogg, "audio/ogg")])
def test_it_reads_audio(maker, content_type):
    info = check_media(SimpleUploadedFile("talk", maker(2.0)), want_video=False, max_bytes=BIG)
    assert (info.content_type, info.has_video, info.video_codec) == (content_type, False, "")
    assert info.seconds == pytest.approx(2.0, abs=0.1)


def test_it_reads_a_file_spilled_to_disk():
    data = media_files.webm(1.0)
    upload = TemporaryUploadedFile("clip.webm", "video/webm", len(data), None)
    upload.write(data)
    upload.seek(0)
    assert check_media(upload, want_video=True, max_bytes=BIG).content_type == "video/webm"
    assert upload.tell() == 0


def test_it_refuses_a_png_named_mp4():
    with pytest.raises(InvalidUpload, match="not a video file we can play") as refused:
        check_media(SimpleUploadedFile("lesson.mp4", _png(), "video/mp4"), want_video=True, max_bytes=BIG)
    assert "lesson.mp4" in refused.value.message_zh


def test_it_refuses_text_and_a_playlist():
    for data in (b"hello, this is not a video", b"#EXTM3U\n#EXTINF:1,\nfile:///etc/passwd\n"):
        with pytest.raises(InvalidUpload, match="not a video file"):
            check_media(SimpleUploadedFile("a.mp4", data), want_video=True, max_bytes=BIG)


def test_it_refuses_a_codec_browsers_do_not_play():
    data = media_files.encode("matroska", "mpeg4", None, seconds=1.0)
    with pytest.raises(InvalidUpload, match="browsers cannot play") as refused:
        check_media(SimpleUploadedFile("old.mkv", data), want_video=True, max_bytes=BIG)
    assert "mpeg4" in refused.value.message_zh


def test_it_refuses_audio_as_a_video_and_a_video_as_audio():
    with pytest.raises(InvalidUpload, match="no picture"):
        check_media(SimpleUploadedFile("a.mp3", media_files.mp3()), want_video=True, max_bytes=BIG)
    with pytest.raises(InvalidUpload, match="is a video"):
        check_media(SimpleUploadedFile("v.webm", media_files.webm()), want_video=False, max_bytes=BIG)


def test_it_refuses_a_truncated_file():
    data = media_files.mp4(2.0)
    with pytest.raises(InvalidUpload):
        check_media(SimpleUploadedFile("cut.mp4", data[: len(data) // 3]), want_video=True, max_bytes=BIG)


def test_it_refuses_an_oversized_or_empty_file():
    with pytest.raises(InvalidUpload, match="too large"):
        check_media(SimpleUploadedFile("v.webm", media_files.webm()), want_video=True, max_bytes=100)
    with pytest.raises(InvalidUpload, match="empty"):
        check_media(SimpleUploadedFile("v.webm", b""), want_video=True, max_bytes=BIG)
