"""An employee's values, checked one way: by the roster import's columns, the employee form
and the API (whose batch goes through the roster import itself).

Each function takes what the user gave (text, or a date the caller parsed) and returns the
value to store, or raises `InvalidValue`; the rules themselves are `casspath.core.validators`'.
"""

from datetime import date

from django.db.models import CharField
from django.utils import timezone

from casspath.core import validators
from casspath.core.errors import InvalidValue
from casspath.org.models import Employee, OrgUnit


def _max_length(model, field: str) -> int:
    found = model._meta.get_field(field)
    assert isinstance(found, CharField) and found.max_length is not None  # asked of CharFields only
    return found.max_length


EMPLOYEE_NO_MAX = _max_length(Employee, "employee_no")
UNIT_CODE_MAX = _max_length(OrgUnit, "code")
NAME_MAX = _max_length(Employee, "name")

# The words a status may be given in (any case), and what each means.
STATUS_OPTIONS = {
    "在职": Employee.Status.ACTIVE.value,
    "离职": Employee.Status.LEFT.value,
    "active": Employee.Status.ACTIVE.value,
    "left": Employee.Status.LEFT.value,
    "正常": Employee.Status.ACTIVE.value,
    "已离职": Employee.Status.LEFT.value,
}
STATUS_SHOWN = ["在职", "离职", "active", "left"]


def employee_no(value: str) -> str:
    """As given, but half-width (E０００１ is E0001): an employee number is also a login name,
    whose case the person types."""
    return validators.code(value.strip(), EMPLOYEE_NO_MAX)


def unit_code(value: str) -> str:
    """A unit code, half-width and upper-case: gz-th-01 and ＧＺ－ＴＨ－０１ are GZ-TH-01. Codes
    are stored so (the model refuses any other form), and every lookup by code passes the
    given code through here first."""
    return validators.code(value.strip(), UNIT_CODE_MAX, upper=True)


def unit_code_key(value: str) -> str:
    """The stored form of a code someone typed, for a lookup: never refuses (a code that is
    no code finds no unit)."""
    return validators.normalise(value).strip().upper()


def name(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidValue("姓名不能为空。", "The name may not be empty.")
    return validators.text(value, NAME_MAX)


def phone(value: str) -> str:
    """A mobile number normalised to 11 digits, or "" for none."""
    value = value.strip()
    return validators.mobile_phone(value) if value else ""


def email(value: str) -> str:
    value = value.strip()
    return validators.email(value) if value else ""


def hire_date(value: date) -> date:
    """Not after today, not before 1900."""
    return validators.past_date(value, timezone.localdate())


def status(value: str) -> str:
    found = STATUS_OPTIONS.get(value.strip()) or STATUS_OPTIONS.get(value.strip().lower())
    if found is None:
        raise InvalidValue(
            f"不是可选值之一（{'、'.join(STATUS_SHOWN)}）。",
            f"Not one of the allowed values ({', '.join(STATUS_SHOWN)}).",
        )
    return found
