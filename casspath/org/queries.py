"""Reads of the org tree and the roster, always through the user's scope (`org/scopes.py`)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date

from django.conf import settings
from django.db.models import Count, Q, QuerySet

from casspath.analytics.tenure import StageBounds, completed_years, hire_date_range, stage_on, validate_bounds
from casspath.core.validators import normalise
from casspath.org import scopes
from casspath.org.models import Employee, Grade, LoginBatch, OrgUnit, Position, Stage
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key

# ---------------------------------------------------------------- stages


def stage_bounds() -> StageBounds:
    """Stage bounds as configured in the Stage table, else the settings default."""
    rows = list(Stage.objects.order_by("min_years").values_list("code", "min_years", "max_years"))
    bounds = rows or settings.CASSPATH["DEFAULT_STAGE_BOUNDS"]
    validate_bounds(bounds)
    return bounds


def stages_by_code() -> dict[str, Stage]:
    return {stage.code: stage for stage in Stage.objects.all()}


def stage_of(hire_date: date, on: date, bounds: StageBounds | None = None) -> str | None:
    if hire_date > on:
        return None
    return stage_on(hire_date, on, bounds or stage_bounds())



# ---------------------------------------------------------------- personal data


def mask_phone(phone: str) -> str:
    """138****8000: the middle of a mobile number hidden; short numbers hidden more."""
    phone = (phone or "").strip()
    if not phone:
        return ""
    if len(phone) >= 11:
        return f"{phone[:3]}****{phone[-4:]}"
    if len(phone) >= 7:
        return f"{phone[:2]}****{phone[-2:]}"
    return "****"


def mask_email(email: str) -> str:
    """w***@example.com: the mailbox hidden, the domain kept (it says only the company)."""
    email = (email or "").strip()
    if not email:
        return ""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}***@{domain}" if domain else "***"


def can_see_personal_data(user, employee: Employee) -> bool:
    return scopes.employee_in_scope(user, Perm.VIEW_PERSONAL_DATA, employee)


def shown_phone(user, employee: Employee) -> str:
    return employee.phone if can_see_personal_data(user, employee) else mask_phone(employee.phone)


def shown_email(user, employee: Employee) -> str:
    return employee.email if can_see_personal_data(user, employee) else mask_email(employee.email)


# ---------------------------------------------------------------- the org tree


@dataclass
class UnitNode:
    unit: OrgUnit
    headcount: int = 0  # active employees in the subtree
    own_headcount: int = 0  # active employees directly in the unit
    children: list["UnitNode"] = field(default_factory=list)


def _child_order(node: UnitNode) -> tuple:
    # Departments (集团客户部, 培训学院) after the line units, then by code.
    return (node.unit.kind == OrgUnit.Kind.DEPARTMENT, node.unit.code)


def unit_tree(user, perm: Perm = Perm.VIEW_EMPLOYEES, *, root: OrgUnit | None = None) -> list[UnitNode]:
    """The units the user reaches (below `root` if given), as a forest (one root per scope
    root), with the active headcount of every subtree. Two queries whatever its size."""
    units = scopes.units_for(user, perm)
    if root is not None:
        units = units.filter(path__startswith=root.path)
    unit_list = list(units)
    counts = dict(
        Employee.objects.filter(status=Employee.Status.ACTIVE, org_unit__in=units)
        .order_by()
        .values("org_unit_id")
        .annotate(n=Count("id"))
        .values_list("org_unit_id", "n")
    )
    nodes = {unit.pk: UnitNode(unit, own_headcount=counts.get(unit.pk, 0)) for unit in unit_list}
    roots: list[UnitNode] = []
    for unit in unit_list:
        node = nodes[unit.pk]
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        (parent.children if parent else roots).append(node)
    # Deepest first, so each subtree total is complete before its parent adds it.
    for unit in sorted(unit_list, key=lambda u: u.depth, reverse=True):
        node = nodes[unit.pk]
        node.headcount += node.own_headcount
        node.children.sort(key=_child_order)
        parent = nodes.get(unit.parent_id) if unit.parent_id else None
        if parent is not None:
            parent.headcount += node.headcount
    roots.sort(key=_child_order)
    return roots


def flatten_tree(roots: Iterable[UnitNode]) -> list[UnitNode]:
    """Tree order: each unit followed by its subtree."""
    out: list[UnitNode] = []
    stack = list(reversed(list(roots)))
    while stack:
        node = stack.pop()
        out.append(node)
        stack.extend(reversed(node.children))
    return out


def unit_path_names(unit: OrgUnit) -> list[str]:
    """Names from the root down to `unit` (one query)."""
    ids = unit.ancestor_ids()
    names = dict(OrgUnit.objects.filter(pk__in=ids).values_list("pk", "name"))
    return [names[pk] for pk in ids if pk in names]


def unit_headcount(unit: OrgUnit) -> dict[str, int]:
    """Active and left employees in the subtree of `unit`."""
    row = Employee.objects.filter(org_unit__path__startswith=unit.path).aggregate(
        active=Count("id", filter=Q(status=Employee.Status.ACTIVE)),
        left=Count("id", filter=Q(status=Employee.Status.LEFT)),
    )
    return {"active": row["active"], "left": row["left"]}


def employees_without_login(unit: OrgUnit) -> int:
    """Active employees in the subtree who have no working login."""
    return (
        Employee.objects.filter(org_unit__path__startswith=unit.path, status=Employee.Status.ACTIVE)
        .filter(Q(user__isnull=True) | Q(user__is_active=False))
        .count()
    )


# ---------------------------------------------------------------- the employee list


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
        unit = scopes.units_for(user, Perm.VIEW_EMPLOYEES).filter(code=unit_code_key(raw["unit"])).first()
        if unit is None:
            errors.append(FilterError(
                "unit", raw["unit"], f"单位编码“{raw['unit']}”不存在或不在您的范围内",
                f"unit code '{raw['unit']}' does not exist or is outside your scope"))
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
        match = Q(name__icontains=filters.q) | Q(employee_no__icontains=filters.q)
        # Searching by phone only among those whose phone the user may read: otherwise
        # probing digits would reveal masked numbers.
        personal = scopes.employees_for(user, Perm.VIEW_PERSONAL_DATA).values("pk")
        match |= Q(phone__contains=filters.q, pk__in=personal)
        qs = qs.filter(match)
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


def _today() -> date:
    from django.utils import timezone

    return timezone.localdate()


UNIT_PATH_SEPARATOR = " / "


def unit_labels(units: Iterable[OrgUnit]) -> dict[int, str]:
    """Each unit's name, or, where two units shown together share it (two 商客二班 in one
    city), the shortest run of its ancestors' names that tells it apart: "天河区 / 商客二班".

    One query, for the ancestors of the ambiguous units only (their ids are in `path`);
    none when every name is unique on the page.
    """
    units = list({unit.pk: unit for unit in units}.values())
    by_name: dict[str, list[OrgUnit]] = {}
    for unit in units:
        by_name.setdefault(unit.name, []).append(unit)
    labels = {unit.pk: unit.name for unit in units}
    ambiguous = [unit for same in by_name.values() if len(same) > 1 for unit in same]
    if not ambiguous:
        return labels
    wanted = {pk for unit in ambiguous for pk in unit.ancestor_ids()[:-1]}
    names = dict(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name"))
    for same in (same for same in by_name.values() if len(same) > 1):
        # Lines of names from the unit upwards; grow every label of the group by one
        # ancestor until all differ, or until the roots are reached.
        lines = {unit.pk: [unit.name, *(names.get(pk, "") for pk in reversed(unit.ancestor_ids()[:-1]))]
                 for unit in same}
        longest = length = max(map(len, lines.values()))
        for length in range(2, longest + 1):  # noqa: B007 (the length reached is used below)
            shown = {pk: tuple(line[:length]) for pk, line in lines.items()}
            if len(set(shown.values())) == len(shown):
                break
        for pk, line in lines.items():
            labels[pk] = UNIT_PATH_SEPARATOR.join(reversed(line[:length]))
    return labels


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


class StageLookup:
    """Stage and tenure of many employees with the stage table read once."""

    def __init__(self, today: date | None = None):
        self.today = today or _today()
        self.bounds = stage_bounds()
        self.stages = stages_by_code()

    def stage(self, hire: date) -> tuple[str | None, int | None]:
        if hire > self.today:
            return None, None
        years = completed_years(hire, self.today)
        for code, lower, upper in self.bounds:
            if lower <= years and (upper is None or years < upper):
                return code, years
        return None, years

    def name(self, code: str | None) -> str:
        """The stage's name in the active language."""
        if not code:
            return ""
        stage = self.stages.get(code)
        return stage.local_name if stage else code


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


