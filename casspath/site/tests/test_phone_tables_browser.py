"""On a phone (390 px) and a desk (1280 px): the API tokens table and the import error table
stack into cards that keep every column in view (expiry, status, the revoke button, the
reasons); the audit page's filters are selects; the lock-out page leads back to login; a
login name typed in lower case logs in."""

import os

import pytest

from casspath.api.actions import do_create_token
from casspath.core.audit import phrase, record
from casspath.core.models import AuditEvent
from casspath.org.audit_verbs import OrgVerb
from casspath.testing import PASSWORD, build_world, log_in_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

SHOTS = os.environ.get("CASSPATH_SHOTS", "")  # a folder to keep screenshots in, for a person to look


def _shot(page, name: str) -> None:
    if SHOTS:
        page.screenshot(path=f"{SHOTS}/{name}.png", full_page=True)


def _fits(page) -> bool:
    return page.evaluate("document.documentElement.scrollWidth") <= page.viewport_size["width"]


@pytest.mark.parametrize("size", ["phone", "desk"])
def test_it_keeps_every_column_of_the_tokens_table_in_view(transactional_db, live_server, phone_page, page,
                                                           size):
    browser = phone_page if size == "phone" else page
    world = build_world()
    do_create_token(world.city_admin_a, name="报表同步", acting_user=world.city_admin_a)
    log_in_page(browser, live_server, world.city_admin_a)
    browser.goto(f"{live_server.url}/accounts/tokens/")
    _shot(browser, f"tokens-{size}")
    row = browser.locator("#tokens tbody tr").first
    assert row.get_by_role("button", name="吊销").is_visible()
    assert row.locator("td").nth(4).is_visible() and row.locator("td").nth(5).is_visible()
    assert _fits(browser)


def test_it_shows_the_audit_filters_as_selects_and_the_actions_by_label_on_a_phone(
        transactional_db, live_server, phone_page):
    world = build_world()
    record(world.city_admin_a, OrgVerb.RESET_PASSWORD, world.colleague, unit=world.team_a,
           summary=phrase("%(no)s: one-time password issued", no="E0002"))
    assert AuditEvent.objects.filter(verb="login.reset_password").exists()
    log_in_page(phone_page, live_server, world.city_admin_a)
    phone_page.goto(f"{live_server.url}/org/audit/")
    _shot(phone_page, "audit-phone")
    phone_page.select_option("#f-verb", "login.reset_password")
    phone_page.click("form[role=search] button[type=submit]")
    table = phone_page.locator("#audit-rows")
    assert "E0002：已发放一次性密码" in table.inner_text() and "重置密码" in table.inner_text()
    assert _fits(phone_page)


def test_it_leads_back_to_login_from_the_lock_out_page_and_takes_a_lower_case_name(
        transactional_db, live_server, phone_page):
    build_world()
    for _ in range(5):
        phone_page.goto(f"{live_server.url}/accounts/login/")
        phone_page.fill("#id_username", "e0001")
        phone_page.fill("#id_password", "wrong-password")
        phone_page.click("button[type=submit]")
    _shot(phone_page, "locked-out-phone")
    assert "起可以再次登录" in phone_page.inner_text("#locked-out-page")
    phone_page.click("#back-to-login")
    assert phone_page.url.endswith("/accounts/login/")
    # Another login, in lower case, from the same phone.
    phone_page.fill("#id_username", "t0001")
    phone_page.fill("#id_password", PASSWORD)
    phone_page.click("button[type=submit]")
    phone_page.wait_for_url(f"{live_server.url}/")
