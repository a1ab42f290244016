"""The whole flow of issue 8 on a phone in Chromium: a manager goes from the home card to his
learning map, opens the dimension holding a published micro-video (a real WebM, VP9/Opus),
follows it from the map; it plays and seeks, its duration is the file's; paused, his
progress is stored and shown; opened again from the map, the player resumes where he left."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casspath.cass.actions.media import do_upload_resource_files
from casspath.cass.actions.resources import do_save_resource
from casspath.cass.models import MediaProgress
from casspath.cass.tests.conftest import publish
from casspath.core.tests import media_files
from casspath.core.tests.test_filetypes import _png
from casspath.testing import eventually, log_in_page, wait_js

pytestmark = [pytest.mark.browser, pytest.mark.slow]

VIDEO = "document.querySelector('video')"
SECONDS = 8.0


@pytest.fixture
def map_video(world, lmap, media_root):
    """A published 8-second micro-video on the learning map's D01 (level 2), with a poster."""
    who = world.consultant_a
    video = do_save_resource(lmap, {"code": "V-D01", "kind": "micro_video", "title": "专线报价三句话",
                                    "duration_minutes": 1, "devices": ["phone"],
                                    "study_modes": ["on_the_way"]},
                             skills={"D01": 2}, acting_user=who)
    do_upload_resource_files(video, media=SimpleUploadedFile("clip.webm", media_files.webm(SECONDS)),
                             poster=SimpleUploadedFile("poster.png", _png()), acting_user=who)
    publish(video, who)
    video.refresh_from_db()
    return video


def open_from_the_map(page, live_server, video):
    """From the manager's learning map, open D01 (if closed) and follow the video; its metadata loaded."""
    page.goto(f"{live_server.url}/cass/my-learning-map/")
    dimension = page.locator("#dim-D01")
    if dimension.get_attribute("open") is None:
        dimension.locator("summary").click()
    dimension.locator(f"a:text-is('{video.title}')").click()
    page.wait_for_url(f"{live_server.url}/cass/resources/{video.pk}/")
    page.wait_for_selector("video")
    wait_js(page, f"{VIDEO}.readyState >= 1")


def test_it_plays_a_video_from_the_learning_map_and_resumes_it(transactional_db, live_server, phone_page,
                                                              world, map_video):
    page = phone_page
    errors: list[str] = []
    page.on("console", lambda msg: errors.append(msg.text) if msg.type == "error" else None)
    log_in_page(page, live_server, world.manager)
    page.click("#my_learning_map >> text=打开")
    page.wait_for_url(f"{live_server.url}/cass/my-learning-map/")
    open_from_the_map(page, live_server, map_video)

    assert page.evaluate(f"{VIDEO}.duration") == pytest.approx(SECONDS, abs=0.2)
    assert page.evaluate(f"{VIDEO}.duration") == pytest.approx(map_video.media_seconds, abs=0.2)
    assert page.evaluate(f"{VIDEO}.currentTime") == 0  # nothing watched yet: from the start
    page.evaluate(f"{VIDEO}.muted = true")  # autoplay without a gesture needs it muted
    page.evaluate(f"{VIDEO}.play()")
    wait_js(page, f"{VIDEO}.currentTime > 0.5")
    page.evaluate(f"{VIDEO}.currentTime = 4")
    wait_js(page, f"{VIDEO}.currentTime > 4.3 && !{VIDEO}.seeking")
    assert page.evaluate(f"{VIDEO}.currentTime") < 6.5  # played on from the seek, not from 0
    page.evaluate(f"{VIDEO}.pause()")
    wait_js(page, "document.getElementById('progress-status').textContent.includes('看到')")

    assert eventually(lambda: MediaProgress.objects.filter(resource=map_video,
                                                           employee=world.manager_employee).exists())
    progress = MediaProgress.objects.get(resource=map_video, employee=world.manager_employee)
    assert 4 < progress.position_seconds < 6.5 and not progress.completed
    assert page.evaluate(f"{VIDEO}.currentTime") == pytest.approx(progress.position_seconds, abs=0.01)

    open_from_the_map(page, live_server, map_video)  # again, a new page: resumes where he paused
    wait_js(page, f"Math.abs({VIDEO}.currentTime - {progress.position_seconds}) < 0.1")
    minutes, seconds = divmod(round(progress.position_seconds), 60)
    assert f"{minutes}:{seconds:02d}" in page.locator("#progress-status").inner_text()
    assert errors == []
