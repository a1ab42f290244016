"""Reads of the org tree and the roster, always through the user's scope (`org/scopes.py`)."""

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q, QuerySet
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from casspath.analytics.tenure import StageBounds, completed_years, hire_date_range, stage_on, validate_bounds
from casspath.core import request_cache
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.core.validators import normalise
from casspath.org import scopes
from casspath.org.models import Employee, Grade, LoginBatch, OrgUnit, Position, RoleAssignment, Stage
from casspath.org.scopes import Perm
from casspath.org.validators import unit_code_key

# ---------------------------------------------------------------- stages


STAGES_KEY = "org.stages"


def _stages() -> list[Stage]:
    """The stage table by lower bound, read once per request (core/request_cache.py): most
    pages show a tenure or a stage, some several times."""
    return request_cache.cached(STAGES_KEY, lambda: list(Stage.objects.order_by("min_years")))


@receiver([post_save, post_delete], sender=Stage, dispatch_uid="org.queries.forget_stages")
def _forget_stages(**_kwargs) -> None:
    request_cache.forget(STAGES_KEY)


def stage_bounds() -> StageBounds:
    """Stage bounds as configured in the Stage table, else the settings default."""
    rows = [(stage.code, stage.min_years, stage.max_years) for stage in _stages()]
    bounds: StageBounds = rows or settings.CASSPATH["DEFAULT_STAGE_BOUNDS"]
    validate_bounds(bounds)
    return bounds


def stages_by_code() -> dict[str, Stage]:
    return {stage.code: stage for stage in _stages()}


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


def unit_values_by_id(ids: Iterable[int], field: str) -> dict[int, str]:
    """One field ("code", "name") of units by id: labels for units a page already holds."""
    return dict(OrgUnit.objects.filter(pk__in=list(ids)).values_list("pk", field))


def root_units() -> QuerySet[OrgUnit]:
    """The top of the tree, for those who reach all of it."""
    return OrgUnit.objects.filter(parent__isnull=True)


def units_by_path(paths: Iterable[str]) -> dict[str, OrgUnit]:
    """Units a page already counted by path, to name them."""
    return {unit.path: unit for unit in OrgUnit.objects.filter(path__in=list(paths))}


def my_employee(user) -> Employee | None:
    """The employee record of the logged-in user, if he is one; read once per request (the
    home page's cards and the competency models' scope each ask)."""
    if isinstance(user, SystemActor) or user.pk is None:
        return None
    return request_cache.cached(
        _my_employee_key(user.pk),
        lambda: (Employee.objects.filter(user_id=user.pk)
                 .select_related("org_unit", "position", "grade").first()),
    )


def _my_employee_key(user_id: int) -> str:
    return f"org.my_employee:{user_id}"


@receiver([post_save, post_delete], sender=Employee, dispatch_uid="org.queries.forget_my_employee")
def _forget_my_employee(instance: Employee, **_kwargs) -> None:
    if instance.user_id is not None:
        request_cache.forget(_my_employee_key(instance.user_id))


def role_bindings_of(user) -> QuerySet[RoleAssignment]:
    """The user's own roles with their units, by role then unit code."""
    return (RoleAssignment.objects.filter(user_id=user.pk).select_related("org_unit")
            .order_by("role", "org_unit__code"))


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


# ---------------------------------------------------------------- the audit log

AUDIT_PAGE_SIZE = 50
AUDIT_FILTER_KEYS = ("actor", "verb", "object_type", "object_id", "since", "until")


@dataclass(frozen=True)
class AuditFilters:
    actor: str = ""  # the actor's label: his username, or "cli:root"
    verb: str = ""
    object_type: str = ""
    object_id: str = ""
    since: date | None = None  # local dates, both ends included
    until: date | None = None

    def as_params(self) -> dict[str, str]:
        params = {key: getattr(self, key) for key in AUDIT_FILTER_KEYS}
        return {key: str(value) for key, value in params.items() if value}