def unit_options(units: QuerySet[OrgUnit]) -> list[tuple[str, str]]:
    """(code, name indented by depth) in tree order, for a select."""
    # Sorted here, not by the database: a locale collation may ignore the "/" of paths.
    rows = sorted(units.only("code", "name", "depth", "path"), key=OrgUnit.ancestor_ids)
    top = min((unit.depth for unit in rows), default=0)
    return [(unit.code, f"{'· ' * (unit.depth - top)}{unit.name}") for unit in rows]


def filter_choices(user) -> dict:
    """The options of the list's filters, within the user's scope."""
    return {
        "units": unit_options(scopes.units_for(user, Perm.VIEW_EMPLOYEES)),
        "stages": list(stages_by_code().values()),
        "positions": list(Position.objects.all()),
        "grades": list(Grade.objects.all()),
        "statuses": STATUS_ROWS,
    }


# ---------------------------------------------------------------- logins


def labelled_batches(batches: Iterable[LoginBatch]) -> list[LoginBatch]:
    """The batches, each with `unit_label` (`unit_labels`): the same team name in two
    districts reads apart."""
    batches = list(batches)
    labels = unit_labels(batch.org_unit for batch in batches)
    for batch in batches:
        batch.unit_label = labels[batch.org_unit_id]
    return batches


def login_batches_of(user, unit: OrgUnit | None = None) -> QuerySet[LoginBatch]:
    """The login batches the user issued (only he may download them)."""
    qs = LoginBatch.objects.filter(created_by_id=user.pk).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    return qs
