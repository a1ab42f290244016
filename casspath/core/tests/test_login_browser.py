import pytest

from casspath.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_it_logs_in_through_a_real_browser_and_shows_the_home_page(transactional_db, live_server, page):
    build_world()
    page.goto(f"{live_server.url}/")
    assert "/accounts/login/" in page.url
    page.fill("#id_username", "gzadmin")
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    assert page.locator("h1").first.is_visible()
    # Only the admin's own city is counted on his home page: 3 employees in 广州.
    assert page.locator(".figure-card .value").first.inner_text() == "3"


def test_it_refuses_a_wrong_password_in_the_browser(transactional_db, live_server, page):
    build_world()
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "gzadmin")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert page.locator(".alert-danger").is_visible()
    assert "/accounts/login/" in page.url
