"""Marking an employee left never lets an admin end a login stronger than his own: the rule
login issuing applies (roles outside his scope, staff or superuser) keeps it active."""

import pytest

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.models import Employee, Role, RoleAssignment

LEFT_ROW = ["E0001", "王经理", "", "", "GZ-TH-01", "", "2022-03-01", "", "离职"]


@pytest.fixture
def foreign(world):
    """E0001's login also administers Shenzhen: beyond the Guangzhou admin's reach."""
    RoleAssignment.objects.create(user=world.manager, role=Role.TRAINING_ADMIN, org_unit=world.city_b)
    return world.manager


def _import(rows, *, user, **options):
    report = run_import(registry.get("roster"), csv_bytes([ROSTER_HEADERS_ZH, *rows]), "roster.csv",
                        acting_user=user, dry_run=False, options=options)
    assert report.ok, report.as_dict()
    return report


def test_it_marks_left_through_the_api_but_keeps_a_login_with_foreign_roles(client, world, foreign):
    client.force_login(world.city_admin_a)
    response = client.put("/api/v1/org/employees/E0001", {"status": "left"}, content_type="application/json")
    assert response.status_code == 200, response.content
    world.manager_employee.refresh_from_db()
    foreign.refresh_from_db()
    assert world.manager_employee.status == Employee.Status.LEFT
    assert foreign.is_active
    # His Shenzhen role is not the Guangzhou admin's to take; the one his position gave goes.
    assert set(RoleAssignment.objects.filter(user=foreign).values_list("role", "org_unit__code")) == {
        (Role.TRAINING_ADMIN, "SZ")}
    event = AuditEvent.objects.get(verb="employee.update", object_id=str(world.manager_employee.pk))
    assert event.changes["login_kept_active"] == "holds roles outside the acting user's scope"


def test_it_keeps_a_staff_login_active_when_a_city_admin_marks_him_left(client, world):
    world.manager.is_staff = True
    world.manager.save(update_fields=["is_staff"])
    client.force_login(world.city_admin_a)
    assert client.put("/api/v1/org/employees/E0001", {"status": "left"},
                      content_type="application/json").status_code == 200
    world.manager.refresh_from_db()
    assert world.manager.is_active


def test_it_lets_the_province_admin_end_that_login(client, world, foreign):
    client.force_login(world.province_admin)
    assert client.put("/api/v1/org/employees/E0001", {"status": "left"},
                      content_type="application/json").status_code == 200
    foreign.refresh_from_db()
    assert not foreign.is_active


def test_it_keeps_a_login_with_foreign_roles_in_the_roster_import(world, foreign):
    _import([LEFT_ROW], user=world.city_admin_a)
    world.manager_employee.refresh_from_db()
    foreign.refresh_from_db()
    assert world.manager_employee.status == Employee.Status.LEFT and foreign.is_active
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.changes["logins_kept_active"] == 1 and event.changes["logins_deactivated"] == 0


def test_it_keeps_it_when_the_import_marks_the_missing_left(world, foreign):
    _import([["T0001", "李班长", "", "", "GZ-TH-01", "班组长", "2022-03-01", "", ""],
             ["E0002", "赵同事", "", "", "GZ-TH-01", "", "2022-03-01", "", ""]],
            user=world.city_admin_a, deactivate_missing=True)
    world.manager_employee.refresh_from_db()
    foreign.refresh_from_db()
    assert world.manager_employee.status == Employee.Status.LEFT and foreign.is_active


def test_it_still_deactivates_an_ordinary_login_in_the_import(world):
    _import([LEFT_ROW], user=world.city_admin_a)
    world.manager.refresh_from_db()
    assert not world.manager.is_active


def test_it_the_command_line_reaches_every_login(world, foreign):
    _import([LEFT_ROW], user=SystemActor.cli())
    foreign.refresh_from_db()
    assert not foreign.is_active
