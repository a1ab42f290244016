"""The employee list: its filters from URL parameters, the employees the user may see,
their rows (personal data masked as required), its pages and its filters' options."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from casspath.analytics.tenure import hire_date_range
from casspath.core import paging
from casspath.core.validators import normalise
from casspath.org import scopes, search
from casspath.org.models import Employee, Grade, OrgUnit, Position, local_name
from casspath.org.queries.personal import can_see_personal_data, mask_email, mask_phone
from casspath.org.queries.stages import StageLookup, _today, stage_bounds, stages_by_code
from casspath.org.queries.units import unit_for_picker, unit_labels
from casspath.org.scopes import Perm


@dataclass(frozen=True)
class FilterError:
    field: str
    value: str
    message_zh: str
    message_en: str

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


@dataclass(frozen=True)
class EmployeeFilters:
    q: str = ""
    unit: OrgUnit | None = None
    stage: str = ""
    position: Position | None = None
    grade: Grade | None = None
    status: str = ""

    def as_params(self) -> dict[str, str]:
        """The filters as URL parameters (kept in links and pagination)."""
        params = {
            "q": self.q,
            "unit": self.unit.code if self.unit else "",
            "stage": self.stage,
            "position": self.position.code if self.position else "",
            "grade": self.grade.code if self.grade else "",
            "status": self.status,
        }
        return {key: value for key, value in params.items() if value}


FILTER_KEYS = ("q", "unit", "stage", "position", "grade", "status")


def match_value(value: str, rows, *attrs: str):
    """The row whose code, name or English name equals `value` (case-insensitive)."""
    wanted = value.strip().casefold()
    for row in rows:
        if any((getattr(row, attr) or "").casefold() == wanted for attr in attrs):
            return row
    return None


def parse_employee_filters(user, params: Mapping[str, str]) -> tuple[EmployeeFilters, list[FilterError]]:
    """Filters from URL parameters; a bad value is reported (zh + en) and ignored."""
    errors: list[FilterError] = []
    raw = {key: (params.get(key) or "").strip() for key in FILTER_KEYS}
    # Full-width digits typed on a phone (１３８…) search as digits.
    values: dict = {"q": normalise(raw["q"])[:100]}
    if raw["unit"]:
        # A code, or a name only one unit of the scope has (the picker's box without JavaScript).
        text = raw["unit"]
        unit, same = unit_for_picker(user, Perm.VIEW_EMPLOYEES, text)
        if same:
            codes = ", ".join(other.code for other in same)
            errors.append(FilterError(
                "unit", text, f"有多个单位名为“{text}”：请从列表中选择，或输入单位编码（{codes}）",
                f"several units are named '{text}': choose one from the list, or type its code ({codes})"))
        elif unit is None:
            errors.append(FilterError(
                "unit", text, f"单位编码“{text}”不存在或不在您的范围内",
                f"unit code '{text}' does not exist or is outside your scope"))
        values["unit"] = unit
    for choice in CHOICE_FILTERS:
        value = raw[choice.key]
        if not value:
            continue
        row = match_value(value, choice.rows(), "code", "name", "name_en")
        if row is None:
            errors.append(FilterError(
                choice.key, value, f"{choice.label_zh}“{value}”不存在{choice.hint_zh}",
                f"{choice.label_en} '{value}' does not exist{choice.hint_en}"))
        values[choice.key] = (row.code if row else "") if choice.keeps_code else row
    return EmployeeFilters(**values), errors


@dataclass(frozen=True)
class _StatusRow:
    code: str
    name: str
    name_en: str

    @property
    def local_name(self) -> str:
        return local_name(self.name, self.name_en)


STATUS_ROWS = (
    _StatusRow(Employee.Status.ACTIVE, "在职", "active"),
    _StatusRow(Employee.Status.LEFT, "离职", "left"),
)


@dataclass(frozen=True)
class _ChoiceFilter:
    """A filter whose value names one of a list of rows, by code, name or English name."""

    key: str
    rows: Callable[[], Iterable]
    label_zh: str
    label_en: str
    keeps_code: bool  # the filter holds the row's code, else the row itself
    hint_zh: str = ""
    hint_en: str = ""


CHOICE_FILTERS = (
    _ChoiceFilter("stage", lambda: stages_by_code().values(), "成长阶段", "growth stage", keeps_code=True),
    _ChoiceFilter("position", Position.objects.all, "岗位", "position", keeps_code=False),
    _ChoiceFilter("grade", Grade.objects.all, "职级", "grade", keeps_code=False),
    _ChoiceFilter("status", lambda: STATUS_ROWS, "状态", "status", keeps_code=True,
                  hint_zh="（在职 / 离职）", hint_en=" (active / left)"),
)


def employees_visible(user, filters: EmployeeFilters | None = None, *, today: date | None = None,
                      perm: Perm = Perm.VIEW_EMPLOYEES) -> QuerySet[Employee]:
    """The employees the user may see, filtered, ready for a list (no N+1)."""
    filters = filters or EmployeeFilters()
    qs = scopes.employees_for(user, perm).select_related("org_unit", "position", "grade")
    if filters.q:
        # Name, number and phone, each from an index; phones only among those whose phone
        # the user may read, so probing digits reveals no masked number (org/search.py).
        qs = qs.filter(search.search_q(user, filters.q))
    if filters.unit is not None:
        qs = qs.filter(org_unit__path__startswith=filters.unit.path)
    if filters.stage:
        today = today or _today()
        for code, lower, upper in stage_bounds():
            if code == filters.stage:
                after, on_or_before = hire_date_range(lower, upper, today)
                qs = qs.filter(hire_date__lte=on_or_before)
                if after is not None:
                    qs = qs.filter(hire_date__gt=after)
    if filters.position is not None:
        qs = qs.filter(position=filters.position)
    if filters.grade is not None:
        qs = qs.filter(grade=filters.grade)
    if filters.status:
        qs = qs.filter(status=filters.status)
    return qs.order_by("employee_no")



@dataclass(frozen=True)
class EmployeeRow:
    """What a list shows of one employee, personal data masked as the viewer requires."""

    employee: Employee
    phone: str
    email: str
    personal_visible: bool
    stage_code: str | None
    stage_name: str
    tenure_years: int | None
    unit_label: str  # the unit's name, with enough of its path where the name is ambiguous



def employee_rows(user, employees: Iterable[Employee], *,
                  lookup: StageLookup | None = None) -> list[EmployeeRow]:
    lookup = lookup or StageLookup()
    employees = list(employees)
    labels = unit_labels(employee.org_unit for employee in employees)
    rows = []
    for employee in employees:
        visible = can_see_personal_data(user, employee)
        code, years = lookup.stage(employee.hire_date)
        rows.append(EmployeeRow(
            employee=employee,
            phone=employee.phone if visible else mask_phone(employee.phone),
            email=employee.email if visible else mask_email(employee.email),
            personal_visible=visible,
            stage_code=code,
            stage_name=lookup.name(code),
            tenure_years=years,
            unit_label=labels[employee.org_unit_id],
        ))
    return rows


EMPLOYEE_PAGE_SIZE = 50


@dataclass(frozen=True)
class EmployeePage:
    """One page of the employee list: its rows in employee-number order, the keys of the pages
    either side, and the count of the whole list, capped (`core/paging.py`)."""

    employees: list[Employee]
    next_key: str | None
    previous_key: str | None
    count: paging.CappedCount


def employee_page(user, filters: EmployeeFilters, *, after: str | None = None, before: str | None = None,
                  offset: int = 0, size: int = EMPLOYEE_PAGE_SIZE,
                  perm: Perm = Perm.VIEW_EMPLOYEES) -> EmployeePage:
    """The employees after (or before) an employee number, read from its index whatever the
    page's depth (or from a shallow `offset`, for the API's page numbers); the count exact up
    to `paging.COUNT_CAP`."""
    employees = employees_visible(user, filters, perm=perm)
    if offset:
        page = paging.offset_page(employees, "employee_no", size=size, offset=offset)
    else:
        page = paging.keyset_page(employees, "employee_no", size=size, after=after, before=before)
    return EmployeePage(page.rows, page.next_key, page.previous_key, paging.capped_count(employees))


def filter_choices(user) -> dict:
    """The options of the list's filters (units are picked by search: `search_units`)."""
    return {
        "stages": list(stages_by_code().values()),
        "positions": list(Position.objects.all()),
        "grades": list(Grade.objects.all()),
        "statuses": STATUS_ROWS,
    }
