"""One person's password reset and lock-out lift by a training admin in scope, on the
employee page, in the API and on the command line; refusals included (another city, a
login with roles outside the scope, his own login, no login, roles without the right)."""

import pytest
from django.core.management import CommandError, call_command
from django.test import Client
from django.urls import reverse

from casspath.api.models import ApiToken
from casspath.core.models import AuditEvent, User
from casspath.org.models import Role, RoleAssignment
from casspath.testing import PASSWORD, ApiCaller, bearer_header, log_in, make_employee

LOGIN = reverse("login")
DETAIL = "/org/employees/E0001/"
RESET = "/org/employees/E0001/reset-password/"
UNLOCK = "/org/employees/E0001/unlock/"


def _lock_out(username: str) -> Client:
    """Lock `username` out from one address, as five wrong passwords do."""
    browser = Client()
    for _ in range(5):
        browser.post(LOGIN, {"username": username, "password": "wrong-password"})
    assert browser.post(LOGIN, {"username": username, "password": PASSWORD}).status_code == 429
    return browser


def test_it_resets_a_password_on_the_page_and_shows_it_once(client, world):
    bearer_header(world.manager)  # a token of his, which must end
    log_in(client, world.city_admin_a)
    detail = client.get(DETAIL).text
    assert f'href="{RESET}"' in detail and f'href="{UNLOCK}"' in detail
    confirm = client.get(RESET)
    assert confirm.status_code == 200 and 'id="confirm"' in confirm.text
    world.manager.refresh_from_db()
    assert world.manager.check_password(PASSWORD)  # asking changes nothing
    response = client.post(RESET, follow=True)
    assert response.redirect_chain == [(DETAIL, 302)]
    password = response.context["one_time_password"]
    assert password and password in response.text
    assert password not in client.get(DETAIL).text  # shown once: a refresh does not show it again
    world.manager.refresh_from_db()
    assert world.manager.check_password(password) and world.manager.must_change_password
    assert not ApiToken.objects.filter(user=world.manager, revoked_at__isnull=True).exists()
    event = AuditEvent.objects.get(verb="login.reset_password")
    assert event.actor == world.city_admin_a and password not in str(event.changes)
    assert Client().post(LOGIN, {"username": "E0001", "password": password}).status_code == 302


def test_it_refuses_a_login_holding_roles_outside_the_admins_scope(client, world):
    RoleAssignment.objects.create(user=world.manager, role=Role.CONSULTANT, org_unit=world.city_b)
    log_in(client, world.city_admin_a)
    response = client.post(RESET, follow=True)
    assert "roles outside your scope" in response.text and response.context["one_time_password"] is None
    world.manager.refresh_from_db()
    assert world.manager.check_password(PASSWORD)
    # The province admin's scope holds both roles: he may.
    log_in(client, world.province_admin)
    assert client.post(RESET, follow=True).context["one_time_password"]
    assert AuditEvent.objects.filter(verb="login.reset_password").count() == 1


def test_it_refuses_the_admins_own_login(client, world):
    make_employee("A0001", "广州管理员", world.team_a, user=world.city_admin_a)
    log_in(client, world.city_admin_a)
    response = client.post("/org/employees/A0001/reset-password/", follow=True)
    assert "your own login" in response.text
    world.city_admin_a.refresh_from_db()
    assert world.city_admin_a.check_password(PASSWORD)


def test_it_says_an_employee_without_a_login_has_none(client, world):
    log_in(client, world.city_admin_a)
    response = client.post("/org/employees/E0002/reset-password/", follow=True)
    assert "has no working login" in response.text
    assert 'id="reset-password"' not in client.get("/org/employees/E0002/").text


@pytest.mark.parametrize("who", ["city_admin_b", "consultant_a", "team_lead", "analyst_a", "manager"])
def test_it_hides_the_login_actions_from_those_out_of_scope(client, world, who):
    log_in(client, getattr(world, who))
    assert client.post(RESET).status_code == 404
    assert client.post(UNLOCK).status_code == 404
    world.manager.refresh_from_db()
    assert world.manager.check_password(PASSWORD)
    assert not AuditEvent.objects.filter(verb__startswith="login.").exists()


