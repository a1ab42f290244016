"""On a phone in Chromium, a manager opens a published micro-video from the library: it
plays, it seeks (and plays on from there), its duration is the file's, and his progress is
recorded. The clip is WebM VP9/Opus: Debian's Chromium has no proprietary codecs."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casspath.cass.actions.maps import do_create_map
from casspath.cass.actions.media import do_upload_resource_files
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.models import MediaProgress
from casspath.core.tests import media_files
from casspath.core.tests.test_filetypes import _png
from casspath.testing import build_world, eventually, log_in_page, wait_js

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIDEO = "document.querySelector('video')"


def test_it_plays_seeks_and_records_progress_on_a_phone(transactional_db, live_server, phone_page, settings,
                                                        tmp_path):
    settings.MEDIA_ROOT = str(tmp_path / "media")
    world = build_world()
    cass_map = do_create_map(org_unit=world.city_a, model_family="default", name="广州 CASS 地图",
                             acting_user=world.consultant_a)
    video = do_save_resource(cass_map, {"code": "V001", "kind": "micro_video", "title": "专线报价三句话",
                                        "duration_minutes": 1, "devices": ["phone"]},
                             acting_user=world.consultant_a)
    do_upload_resource_files(video, media=SimpleUploadedFile("clip.webm", media_files.webm(8.0)),
                             poster=SimpleUploadedFile("poster.png", _png()), acting_user=world.consultant_a)
    do_set_resource_status(video, "published", acting_user=world.consultant_a)
    video.refresh_from_db()
    page = phone_page
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text) if msg.type == "error" else None)

    log_in_page(page, live_server, world.manager)
    page.click("text=学习资源") if page.is_visible("text=学习资源") else page.goto(
        f"{live_server.url}/cass/resources/")
    page.click("text=专线报价三句话")
    page.wait_for_selector("video")
    wait_js(page, f"{VIDEO}.readyState >= 1")
    assert page.evaluate(f"{VIDEO}.duration") == pytest.approx(video.media_seconds, abs=0.2)

    page.evaluate(f"{VIDEO}.muted = true")  # autoplay without a gesture needs it muted
    page.evaluate(f"{VIDEO}.play()")
    wait_js(page, f"{VIDEO}.currentTime > 0.5")
    page.evaluate(f"{VIDEO}.currentTime = 5")
    wait_js(page, f"{VIDEO}.currentTime > 5.3 && !{VIDEO}.seeking")
    assert page.evaluate(f"{VIDEO}.currentTime") < 7.5  # played on from the middle, not from 0
    page.evaluate(f"{VIDEO}.pause()")
    wait_js(page, "document.getElementById('progress-status').textContent.includes('看到')")

    assert eventually(lambda: MediaProgress.objects.filter(resource=video,
                                                           employee=world.manager_employee).exists())
    progress = MediaProgress.objects.get(resource=video, employee=world.manager_employee)
    assert 5 < progress.furthest_seconds < 8 and not progress.completed

    page.evaluate(f"{VIDEO}.play()")  # to the end: completed
    wait_js(page, "document.getElementById('progress-status').textContent.includes('已学完')",
                           timeout=20)
    progress.refresh_from_db()
    assert progress.completed
    assert violations == []
