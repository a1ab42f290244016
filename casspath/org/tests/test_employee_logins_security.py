"""Logins, roles and the audit log stay in step with the roster, and never leak or give
more than the acting admin holds (review findings: login takeover, stale logins and roles
after the roster changes, case-variant 工号, personal data in the audit log)."""

import pytest
from django.core.exceptions import ValidationError

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent, User
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org import scopes
from casspath.org.actions.employees import do_update_employee, do_upsert_employee
from casspath.org.actions.logins import do_issue_logins
from casspath.org.models import Employee, LoginBatch, Position, Role, RoleAssignment
from casspath.org.scopes import Perm
from casspath.testing import PASSWORD, make_employee, make_user


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def _import(rows, *, user=None, **options):
    return run_import(registry.get("roster"), csv_bytes([ROSTER_HEADERS_ZH, *rows]), "roster.csv",
                      acting_user=user or SystemActor.cli(), dry_run=False, options=options)


def _issue_event(batch) -> AuditEvent:
    return AuditEvent.objects.get(verb="org.issue_logins", object_id=str(batch.pk))


def _bindings(user) -> set[tuple[str, str]]:
    return set(RoleAssignment.objects.filter(user=user).values_list("role", "org_unit__code"))


# --- 1. issuing logins never takes over another login ------------------------------------


@pytest.mark.parametrize("staff", [True, False])
def test_it_never_resets_a_login_not_linked_to_the_employee(world, staff):
    target = make_user("admin", name="系统管理员")
    target.is_staff = target.is_superuser = staff
    target.save()
    employee = make_employee("admin", "冒名", world.team_a)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a)
    assert batch.status == LoginBatch.Status.SUCCEEDED
    target.refresh_from_db()
    employee.refresh_from_db()
    assert target.check_password(PASSWORD) and not target.must_change_password
    assert employee.user is None and not RoleAssignment.objects.filter(user=target).exists()
    event = _issue_event(batch)
    assert event.changes["skipped"]["admin"] == "username taken by another login"
    assert "admin" not in event.changes["employees"]


def test_it_never_issues_a_login_differing_from_another_only_in_case(world):
    # Logins answer to their username in any case: "ADMIN" beside "admin" would be one name.
    target = make_user("admin", name="系统管理员")
    employee = make_employee("ADMIN", "冒名", world.team_a)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a)
    employee.refresh_from_db()
    target.refresh_from_db()
    assert employee.user is None and target.check_password(PASSWORD)
    assert not User.objects.filter(username="ADMIN").exists()
    assert _issue_event(batch).changes["skipped"]["ADMIN"] == "username taken by another login"


def test_it_refuses_to_reissue_a_login_with_roles_outside_the_issuers_scope(world):
    # E0002's login is also the province admin's: a city admin may not reset it.
    Employee.objects.filter(pk=world.colleague.pk).update(user=world.province_admin)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a, reissue=True)
    world.province_admin.refresh_from_db()
    assert world.province_admin.check_password(PASSWORD)
    assert not world.province_admin.must_change_password
    assert _issue_event(batch).changes["skipped"]["E0002"] == "login holds roles outside your scope"
    # His own team's logins are reissued as before.
    assert {"T0001", "E0001"} <= set(_issue_event(batch).changes["employees"])


def test_it_refuses_to_reissue_a_staff_or_superuser_login(world):
    staff = make_user("E0003", name="运维")
    staff.is_staff = True
    staff.save()
    make_employee("E0003", "运维", world.team_a, user=staff)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a, reissue=True)
    staff.refresh_from_db()
    assert staff.check_password(PASSWORD)
    assert _issue_event(batch).changes["skipped"]["E0003"] == "login is staff or superuser"


# --- 2. the roster import reaches the logins ---------------------------------------------


