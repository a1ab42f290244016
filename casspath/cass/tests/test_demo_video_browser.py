"""A demo micro-video plays in Chromium: loaded in a <video> element from the live server,
its duration is the one the demo stores, play() moves currentTime, and it seeks."""

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from casspath.cass import demo as cass_demo
from casspath.cass.demo_media import probe

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.urls("casspath.cass.tests.media_urls")]


def test_it_a_demo_video_plays_and_seeks_in_chromium(live_server, page):
    # The bytes `casspath demo` stores for V01, rendered the same way.
    data, _poster = cass_demo._rendered_video("V01")
    seconds = probe(data).seconds
    name = default_storage.save("test/v01.webm", ContentFile(data))
    page.set_content(f'<video id="v" muted preload="auto" src="{live_server.url}/test-media/{name}"></video>')
    page.wait_for_function("document.getElementById('v').readyState >= 1")
    duration = page.evaluate("document.getElementById('v').duration")
    assert abs(duration - seconds) < 0.1
    assert page.evaluate("document.getElementById('v').videoWidth") == 640
    page.evaluate("document.getElementById('v').play()")
    page.wait_for_function("document.getElementById('v').currentTime > 1.0", timeout=15_000)
    assert page.evaluate("document.getElementById('v').error") is None
    page.evaluate("document.getElementById('v').currentTime = 15")
    page.wait_for_function("!document.getElementById('v').seeking && "
                           "document.getElementById('v').currentTime >= 15")
    page.wait_for_function("document.getElementById('v').currentTime > 15.5", timeout=15_000)
    assert not page.evaluate("document.getElementById('v').paused")