def parse_audit_filters(params: Mapping[str, str]) -> tuple[AuditFilters, list[FilterError]]:
    """Filters of the audit page from URL parameters; a bad date is reported and ignored.
    Texts match exactly: each is an indexed column, and a substring search would read every
    row of a log that grows by millions."""
    errors: list[FilterError] = []
    raw = {key: (params.get(key) or "").strip()[:150] for key in AUDIT_FILTER_KEYS}
    values: dict = {key: raw[key] for key in ("actor", "verb", "object_type", "object_id")}
    for key, zh, en in (("since", "起始日期", "from date"), ("until", "截止日期", "to date")):
        if not raw[key]:
            continue
        try:
            values[key] = date.fromisoformat(raw[key])
        except ValueError:
            errors.append(FilterError(
                key, raw[key], f"{zh}“{raw[key]}”不是 YYYY-MM-DD 格式的日期",
                f"{en} '{raw[key]}' is not a date as YYYY-MM-DD"))
    return AuditFilters(**values), errors


def _subtree_end(path: str) -> str:
    """The first path after every path of the subtree at `path` ("/0001/" → "/00010"):
    a subtree is then a range of the index, which a LIKE 'prefix%' is not on every database
    (PostgreSQL needs a pattern opclass, SQLite case-sensitive LIKE)."""
    return path[:-1] + chr(ord("/") + 1)


def audit_scope_q(user) -> Q:
    """The audit rows `user` may read: those about a unit in his READ_AUDIT scope. A row
    about no unit (a password change, a purge) only unrestricted users see."""
    if scopes.is_unrestricted(user):
        return Q()
    q = Q(pk__in=[])
    for root in scopes.scope_roots(user, Perm.READ_AUDIT):
        q |= Q(org_unit_path__gte=root.path, org_unit_path__lt=_subtree_end(root.path))
    return q


def audit_events_for(user, filters: AuditFilters) -> QuerySet[AuditEvent]:
    """The rows `user` may read that match `filters`, newest first."""
    rows = AuditEvent.objects.filter(audit_scope_q(user))
    for key in ("actor", "verb", "object_type", "object_id"):
        value = getattr(filters, key)
        if value:
            rows = rows.filter(**{"actor_label" if key == "actor" else key: value})
    zone = timezone.get_current_timezone()
    if filters.since:
        rows = rows.filter(created_at__gte=datetime.combine(filters.since, time.min, tzinfo=zone))
    if filters.until:
        end = datetime.combine(filters.until + timedelta(days=1), time.min, tzinfo=zone)
        rows = rows.filter(created_at__lt=end)
    return rows.order_by("-created_at", "-id")


@dataclass
class AuditPage:
    rows: list[AuditEvent]
    units: dict[int, OrgUnit]  # the units the rows name, by id (units since deleted are absent)
    next_cursor: int | None  # the id to pass as `before` for the next (older) page
    first: bool


def audit_page(user, filters: AuditFilters, *, before: str | None = None,
               size: int = AUDIT_PAGE_SIZE) -> AuditPage:
    """One page of the audit log by keyset (older than the row `before`), never a COUNT or
    an OFFSET: the page costs the same on the first page of millions of rows as on the last."""
    rows = audit_events_for(user, filters)
    cursor = None
    if before and before.isdigit():
        cursor = rows.filter(pk=int(before)).values_list("created_at", "pk").first()
    if cursor is not None:
        at, pk = cursor
        rows = rows.filter(Q(created_at__lt=at) | Q(created_at=at, pk__lt=pk))
    found = list(rows[: size + 1])
    shown = found[:size]
    unit_ids = {row.org_unit_id for row in shown if row.org_unit_id}
    return AuditPage(
        rows=shown,
        units=OrgUnit.objects.in_bulk(unit_ids) if unit_ids else {},
        next_cursor=shown[-1].pk if len(found) > size else None,
        first=cursor is None,
    )


def login_locked_out(user) -> bool:
    """Whether the login is locked out now (django-axes) for its username from some address:
    the failures of a username and address pair reached the limit within the cool-off."""
    from axes.models import AccessAttempt  # axes reads its settings on import
    from django.utils import timezone

    if user is None:
        return False
    since = timezone.now() - settings.AXES_COOLOFF_TIME
    return AccessAttempt.objects.filter(
        username=user.get_username(), failures_since_start__gte=settings.LOGIN_FAILURE_LIMIT,
        attempt_time__gte=since,
    ).exists()
