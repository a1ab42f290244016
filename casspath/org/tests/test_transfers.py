"""An employee moving between cities keeps his 工号 (HR's): a training admin whose scope
holds both units (the province's) moves him by roster import or on his edit page, his login
and its derived roles with him; a city admin is told who can, naming neither the other
unit nor the person."""

import json

import pytest

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.models import Employee, Role, RoleAssignment
from casspath.testing import log_in, make_user

MOVE = ["E0100", "深圳员工", "13600002222", "", "GZ-TH-01", "客户经理", "2022-03-01", "", ""]


@pytest.fixture
def mover(world):
    """E0100 of Shenzhen, with a login holding the role his position gives him there."""
    user = make_user("E0100", role=Role.ACCOUNT_MANAGER, unit=world.team_b, name="深圳员工")
    Employee.objects.filter(pk=world.city_b_employee.pk).update(user=user)
    return user


def _import(user, rows=(MOVE,)):
    return run_import(registry.get("roster"), csv_bytes([ROSTER_HEADERS_ZH, *rows]), "roster.csv",
                      acting_user=user, dry_run=False, options={})


def _bindings(user) -> set[tuple[str, str]]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", "org_unit__code"))


def test_it_lets_the_province_admin_move_him_by_roster_import(world, mover):
    report = _import(world.province_admin)
    assert report.ok and report.updated == 1, report.as_dict()
    employee = Employee.objects.get(employee_no="E0100")
    assert (employee.org_unit, employee.user) == (world.team_a, mover)
    mover.refresh_from_db()
    assert mover.is_active
    assert _bindings(mover) == {(Role.ACCOUNT_MANAGER, "GZ-TH-01")}
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.actor == world.province_admin and event.changes["role_bindings_added"] == 1


def test_it_lets_the_province_admin_move_him_on_the_edit_page(client, world, mover):
    log_in(client, world.province_admin)
    assert client.get("/org/employees/E0100/edit/").status_code == 200
    offered = client.get("/org/unit-choices/", {"perm": "import_data", "q": "政企"}).text
    assert 'data-code="GZ-TH-01"' in offered and 'data-code="SZ-NS-01"' in offered  # both cities
    employee = world.city_b_employee
    response = client.post("/org/employees/E0100/edit/", {
        "name": employee.name, "phone": employee.phone, "email": "", "org_unit": "GZ-TH-01",
        "position": "account_manager", "hire_date": "2022-03-01", "grade": "", "status": "active",
    })
    assert response.status_code == 302
    employee.refresh_from_db()
    assert (employee.org_unit, employee.user) == (world.team_a, mover)
    assert _bindings(mover) == {(Role.ACCOUNT_MANAGER, "GZ-TH-01")}
    event = AuditEvent.objects.get(verb="employee.update")
    assert "org_unit" in event.changes and event.changes["role_bindings"]


def test_it_tells_the_new_citys_admin_who_can_move_him(world, mover):
    report = _import(world.city_admin_a)
    assert not report.ok
    (error,) = report.errors
    assert "E0100" in error.reason_zh and "省公司" in error.reason_zh
    assert "a training admin of a unit holding both units" in error.reason_en
    for secret in ("SZ", "深圳", "政企二班", "南山"):
        assert secret not in error.reason_zh + error.reason_en
    employee = Employee.objects.get(employee_no="E0100")
    assert employee.org_unit == world.team_b


def test_it_tells_an_api_caller_who_can_move_him(client, world, mover):
    log_in(client, world.city_admin_a)
    body = {"name": "深圳员工", "org_unit": "GZ-TH-01", "hire_date": "2022-03-01"}
    response = client.put("/api/v1/org/employees/E0100", data=json.dumps(body),
                          content_type="application/json")
    assert response.status_code == 422
    detail = response.json()
    assert "unit holding both units" in detail["detail_en"] and "省公司" in detail["detail_zh"]
    assert "SZ" not in detail["detail_en"]


def test_it_keeps_the_old_citys_admin_to_his_own_units(client, world, mover):
    log_in(client, world.city_admin_b)
    page = client.get("/org/employees/E0100/edit/").text
    assert "同时涵盖两个单位" in page
    offered = client.get("/org/unit-choices/", {"perm": "import_data", "q": "政企"}).text
    assert 'data-code="GZ-TH-01"' not in offered and 'data-code="SZ-NS-01"' in offered
    employee = world.city_b_employee
    response = client.post("/org/employees/E0100/edit/", {
        "name": employee.name, "phone": employee.phone, "email": "", "org_unit": "GZ-TH-01",
        "position": "account_manager", "hire_date": "2022-03-01", "grade": "", "status": "active",
    })
    assert response.status_code == 200 and response.context["form"].errors["org_unit"]
    employee.refresh_from_db()
    assert employee.org_unit == world.team_b
    assert _bindings(mover) == {(Role.ACCOUNT_MANAGER, "SZ-NS-01")}


def test_it_the_system_actor_moves_him_too(world, mover):
    assert _import(SystemActor.cli()).ok
    assert Employee.objects.get(employee_no="E0100").org_unit == world.team_a


def test_it_shows_the_move_on_the_audit_page_of_both_cities_and_no_other(client, world, mover):
    from django.urls import reverse

    from casspath.org.actions.employees import do_update_employee

    do_update_employee(world.city_b_employee, {"org_unit": world.team_a}, acting_user=world.province_admin)
    rows = {row.verb: row for row in AuditEvent.objects.filter(object_id=str(world.city_b_employee.pk))}
    assert rows["employee.update"].org_unit_path == world.team_a.path
    assert rows["employee.transfer_out"].org_unit_path == world.team_b.path
    assert rows["employee.transfer_out"].changes["org_unit"] == rows["employee.update"].changes["org_unit"]
    seen_by = ((world.city_admin_a, "employee.update"), (world.city_admin_b, "employee.transfer_out"))
    for admin, verb in seen_by:
        client.force_login(admin)
        found = client.get(reverse("org:audit_log"), {"object_id": str(world.city_b_employee.pk)}).context
        assert [row.verb for row in found["page"].rows] == [verb]
    client.force_login(world.outsider)
    assert client.get(reverse("org:audit_log")).status_code in (403, 404)


def test_it_files_a_move_within_the_old_unit_under_the_new_unit_only(world):
    from casspath.org.actions.employees import do_update_employee
    from casspath.org.models import OrgUnit
    from casspath.testing import make_unit

    below = make_unit("SZ-NS-01-A", "一组", OrgUnit.Kind.TEAM, world.team_b)
    do_update_employee(world.city_b_employee, {"org_unit": below}, acting_user=world.city_admin_b)
    rows = AuditEvent.objects.filter(object_id=str(world.city_b_employee.pk))
    # His old unit's admins see the new unit's row already.
    assert set(rows.values_list("verb", flat=True)) == {"employee.update"}
