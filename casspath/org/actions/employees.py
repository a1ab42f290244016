"""Writes to the roster: create, update and status changes of employees."""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from casspath.api.actions import REVOKED_LOGIN_DEACTIVATED, do_revoke_tokens_of
from casspath.core import audit
from casspath.imports.locks import ORG_TREE, hold_exclusive, hold_units, request_lock_wait_seconds
from casspath.org import scopes
from casspath.org.actions.logins import LoginMove, logins_kept_on_leaving, realign_login_roles
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import Employee, OrgUnit
from casspath.org.queries import mask_email, mask_phone
from casspath.org.scopes import Perm, require_scope

# Held by every writer that creates employees, from its insert to its commit (imports/locks.py):
# a 工号 is unique company-wide, in every spelling, which no scope lock covers.
NEW_NUMBERS_LOCK = "roster:new-employee-numbers"

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

    Waits (IMPORT_LOCK_WAIT_SECONDS_REQUEST at most, then LockBusy) for an import of the
    units it touches (`_hold_units`); a create also takes the lock of new numbers, under
    which the number is looked up again in every spelling.
    """
    values = dict(values)
    employee_no = (values.pop("employee_no", "") or "").strip()
    values = _normalise(values)
    current = Employee.objects.filter(employee_no=employee_no).values_list("org_unit_id", flat=True).first()
    _hold_units(current, values.get("org_unit"))
    employee = Employee.objects.select_for_update().filter(employee_no=employee_no).first()
    if employee is None:
        # Like the roster import's insert: under the lock of new numbers, read them again.
        hold_exclusive(NEW_NUMBERS_LOCK, wait_seconds=request_lock_wait_seconds())
        employee = Employee.objects.select_for_update().filter(employee_no=employee_no).first()
    if employee is not None:
        changes = do_update_employee(employee, values, acting_user=acting_user)
        return employee, ("updated" if changes else "unchanged"), changes
    _refuse_case_collision(employee_no, acting_user)
    employee = Employee(employee_no=employee_no, **values)
    # The database's unique key decides who creates him: a check here would race.
    employee.full_clean(validate_unique=False)
    require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    try:
        with transaction.atomic():
            employee.save()
    except IntegrityError:
        # A request for the same 工号 created him meanwhile: this one updates that row, so a
        # retried call answers "unchanged" rather than failing.
        existing = Employee.objects.select_for_update().get(employee_no=employee_no)
        changes = do_update_employee(existing, values, acting_user=acting_user)
        return existing, ("updated" if changes else "unchanged"), changes
    changes = {field: [None, _json(getattr(employee, field))] for field in EMPLOYEE_FIELDS
               if getattr(employee, field) not in (None, "")}
    audit.record(acting_user, OrgVerb.CREATE_EMPLOYEE, employee,
                 summary=f"{employee.employee_no} {employee.name} @ {employee.org_unit.code}",
                 changes=masked_changes(changes), unit=employee.org_unit)
    return employee, "created", changes


def _hold_units(*units: OrgUnit | int | None) -> set[int]:
    """Take the org tree's import lock (imports/locks.py, the roster import's key space) over
    these units' lines, exclusive on each unit and shared on its ancestors, for the rest of
    the transaction: an import whose scope contains one of them waits for this edit, and
    this edit for it. Returns the ids of the units locked."""
    ids = {unit.pk if isinstance(unit, OrgUnit) else unit for unit in units if unit is not None}
    paths = OrgUnit.objects.filter(pk__in=ids).values_list("path", flat=True)
    hold_units(ORG_TREE, [[int(part) for part in path.strip("/").split("/") if part] for path in paths])
    return ids


def _refuse_case_collision(employee_no: str, acting_user) -> None:
    """A 工号 is also a login name: "gd00025" beside "GD00025" would be a second person
    for the same number. The existing spelling is named only to whom may see it."""
    other = Employee.objects.filter(employee_no__iexact=employee_no).select_related("org_unit").first()
    if other is None:
        return
    if scopes.employee_in_scope(acting_user, Perm.IMPORT_DATA, other):
        raise ValidationError({"employee_no": (
            f"工号与已有员工的工号“{other.employee_no}”仅大小写不同。 / "
            f"This employee number differs only in case from the existing '{other.employee_no}'.")})
    raise ValidationError({"employee_no": (
        "该工号已被您权限范围外的员工使用。 / This employee number is used outside your import scope.")})


def masked_changes(changes: dict) -> dict:
    """`changes` ({field: [old, new]}) with phone and email masked, for the audit log: it
    is read by more people, for longer, than the roster."""
    masked = dict(changes)
    for field, mask in (("phone", mask_phone), ("email", mask_email)):
        if field in masked:
            masked[field] = [mask(value) if value else value for value in masked[field]]
    return masked


@transaction.atomic
def do_update_employee(employee: Employee, values: dict, *, acting_user) -> dict:
    """Change some fields of an employee; returns the changes ({} when nothing changed).

    The row is locked and re-read into `employee` first: scope, status and the changes are
    judged on him as he is now, not as a page loaded him (he may have moved out of the
    actor's scope since). Before that it waits (IMPORT_LOCK_WAIT_SECONDS_REQUEST at most,
    then LockBusy) for an import of his old or new unit (`_hold_units`), which waits for it."""
    values = _normalise(values)
    locked: set[int] = set()
    while True:
        unit_id = Employee.objects.filter(pk=employee.pk).values_list("org_unit_id", flat=True).first()
        locked |= _hold_units(unit_id, values.get("org_unit"))
        employee.refresh_from_db(from_queryset=Employee.objects.select_for_update())
        if employee.org_unit_id in locked:
            break  # else he moved between the read and the row lock: lock his unit now too
    require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    changes = audit.diff(employee, values)
    if not changes:
        return {}
    old_status = employee.status
    new_status = values.get("status", old_status)
    if new_status != old_status and new_status not in STATUS_TRANSITIONS.get(old_status, set()):
        raise ValidationError({"status": f"不允许从 {old_status} 变为 {new_status} / "
                                         f"{old_status} → {new_status} is not allowed"})
    old_unit, old_position_id = employee.org_unit, employee.position_id
    old_unit_id = old_unit.pk
    for field in changes:
        setattr(employee, field, values[field])
    employee.full_clean()
    if "org_unit" in changes:
        require_scope(acting_user, Perm.IMPORT_DATA, employee.org_unit)
    employee.save(update_fields=[*changes, "updated_at"])
    logged = masked_changes(changes)
    if _sync_login(employee, changes, acting_user=acting_user) == "kept":
        logged["login_kept_active"] = "holds roles outside the acting user's scope"
    roles = _move_login_roles(employee, old_unit_id, old_position_id, acting_user=acting_user)
    if roles:
        logged["role_bindings"] = roles
    audit.record(acting_user, OrgVerb.UPDATE_EMPLOYEE, employee,
                 summary=f"{employee.employee_no} {employee.name}", changes=logged, unit=employee.org_unit)
    if "org_unit" in changes and not employee.org_unit.is_within(old_unit):
        # A row has one unit, and the audit page shows it to those whose scope holds it: the
        # row above is the new unit's; the admins of the unit he left find the move here.
        audit.record(acting_user, OrgVerb.TRANSFER_OUT_EMPLOYEE, employee,
                     summary=f"{employee.employee_no} {employee.name}", changes=logged, unit=old_unit)
    return changes


def _move_login_roles(employee: Employee, old_unit_id: int, old_position_id: int | None, *,
                      acting_user) -> list | None:
    """Move his login's derived roles with him (`realign_login_roles`); [old, new] bindings
    as "role@UNIT" for the audit row, or None when none moved."""
    if employee.user_id is None:
        return None
    removed, added = realign_login_roles([LoginMove(
        user_id=employee.user_id, old_unit_id=old_unit_id, old_position_id=old_position_id,
        new_unit_id=employee.org_unit_id, new_position_id=employee.position_id,
        left=employee.status == Employee.Status.LEFT)], acting_user=acting_user)
    if not removed and not added:
        return None
    codes = dict(OrgUnit.objects.filter(pk__in={b[2] for b in [*removed, *added]}).values_list("id", "code"))
    return [[f"{role}@{codes[unit]}" for _u, role, unit in removed],
            [f"{role}@{codes[unit]}" for _u, role, unit in added]]


def _sync_login(employee: Employee, changes: dict, *, acting_user) -> str:
    """Keep the login's name, email and active flag in step with the roster; a deactivated
    login loses its tokens. Returns "kept" when the employee left but his login stays
    active (`logins_kept_on_leaving`: the actor may not end it), else ""."""
    user = employee.user
    if user is None:
        return ""
    fields = []
    if "name" in changes and user.first_name != employee.name:
        user.first_name, user.last_name = employee.name, ""
        fields += ["first_name", "last_name"]
    if "email" in changes and user.email != employee.email:
        user.email = employee.email
        fields.append("email")
    active = LOGIN_ACTIVE_ON_STATUS.get(employee.status) if "status" in changes else None
    kept = active is False and user.is_active and bool(logins_kept_on_leaving([user.pk], acting_user))
    if active is not None and user.is_active != active and not kept:
        user.is_active = active
        fields.append("is_active")
    if fields:
        user.save(update_fields=fields)
    if "is_active" in fields and not user.is_active:
        do_revoke_tokens_of([user.pk], reason=REVOKED_LOGIN_DEACTIVATED, acting_user=acting_user)
    return "kept" if kept else ""