def test_it_deactivates_the_logins_of_those_the_import_marks_left(world):
    report = _import([["E0001", "王经理", "", "", "GZ-TH-01", "", "2022-03-01", "", "离职"]],
                     user=world.city_admin_a)
    assert report.ok, report.as_dict()
    world.manager.refresh_from_db()
    world.team_lead.refresh_from_db()
    assert not world.manager.is_active and world.team_lead.is_active
    assert not RoleAssignment.objects.filter(user=world.manager).exists()


def test_it_deactivates_the_logins_of_missing_employees_marked_left(world):
    report = _import([["T0001", "李班长", "", "", "GZ-TH-01", "班组长", "2022-03-01", "", ""],
                      ["E0002", "赵同事", "", "", "GZ-TH-01", "", "2022-03-01", "", ""]],
                     user=world.city_admin_a, deactivate_missing=True)
    assert report.ok and report.deactivated == 1, report.as_dict()
    world.manager.refresh_from_db()
    assert not world.manager.is_active
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.changes["logins_deactivated"] == 1 and event.changes["role_bindings_removed"] == 1


def test_it_copies_name_and_email_changes_to_the_login(world):
    world.manager.email = "old@example.com"
    world.manager.save()
    report = _import([["E0001", "王新名", "13912345678", "", "GZ-TH-01", "", "2022-03-01", "", ""],
                      ["T0001", "李班长", "", "lee@example.com", "GZ-TH-01", "班组长", "2022-03-01", "", ""]])
    assert report.ok, report.as_dict()
    world.manager.refresh_from_db()
    world.team_lead.refresh_from_db()
    # The email of E0001 was blank before and after: his login's own address stays.
    assert (world.manager.first_name, world.manager.email) == ("王新名", "old@example.com")
    assert (world.team_lead.first_name, world.team_lead.email) == ("李班长", "lee@example.com")


# --- 3. derived roles move with the employee ---------------------------------------------


def test_it_moves_a_team_leads_role_with_him(world):
    lead = Employee.objects.get(employee_no="T0001")
    do_update_employee(lead, {"org_unit": world.team_b}, acting_user=world.province_admin)
    assert _bindings(world.team_lead) == {("team_lead", "SZ-NS-01")}
    fresh = User.objects.get(pk=world.team_lead.pk)  # the bindings are cached on the user
    assert not scopes.unit_in_scope(fresh, Perm.VIEW_PERSONAL_DATA, world.team_a)
    event = AuditEvent.objects.get(verb="employee.update")
    assert event.changes["role_bindings"] == [["team_lead@GZ-TH-01"], ["team_lead@SZ-NS-01"]]


def test_it_drops_derived_roles_when_the_position_no_longer_grants_them_or_he_leaves(world):
    extra = RoleAssignment.objects.create(user=world.team_lead, role=Role.LECTURER, org_unit=world.team_a)
    lead = Employee.objects.get(employee_no="T0001")
    do_update_employee(lead, {"position": Position.objects.get(code="account_manager")},
                       acting_user=world.city_admin_a)
    # Granted by hand, not by the position: kept; the new position's own role is granted.
    assert _bindings(world.team_lead) == {("lecturer", "GZ-TH-01"), ("account_manager", "GZ-TH-01")}
    assert RoleAssignment.objects.filter(pk=extra.pk).exists()
    do_update_employee(world.manager_employee, {"status": Employee.Status.LEFT},
                       acting_user=world.city_admin_a)
    assert _bindings(world.manager) == set()


def test_it_moves_roles_in_the_roster_import(world):
    report = _import([["T0001", "李班长", "", "", "SZ-NS-01", "班组长", "2022-03-01", "", ""]])
    assert report.ok, report.as_dict()
    assert _bindings(world.team_lead) == {("team_lead", "SZ-NS-01")}
    assert AuditEvent.objects.get(verb="import.roster").changes["role_bindings_added"] == 1


# --- 4. import messages name no unit outside the scope -----------------------------------