def test_it_lifts_a_lock_out_on_the_page(client, world):
    browser = _lock_out("E0001")
    log_in(client, world.city_admin_a)
    detail = client.get(DETAIL).text
    assert 'id="locked-out"' in detail and "正常使用" not in detail  # one state, not both
    response = client.post(UNLOCK, follow=True)
    assert "已解除 E0001 的锁定" in response.text and 'id="locked-out"' not in response.text
    assert "正常使用" in response.text
    assert browser.post(LOGIN, {"username": "E0001", "password": PASSWORD}).status_code == 302
    assert AuditEvent.objects.get(verb="login.unlock").changes["failed_logins_cleared"] >= 1
    assert "E0001 未被锁定" in client.post(UNLOCK, follow=True).text


def test_it_tells_the_locked_out_to_ask_their_training_admin(world):
    response = _lock_out("E0001").post(LOGIN, {"username": "E0001", "password": PASSWORD})
    assert "培训管理员：他可以解除锁定或为您重置密码" in response.text


def test_it_resets_and_unlocks_through_the_api(client, world):
    api = ApiCaller(client, world.city_admin_a, bearer=True)
    response = api.post("/org/employees/E0001/password-reset")
    assert response.status_code == 200 and "no-store" in response["Cache-Control"]
    body = response.json()
    assert body["username"] == "E0001"
    assert User.objects.get(username="E0001").check_password(body["one_time_password"])
    browser = _lock_out("T0001")
    unlocked = api.post("/org/employees/T0001/unlock")
    assert unlocked.status_code == 200 and unlocked.json()["failed_logins_cleared"] >= 1
    assert browser.post(LOGIN, {"username": "T0001", "password": PASSWORD}).status_code == 302


def test_it_refuses_through_the_api_in_both_languages(client, world):
    api = ApiCaller(client, world.city_admin_b, bearer=True)
    assert api.post("/org/employees/E0001/password-reset").status_code == 404
    api = ApiCaller(client, world.city_admin_a, bearer=True)
    none = api.post("/org/employees/E0002/password-reset")
    assert none.status_code == 409 and none.json()["detail_zh"]
    RoleAssignment.objects.create(user=world.manager, role=Role.ANALYST, org_unit=world.city_b)
    foreign = api.post("/org/employees/E0001/unlock")
    assert foreign.status_code == 403 and "outside your scope" in foreign.json()["detail_en"]


def test_it_resets_and_unlocks_on_the_command_line(world, capsys):
    call_command("reset_password", "E0001", "--as", "gzadmin")
    password = capsys.readouterr().out.strip().rsplit(" ", 1)[-1]
    assert User.objects.get(username="E0001").check_password(password)
    _lock_out("E0001")
    call_command("unlock", "E0001")  # the system actor
    assert "unlocked E0001" in capsys.readouterr().out
    with pytest.raises(CommandError, match="no such employee in your scope"):
        call_command("reset_password", "E0001", "--as", "szadmin")
    with pytest.raises(CommandError, match="no working login"):
        call_command("unlock", "E0002", "--as", "gzadmin")
    assert AuditEvent.objects.filter(verb__in=["login.reset_password", "login.unlock"]).count() == 2


def test_it_shows_a_reset_and_a_lift_on_the_audit_page_of_the_admins_in_scope(client, world):
    _lock_out("E0001")
    client.force_login(world.city_admin_a)
    assert client.post(RESET).status_code == 302
    assert client.post(UNLOCK).status_code == 302
    client.force_login(world.province_admin)
    audit_page = _audit_rows(client.get(reverse("org:audit_log"), HTTP_ACCEPT_LANGUAGE="en"))
    assert "E0001: one-time password issued" in audit_page and "E0001: lock-out lifted" in audit_page
    assert ">Password reset<" in audit_page and ">Lock-out lifted<" in audit_page
    # An admin of another city does not see them.
    client.force_login(world.city_admin_b)
    assert "E0001:" not in _audit_rows(client.get(reverse("org:audit_log"), HTTP_ACCEPT_LANGUAGE="en"))


def _audit_rows(response) -> str:
    """The audit page's table (its filter's select names every verb)."""
    page = response.content.decode()
    return page[page.index('id="audit-rows"'):page.index("</table>")]
