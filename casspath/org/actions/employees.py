"""Writes to the roster: create, update and status changes of employees."""

from django.core.exceptions import ValidationError
from django.db import transaction

from casspath.core import audit
from casspath.org.actions.common import require_scope
from casspath.org.models import Employee
from casspath.org.scopes import Perm

EMPLOYEE_FIELDS = ("name", "phone", "email", "org_unit", "position", "hire_date", "grade", "status")
# Blank text, never NULL, in these columns.
TEXT_FIELDS = ("name", "phone", "email")

# Status rules as data: the allowed transitions, and what a new status does to the login.
STATUS_TRANSITIONS: dict[str, set[str]] = {
    Employee.Status.ACTIVE: {Employee.Status.LEFT},
    Employee.Status.LEFT: {Employee.Status.ACTIVE},
}
# Someone who left may no longer log in; coming back needs a newly issued login.
LOGIN_ACTIVE_ON_STATUS: dict[str, bool | None] = {
    Employee.Status.LEFT: False,
    Employee.Status.ACTIVE: None,  # unchanged
}


def _json(value):
    return value if value is None or isinstance(value, str | int | float | bool) else str(value)


def _normalise(values: dict) -> dict:
    values = dict(values)
    for key in TEXT_FIELDS:
        if key in values:
            values[key] = (values[key] or "").strip()
    unknown = set(values) - set(EMPLOYEE_FIELDS)
    if unknown:
        raise ValueError(f"unknown employee fields: {sorted(unknown)}")
    return values


@transaction.atomic
def do_upsert_employee(values: dict, *, acting_user) -> tuple[Employee, str, dict]:
    """Create or update the employee whose 工号 is `values["employee_no"]`.

    `values` holds Employee fields (foreign keys as instances); on update, fields absent
    from it are left as they are. Returns (employee, "created" | "updated" | "unchanged",
    changes as {field: [old, new]}). Needs IMPORT_DATA over the old and the new unit.
    """
    values = dict(values)
    employee_no = (values.pop("employee_no", "") or "").strip()
    values = _normalise(values)
    employee = Employee.objects.select_for_update().filter(employee_no=employee_no).first()
    if employee is not None:
        changes = do_update_employee(employee, values, acting_user=acting_user)
        return employee, ("updated" if changes else "unchanged"), changes
    employee = Employee(employee_no=employee_no, **values)
    employee.full_clean()
    require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    employee.save()
    changes = {field: [None, _json(getattr(employee, field))] for field in EMPLOYEE_FIELDS
               if getattr(employee, field) not in (None, "")}
    audit.record(acting_user, "employee.create", employee,
                 summary=f"{employee.employee_no} {employee.name} @ {employee.org_unit.code}",
                 changes=changes)
    return employee, "created", changes


@transaction.atomic
def do_update_employee(employee: Employee, values: dict, *, acting_user) -> dict:
    """Change some fields of an employee; returns the changes ({} when nothing changed)."""
    values = _normalise(values)
    require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    changes = audit.diff(employee, values)
    if not changes:
        return {}
    old_status = employee.status
    new_status = values.get("status", old_status)
    if new_status != old_status and new_status not in STATUS_TRANSITIONS.get(old_status, set()):
        raise ValidationError({"status": f"不允许从 {old_status} 变为 {new_status} / "
                                         f"{old_status} → {new_status} is not allowed"})
    for field in changes:
        setattr(employee, field, values[field])
    employee.full_clean()
    if "org_unit" in changes:
        require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    employee.save(update_fields=[*changes, "updated_at"])
    _sync_login(employee, changes)
    audit.record(acting_user, "employee.update", employee,
                 summary=f"{employee.employee_no} {employee.name}", changes=changes)
    return changes


def _sync_login(employee: Employee, changes: dict) -> None:
    """Keep the login's name, email and active flag in step with the roster."""
    user = employee.user
    if user is None:
        return
    fields = []
    if "name" in changes and user.first_name != employee.name:
        user.first_name, user.last_name = employee.name, ""
        fields += ["first_name", "last_name"]
    if "email" in changes and user.email != employee.email:
        user.email = employee.email
        fields.append("email")
    active = LOGIN_ACTIVE_ON_STATUS.get(employee.status) if "status" in changes else None
    if active is not None and user.is_active != active:
        user.is_active = active
        fields.append("is_active")
    if fields:
        user.save(update_fields=fields)
