"""A manager walks his learning map on a phone in Chromium: from the home card to his map,
opens a dimension, follows a resource; printed, every dimension is open."""

import pytest

from casspath.testing import log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_it_walks_and_prints_the_learning_map_on_a_phone(transactional_db, live_server, phone_page, world,
                                                        lmap):
    page = phone_page
    violations: list[str] = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    log_in_page(page, live_server, world.manager)
    page.click("#my_learning_map >> text=打开")
    page.wait_for_url(f"{live_server.url}/cass/my-learning-map/")
    dimensions = page.locator("details.lm-dimension")
    assert dimensions.count() == 3
    assert dimensions.nth(0).get_attribute("open") is not None
    assert not dimensions.nth(1).locator(".lm-dimension-body").is_visible()
    dimensions.nth(1).locator("summary").click()
    assert dimensions.nth(1).locator(".lm-dimension-body").is_visible()
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.emulate_media(media="print")
    assert dimensions.nth(2).locator(".lm-dimension-body").is_visible()
    assert not page.locator("nav.navbar").is_visible()
    page.emulate_media(media="screen")
    page.click("#dim-D01 >> text=资源R-D01-1a")
    assert page.locator("h1").inner_text() == "资源R-D01-1a"
    assert violations == []
