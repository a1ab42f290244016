"""The login page on a phone (390 px): "keep me signed in on this phone" is there, fits the
screen, and keeps an account manager's session for 30 days; an admin who ticks it gets the
default session, whose cookie ends when the browser closes."""

import time

import pytest

from casspath.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DAY = 24 * 60 * 60


def _log_in(page, live_server, username: str) -> float | None:
    """Logs in with the box ticked; the session cookie's seconds left (None: it ends when the
    browser closes)."""
    page.goto(f"{live_server.url}/accounts/login/")
    box = page.locator("#id_remember")
    assert box.is_visible() and not box.is_checked()
    assert page.locator("label[for=id_remember]").inner_text() == "在本机保持登录"
    assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing wider than the phone
    page.fill("#id_username", username)
    page.fill("#id_password", PASSWORD)
    page.locator("label[for=id_remember]").click()  # the label ticks the box, as a thumb would
    assert box.is_checked()
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    cookie = next(c for c in page.context.cookies() if c["name"] == "sessionid")
    return None if cookie["expires"] == -1 else cookie["expires"] - time.time()


def test_it_keeps_a_manager_signed_in_on_his_phone(transactional_db, live_server, phone_page):
    build_world()
    left = _log_in(phone_page, live_server, "E0001")
    assert left is not None and 30 * DAY - 120 < left <= 30 * DAY


def test_it_gives_an_admin_who_ticks_the_box_the_default_session(transactional_db, live_server, phone_page):
    build_world()
    assert _log_in(phone_page, live_server, "gzadmin") is None  # a browser-session cookie
