"""A user's tokens end with the login, password or roles they were made under."""

import pytest
from django.test import Client

from casspath.api.tests.helpers import bearer, make_token
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent, User
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.actions.logins import do_issue_logins
from casspath.org.actions.roles import do_grant_role, do_revoke_role
from casspath.org.models import Role, RoleAssignment
from casspath.testing import PASSWORD


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def _assert_revoked(token, reason: str) -> None:
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_reason == reason
    event = AuditEvent.objects.get(verb="api_token.revoke", object_id=str(token.pk))
    assert event.changes == {"reason": reason}


def _assert_usable(token) -> None:
    token.refresh_from_db()
    assert token.revoked_at is None


def _import(rows, *, user):
    report = run_import(registry.get("roster"), csv_bytes([ROSTER_HEADERS_ZH, *rows]), "roster.csv",
                        acting_user=user, dry_run=False)
    assert report.ok, report.as_dict()
    return report


def test_it_revokes_my_tokens_when_i_change_my_password(client, world):
    mine, secret = make_token(world.manager)
    theirs, _ = make_token(world.team_lead)
    client.force_login(world.manager)
    new = "my-own-Secret-2026"
    response = client.post("/accounts/password/", {"old_password": PASSWORD, "new_password1": new,
                                                   "new_password2": new})
    assert response.status_code == 302
    _assert_revoked(mine, "password changed")
    _assert_usable(theirs)
    assert Client().get("/api/v1/me", **bearer(secret)).status_code == 401


def test_it_revokes_the_tokens_when_an_admin_resets_the_password(client, world):
    root = User.objects.create_superuser("root", password=PASSWORD)
    token, _ = make_token(world.manager)
    client.force_login(root)
    response = client.post(f"/admin/core/user/{world.manager.pk}/password/",
                           {"password1": "An0ther-Secret-77", "password2": "An0ther-Secret-77"})
    assert response.status_code == 302
    _assert_revoked(token, "password reset")
    assert AuditEvent.objects.get(verb="api_token.revoke").actor == root


def test_it_revokes_the_tokens_when_the_admin_deactivates_the_login(client, world):
    root = User.objects.create_superuser("root", password=PASSWORD)
    token, _ = make_token(world.manager)
    client.force_login(root)
    page = client.get(f"/admin/core/user/{world.manager.pk}/change/")
    data = {key: value for key, value in page.context["adminform"].form.initial.items()
            if value is not None and key not in {"is_active", "groups", "user_permissions", "password"}}
    data.update({"date_joined_0": world.manager.date_joined.strftime("%Y-%m-%d"),
                 "date_joined_1": world.manager.date_joined.strftime("%H:%M:%S")})
    data.pop("date_joined", None)
    data.pop("last_login", None)
    response = client.post(f"/admin/core/user/{world.manager.pk}/change/", data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    world.manager.refresh_from_db()
    assert not world.manager.is_active
    _assert_revoked(token, "login deactivated")


def test_it_revokes_the_tokens_of_a_reissued_login(world):
    reissued, _ = make_token(world.manager)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a, reissue=True)
    event = AuditEvent.objects.get(verb="org.issue_logins", object_id=str(batch.pk))
    assert "E0001" in event.changes["employees"]
    _assert_revoked(reissued, "login reissued")


def test_it_revokes_the_tokens_of_a_login_deactivated_through_the_api(client, world):
    token, _ = make_token(world.manager)
    bystander, _ = make_token(world.team_lead)
    client.force_login(world.city_admin_a)
    response = client.put("/api/v1/org/employees/E0001", {"status": "left"}, content_type="application/json")
    assert response.status_code == 200, response.content
    world.manager.refresh_from_db()
    assert not world.manager.is_active
    # His derived role went with the login: one revocation, for the deactivation.
    token.refresh_from_db()
    assert token.revoked_at is not None and token.revoked_reason == "login deactivated"
    assert AuditEvent.objects.filter(verb="api_token.revoke", object_id=str(token.pk)).count() == 1
    _assert_usable(bystander)


def test_it_revokes_the_tokens_of_a_login_deactivated_by_the_roster_import(world):
    token, _ = make_token(world.manager)
    _import([["E0001", "王经理", "", "", "GZ-TH-01", "", "2022-03-01", "", "离职"]], user=world.city_admin_a)
    _assert_revoked(token, "login deactivated")


def test_it_revokes_the_tokens_made_under_a_revoked_role(world):
    binding = RoleAssignment.objects.get(user=world.manager)
    token, _ = make_token(world.manager)
    do_revoke_role(binding, acting_user=world.city_admin_a)
    _assert_revoked(token, "role lost")


def test_it_keeps_a_token_made_before_the_lost_role_was_granted(world):
    token, _ = make_token(world.manager)
    later = do_grant_role(world.manager, Role.TEAM_LEAD, world.team_a, acting_user=world.city_admin_a)
    do_revoke_role(later, acting_user=world.city_admin_a)
    _assert_usable(token)


def test_it_revokes_the_tokens_made_under_a_role_moved_with_its_employee(client, world):
    token, _ = make_token(world.team_lead)
    client.force_login(world.city_admin_a)
    response = client.put("/api/v1/org/employees/T0001", {"org_unit": "GZ-TH"},
                          content_type="application/json")
    assert response.status_code == 200, response.content
    assert RoleAssignment.objects.filter(user=world.team_lead, org_unit=world.district_a).exists()
    _assert_revoked(token, "role lost")


def test_it_revokes_the_tokens_made_under_a_role_the_roster_import_moves(world):
    token, _ = make_token(world.team_lead)
    _import([["T0001", "李班长", "", "", "GZ-TH", "班组长", "2022-03-01", "", ""]], user=SystemActor.cli())
    _assert_revoked(token, "role lost")
