"""The media upload of a resource's edit page: checked by content, limited in size, stored
through the storage API; a refused file stores nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from casspath.cass.actions.resources import do_save_resource
from casspath.cass.models import Resource
from casspath.core.audit import AuditEvent
from casspath.core.tests import media_files
from casspath.core.tests.test_filetypes import _png
from casspath.testing import log_in


@pytest.fixture
def draft_video(world, city_map, media_root):
    return do_save_resource(city_map, {"code": "V100", "kind": "micro_video", "title": "集团短信开场白",
                                       "duration_minutes": 7}, acting_user=world.consultant_a)


def _stored(media_root) -> list[str]:
    return sorted(str(p.relative_to(media_root)) for p in media_root.rglob("*") if p.is_file()) \
        if media_root.exists() else []


def _upload(client, resource, *, media=None, poster=None):
    files = {name: f for name, f in (("media_file", media), ("poster", poster)) if f is not None}
    return client.post(reverse("cass:resource_upload", args=[resource.pk]), files)


def test_it_stores_a_video_and_takes_its_real_duration(client, world, draft_video, media_root):
    log_in(client, world.consultant_a)
    response = _upload(client, draft_video, media=SimpleUploadedFile("lesson.webm", media_files.webm(61.0,
                                                                                                   fps=2)),
                       poster=SimpleUploadedFile("p.png", _png()))
    assert response.status_code == 302
    draft_video.refresh_from_db()
    assert draft_video.media_type == "video/webm"
    assert draft_video.media_seconds == pytest.approx(61.0, abs=0.1)
    assert draft_video.duration_minutes == 2  # 61 s, rounded up
    assert draft_video.media_bytes == draft_video.media.size
    assert draft_video.media.name.startswith("resources/") and draft_video.media.name.endswith(".webm")
    assert draft_video.poster.name.endswith(".png")
    assert len(_stored(media_root)) == 2
    uploads = AuditEvent.objects.filter(verb="cass.upload_resource_files", object_id=str(draft_video.pk))
    assert uploads.count() == 1


def test_it_replaces_the_old_file(client, world, draft_video, media_root, django_capture_on_commit_callbacks):
    log_in(client, world.consultant_a)
    _upload(client, draft_video, media=SimpleUploadedFile("a.webm", media_files.webm(1.0)))
    draft_video.refresh_from_db()
    first = draft_video.media.name
    with django_capture_on_commit_callbacks(execute=True):
        _upload(client, draft_video, media=SimpleUploadedFile("b.webm", media_files.webm(2.0)))
    draft_video.refresh_from_db()
    assert draft_video.media.name != first
    assert _stored(media_root) == [draft_video.media.name]


@pytest.mark.parametrize(("name", "data", "reason"), [
    ("lesson.mp4", _png(), "not a video file we can play"),
    ("lesson.mp4", "这不是视频，是一段文字。".encode(), "not a video file we can play"),
    ("song.mp3", media_files.mp3(1.0), "no picture"),
])
def test_it_refuses_what_is_not_a_playable_video_and_stores_nothing(client, world, draft_video, media_root,
                                                                     name, data, reason):
    log_in(client, world.consultant_a)
    before = _stored(media_root)
    response = _upload(client, draft_video, media=SimpleUploadedFile(name, data, "video/mp4"))
    assert response.status_code == 400
    body = response.content.decode()
    assert reason in body and name in body
    assert _stored(media_root) == before
    draft_video.refresh_from_db()
    assert not draft_video.media and draft_video.duration_minutes == 7
    assert not AuditEvent.objects.filter(verb="cass.upload_resource_files").exists()


def test_it_refuses_an_oversized_file_and_a_bad_poster_beside_a_good_video(client, world, draft_video,
                                                                           media_root, settings):
    log_in(client, world.consultant_a)
    settings.CASSPATH = {**settings.CASSPATH, "MEDIA_MAX_BYTES_VIDEO": 1000}
    response = _upload(client, draft_video, media=SimpleUploadedFile("big.webm", media_files.webm(2.0)))
    assert response.status_code == 400 and "too large" in response.content.decode()
    settings.CASSPATH = {**settings.CASSPATH, "MEDIA_MAX_BYTES_VIDEO": 10 * 2**20}
    response = _upload(client, draft_video, media=SimpleUploadedFile("ok.webm", media_files.webm(1.0)),
                       poster=SimpleUploadedFile("poster.png", b"not an image"))
    assert response.status_code == 400 and "not an image" in response.content.decode()
    assert _stored(media_root) == []


def test_it_takes_audio_for_an_audio_resource_only(client, world, city_map, media_root):
    log_in(client, world.consultant_a)
    audio = do_save_resource(city_map, {"code": "A100", "kind": "audio", "title": "通勤听：云专线",
                                        "duration_minutes": 3}, acting_user=world.consultant_a)
    video = SimpleUploadedFile("v.webm", media_files.webm(1.0))
    assert _upload(client, audio, media=video).status_code == 400
    talk = SimpleUploadedFile("talk.ogg", media_files.ogg(2.0))
    assert _upload(client, audio, media=talk).status_code == 302
    audio.refresh_from_db()
    assert (audio.media_type, audio.duration_minutes) == ("audio/ogg", 1)


def test_it_refuses_a_file_for_an_article(client, world, city_map, media_root):
    log_in(client, world.consultant_a)
    article = Resource.objects.get(code="R001")
    response = _upload(client, article, media=SimpleUploadedFile("v.webm", media_files.webm(1.0)))
    assert response.status_code == 400
    assert "Only micro-video and audio" in response.content.decode()
    assert _stored(media_root) == []


def test_it_refuses_those_who_may_not_edit(client, world, draft_video, media_root):
    for user, status in ((world.consultant_b, 404), (world.manager, 404), (world.analyst_a, 404)):
        log_in(client, user)
        response = _upload(client, draft_video, media=SimpleUploadedFile("v.webm", media_files.webm(1.0)))
        assert response.status_code == status, user
    assert _stored(media_root) == []


def test_it_takes_a_body_past_the_general_limit_on_this_route_only(client, world, draft_video, media_root,
                                                                    settings):
    settings.REQUEST_MAX_BYTES = 4096
    log_in(client, world.consultant_a)
    data = media_files.webm(2.0)
    assert len(data) > 4096
    assert _upload(client, draft_video, media=SimpleUploadedFile("v.webm", data)).status_code == 302
    settings.REQUEST_MAX_BYTES_MEDIA = 4096
    assert _upload(client, draft_video, media=SimpleUploadedFile("v.webm", data)).status_code == 413
    edit = client.post(reverse("cass:resource_edit", args=[draft_video.pk]),
                       {"title": "x" * 10, "body": "y" * 8000})
    assert edit.status_code == 413


def test_it_refuses_a_truncated_video_and_stores_nothing(client, world, draft_video, media_root):
    # Half a WebM demuxes without an error up to where it stops; its header still says 3 s.
    log_in(client, world.consultant_a)
    whole = media_files.webm(3.0)
    response = _upload(client, draft_video, media=SimpleUploadedFile("cut.webm", whole[:len(whole) // 2]))
    assert response.status_code == 400
    body = response.content.decode()
    assert "cut.webm" in body and "incomplete" in body and "不完整" in body
    assert _stored(media_root) == []
    draft_video.refresh_from_db()
    assert not draft_video.media and draft_video.duration_minutes == 7


def test_it_takes_a_large_body_from_logged_in_users_only(client, world, draft_video, media_root, settings):
    # Anyone may fetch a CSRF token from the login page: without this an anonymous visitor
    # could make the server read and spool a video-sized body per request to this route.
    settings.REQUEST_MAX_BYTES = 4096
    data = media_files.webm(2.0)
    assert len(data) > 4096
    response = _upload(client, draft_video, media=SimpleUploadedFile("v.webm", data))
    assert response.status_code == 413
    assert "请求过大" in response.content.decode()
    small = _upload(client, draft_video, media=SimpleUploadedFile("v.webm", data[:1000]))
    assert small.status_code == 302 and "/accounts/login/" in small["Location"]
    assert _stored(media_root) == []


@pytest.mark.parametrize("field", ["media", "poster"])
def test_it_names_an_empty_file_in_both_languages(client, world, draft_video, media_root, field):
    log_in(client, world.consultant_a)
    response = _upload(client, draft_video, **{field: SimpleUploadedFile("blank.mp4", b"")})
    assert response.status_code == 400
    body = response.content.decode()
    assert "“blank.mp4”是空文件" in body and "'blank.mp4' is empty" in body.replace("&#x27;", "'")
    assert _stored(media_root) == []


def test_it_takes_the_duration_of_the_content_when_the_header_says_less(client, world, draft_video,
                                                                      media_root):
    # A WebM whose Duration element (EBML id 0x4489, an 8-byte float of milliseconds) claims
    # 0.5 s for 3 s of pictures and sound: the plans would count a long video as short.
    import struct

    data = bytearray(media_files.webm(3.0))
    at = data.find(b"\x44\x89\x88")
    assert at > 0
    data[at + 3:at + 11] = struct.pack(">d", 500.0)
    log_in(client, world.consultant_a)
    response = _upload(client, draft_video, media=SimpleUploadedFile("short.webm", bytes(data)))
    assert response.status_code == 302
    draft_video.refresh_from_db()
    assert draft_video.media_seconds == pytest.approx(3.0, abs=0.1)
