import pytest
from playwright.sync_api import expect

from casspath.api.models import ApiToken, hash_secret
from casspath.testing import PASSWORD, build_world

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.urls("casspath.api.tests.urls")]


def test_it_creates_copies_and_revokes_a_token_on_a_phone(transactional_db, live_server, phone_page):
    build_world()
    page = phone_page
    violations = []
    page.on("console", lambda msg: violations.append(msg.text)
            if "Content Security Policy" in msg.text else None)
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", "gzadmin")
    page.fill("#id_password", PASSWORD)
    page.click("main button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")
    page.goto(f"{live_server.url}/accounts/tokens/")
    page.fill("#id_name", "HR 夜间同步")
    page.select_option("#id_expires_in", "30")
    page.click("main form button[type=submit]")
    secret = page.input_value("#new-token-secret")
    token = ApiToken.objects.get(user__username="gzadmin")
    assert token.secret_hash == hash_secret(secret) and token.expires_at is not None
    copy = page.locator("[data-copy-target=new-token-secret]")
    label = copy.inner_text()
    copy.click()
    expect(copy).not_to_have_text(label)  # the button says it copied
    page.reload()  # a refresh after creating shows the list again: no second token, no secret
    assert ApiToken.objects.filter(user__username="gzadmin").count() == 1
    assert page.locator("#new-token-secret").count() == 0
    page.click(f"form[action$='/{token.prefix}/revoke/'] button")
    page.wait_for_selector(".alert-success")
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert secret not in page.content()
    assert violations == []