def test_it_gives_one_neutral_reason_for_an_absent_or_foreign_unit_path(world):
    def run(path):
        return _import([["E0003", "钱", "", "", path, "", "2022-03-01", "", ""]], user=world.city_admin_a)

    foreign, absent = run("广东公司/深圳分公司/南山区/政企二班"), run("广东公司/深圳分公司/南山区/政企九班")
    (error,), (other,) = foreign.errors, absent.errors
    assert "does not exist or is outside your import scope" in error.reason_en
    assert "不存在或不在您的导入权限范围内" in error.reason_zh
    assert error.reason_en.replace("政企二班", "政企九班") == other.reason_en


# --- 5. 工号 are unique regardless of case ----------------------------------------------


def test_it_refuses_a_case_variant_employee_number_in_the_import(world):
    report = _import([["e0002", "赵同事", "", "", "GZ-TH-01", "", "2022-03-01", "", ""],
                      ["e0100", "深圳员工", "", "", "GZ-TH-01", "", "2022-03-01", "", ""],
                      ["E0300", "新人", "", "", "GZ-TH-01", "", "2022-03-01", "", ""],
                      ["e0300", "新人", "", "", "GZ-TH-01", "", "2022-03-01", "", ""]],
                     user=world.city_admin_a)
    assert not report.ok
    reasons = {e.value: (e.reason_zh, e.reason_en) for e in report.errors}
    assert set(reasons) == {"e0002", "e0100", "e0300"}
    assert "E0002" in reasons["e0002"][0] and "E0002" in reasons["e0002"][1]
    # E0100 is another city's: no spelling, no unit.
    assert reasons["e0100"] == ("该工号已被您权限范围外的员工使用。",
                                "This employee number is used outside your import scope.")
    assert "row 4" in reasons["e0300"][1]
    assert not Employee.objects.filter(employee_no__in=["e0002", "e0100", "E0300"]).exists()


def test_it_refuses_a_case_variant_employee_number_in_upsert(world):
    values = {"name": "赵同事", "org_unit": world.team_a, "hire_date": "2022-03-01"}
    with pytest.raises(ValidationError) as raised:
        do_upsert_employee({**values, "employee_no": "e0002"}, acting_user=world.city_admin_a)
    assert "E0002" in str(raised.value)
    with pytest.raises(ValidationError) as raised:
        do_upsert_employee({**values, "employee_no": "e0100"}, acting_user=world.city_admin_a)
    assert "E0100" not in str(raised.value) and "outside your import scope" in str(raised.value)
    assert Employee.objects.filter(employee_no__iexact="e0002").count() == 1


# --- 6. the audit log masks personal data ------------------------------------------------


def test_it_masks_phone_and_email_in_the_audit_log(world):
    employee, _outcome, changes = do_upsert_employee(
        {"employee_no": "E0003", "name": "钱", "org_unit": world.team_a, "hire_date": "2022-03-01",
         "phone": "13800008000", "email": "qian@example.com"}, acting_user=world.city_admin_a)
    created = AuditEvent.objects.get(verb="employee.create")
    assert created.changes["phone"] == [None, "138****8000"]
    assert created.changes["email"] == [None, "q***@example.com"]
    do_update_employee(employee, {"phone": "13900009000"}, acting_user=world.city_admin_a)
    updated = AuditEvent.objects.get(verb="employee.update")
    assert updated.changes["phone"] == ["138****8000", "139****9000"]
    assert "13800008000" not in str(created.changes) + str(updated.changes)


def test_it_reissues_a_linked_login_whose_username_is_not_the_employee_number(world):
    zhao = make_user("zhao", name="赵同事")
    Employee.objects.filter(pk=world.colleague.pk).update(user=zhao)
    batch = do_issue_logins(world.team_a, acting_user=world.city_admin_a, reissue=True)
    assert batch.status == LoginBatch.Status.SUCCEEDED, batch.error_en
    zhao.refresh_from_db()
    assert zhao.must_change_password and not zhao.check_password(PASSWORD)
    assert not User.objects.filter(username="E0002").exists()
