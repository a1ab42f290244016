"""The only way views and API endpoints load one org object: scope-checked through
`org/scopes.py`, with the same 404 for "absent" and "not yours"."""

from django.core.exceptions import PermissionDenied
from django.http import Http404

from casspath.core.prepared import PreparedQuery
from casspath.core.validators import normalise
from casspath.org import scopes
from casspath.org.models import Employee, LoginBatch, OrgUnit
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key

# An employee's page and the API's read him on every request: compiled once (core/prepared.py).
_employee_by_no = PreparedQuery(
    lambda employee_no: Employee.objects.select_related("org_unit", "position", "grade", "user")
    .filter(employee_no=employee_no).order_by("pk")[:1],
    str)


def access_employee_by_no(user, employee_no: str, perm: Perm = Perm.VIEW_EMPLOYEES) -> Employee:
    """An employee by his number as someone typed it: half-width (ＧＤ00016), and in any case
    when his own spelling is not the one given (numbers are unique whatever their case)."""
    employee_no = normalise(employee_no).strip()
    employee = _employee_by_no.first(employee_no)
    if employee is None and employee_no:
        employee = (Employee.objects.select_related("org_unit", "position", "grade", "user")
                    .filter(employee_no__iexact=employee_no).order_by("pk").first())
    if employee is None or not scopes.employee_in_scope(user, perm, employee):
        raise Http404("No such employee")
    return employee


def access_employee_for_upsert(user, employee_no: str) -> Employee | None:
    """The employee an upsert by number would change, or None when the number is free.

    PermissionDenied when the user sees him but may not import him; Http404 when he is out
    of sight, which the caller answers as it answers a number that cannot be used (an
    unknown number and a hidden one must look alike)."""
    employee = Employee.objects.select_related("org_unit").filter(employee_no=employee_no).first()
    if employee is None or scopes.employee_in_scope(user, Perm.IMPORT_DATA, employee):
        return employee
    if scopes.employee_in_scope(user, Perm.VIEW_EMPLOYEES, employee):
        raise PermissionDenied("may not change this employee")
    raise Http404("No such employee")


def access_unit_by_code(user, code: str, perm: Perm = Perm.VIEW_EMPLOYEES) -> OrgUnit:
    unit = OrgUnit.objects.select_related("parent").filter(code=unit_code_key(code)).first()
    if unit is None or not scopes.unit_in_scope(user, perm, unit):
        raise Http404("No such unit")
    return unit


def access_login_batch_by_id(user, batch_id: int) -> LoginBatch:
    """A login batch, for the admin who issued it only, while he may still issue logins
    for its unit."""
    batch = LoginBatch.objects.select_related("org_unit").filter(pk=batch_id).first()
    if (
        batch is None
        or not getattr(user, "is_authenticated", False)
        or batch.created_by_id != user.pk
        or not scopes.unit_in_scope(user, Perm.ISSUE_LOGINS, batch.org_unit)
    ):
        raise Http404("No such login batch")
    return batch


def access_login_batch_to_cancel(user, batch_id: int) -> LoginBatch:
    """A login batch its admin may cancel (as `access_login_batch_by_id`), or any admin who
    may issue logins for its unit: stopping a runaway batch needs no password file."""
    batch = LoginBatch.objects.select_related("org_unit").filter(pk=batch_id).first()
    if (
        batch is None
        or not getattr(user, "is_authenticated", False)
        or not scopes.unit_in_scope(user, Perm.ISSUE_LOGINS, batch.org_unit)
    ):
        raise Http404("No such login batch")
    return batch
