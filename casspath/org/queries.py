"""Reads of the org tree and the roster, always through the user's scope (`org/scopes.py`)."""

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import (
    Case,
    CharField,
    Count,
    Func,
    IntegerField,
    Min,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver
from django.utils import timezone

from casspath.analytics.tenure import (
    StageBounds,
    completed_years,
    hire_date_range,
    stage_on,
    tenure_year_bounds,
    validate_bounds,
)
from casspath.core import paging, request_cache
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.core.validators import normalise
from casspath.org import scopes, search
from casspath.org.models import (
    Employee,
    Grade,
    LoginBatch,
    OrgUnit,
    Position,
    RoleAssignment,
    Stage,
    local_name,
)
from casspath.org.scopes import Perm
from casspath.org.tree import SEGMENT_WIDTH
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
    child_count: int = 0  # subunits directly below (set by the level-by-level reads)
    level: "TreeLevel | None" = None  # its children as the tree page opens them, when opened


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


# The tree page opens level by level: a level is one page of a unit's children, each with
# its subtree's headcount and its number of subunits. Its queries do not grow with the size
# of the company: one grouped count of the opened unit's subtree (`child_headcounts`), one
# page of children, and one count of them when the caller does not know it.

TREE_PAGE = 50  # children per level before "show more"


@dataclass
class TreeLevel:
    """A page of `parent`'s children, from `offset`, out of `total`. It offers the page
    after it ("show more") unless it is one fetched to go before the units shown, and the
    page before it when it was opened at a unit further down (`earlier`)."""

    parent: OrgUnit
    nodes: list[UnitNode]
    offset: int
    total: int
    earlier: bool = False  # offers the page before it (a level opened at a unit: tree_revealing)
    later: bool = True  # offers the page after it (not when fetched to go before those shown)

    @property
    def next_offset(self) -> int | None:
        end = self.offset + len(self.nodes)
        return end if self.later and end < self.total else None

    @property
    def earlier_offset(self) -> int | None:
        return max(self.offset - TREE_PAGE, 0) if self.earlier and self.offset > 0 else None

    @property
    def remaining(self) -> int:
        return max(self.total - self.offset - len(self.nodes), 0)


def _is_department() -> Case:
    return Case(When(kind=OrgUnit.Kind.DEPARTMENT, then=Value(1)), default=Value(0),
                output_field=IntegerField())


def _children_of(parent: OrgUnit) -> QuerySet[OrgUnit]:
    """`parent`'s children in tree order (departments after the line units, then by code;
    as `_child_order`), each with its number of subunits (counted in the parent index, per
    child: never a pass over every unit)."""
    subunits = (OrgUnit.objects.filter(parent=OuterRef("pk")).order_by().values("parent")
                .annotate(n=Count("*")).values("n"))
    return (OrgUnit.objects.filter(parent=parent)
            .annotate(is_department=_is_department(), n_children=Coalesce(Subquery(subunits), 0))
            .order_by("is_department", "code"))


def child_headcounts(parents: Sequence[OrgUnit]) -> dict[str, int]:
    """Active employees per child subtree of each of `parents` (disjoint subtrees), keyed
    by the child's path; those directly in a parent count under the parent's own path.

    One query, and no person's row leaves the database: the units of the subtrees are
    grouped by their path cut after the segment below the parent (segments have a fixed
    width, org/tree.py), each unit counting its people in the index on (org_unit, status,
    ...) alone (an index-only scan). The work grows with the subtree asked for, never with
    the rest of the company.
    """
    if not parents:
        return {}
    segment = SEGMENT_WIDTH + 1
    prefix: Func | Case
    if len(parents) == 1:
        prefix = Substr("path", 1, len(parents[0].path) + segment)
    else:
        prefix = Case(*(When(path__startswith=parent.path, then=Substr("path", 1, len(parent.path) + segment))
                        for parent in parents), default=Value(""), output_field=CharField())
    in_subtrees = Q(pk__in=[])
    for parent in parents:
        in_subtrees |= Q(path__startswith=parent.path)
    people = (Employee.objects.filter(org_unit=OuterRef("pk"), status=Employee.Status.ACTIVE).order_by()
              .values("org_unit").annotate(n=Count("*")).values("n"))
    rows = (OrgUnit.objects.filter(in_subtrees).order_by()
            .annotate(prefix=prefix, people=Coalesce(Subquery(people), 0))
            .values("prefix").annotate(n=Sum("people")).values_list("prefix", "n"))
    return {prefix: n for prefix, n in rows if prefix and n}


def _subtree_total(counts: Mapping[str, int], unit: OrgUnit) -> int:
    return sum(n for prefix, n in counts.items() if prefix.startswith(unit.path))


def _level(parent: OrgUnit, units: Iterable[OrgUnit], counts: Mapping[str, int], *, offset: int,
           total: int) -> TreeLevel:
    nodes = [UnitNode(unit, headcount=counts.get(unit.path, 0), child_count=getattr(unit, "n_children", 0))
             for unit in units]
    return TreeLevel(parent, nodes, offset, total)


def unit_children(parent: OrgUnit, *, offset: int = 0, total: int | None = None,
                  earlier: bool = False) -> TreeLevel:
    """One page (`TREE_PAGE`) of `parent`'s children from `offset`, with their headcounts:
    three queries (two when the caller knows how many children `parent` has), whatever the
    size of its subtree. `earlier`: the page goes before units already shown (it offers the
    page before it, not the one after). `parent` must be one the user reaches
    (access_unit_by_code): its subtree is his."""
    offset = max(offset, 0)
    units = list(_children_of(parent)[offset:offset + TREE_PAGE])
    if total is None:
        total = OrgUnit.objects.filter(parent=parent).count()
    level = _level(parent, units, child_headcounts([parent]), offset=offset, total=total)
    level.earlier, level.later = earlier, not earlier
    return level


def tree_roots(user, perm: Perm = Perm.VIEW_EMPLOYEES) -> list[UnitNode]:
    """The units the tree page opens on: the user's scope roots (the roots of the tree for
    whoever reaches all of it), each with its headcount and its first level of children.
    Three queries, and one more per root, whatever the number of units and people."""
    found = list(root_units()) if scopes.is_unrestricted(user) else scopes.scope_roots(user, perm)
    roots = sorted(found, key=lambda unit: _child_order(UnitNode(unit)))
    if not roots:
        return []
    child_counts = dict(OrgUnit.objects.filter(parent__in=roots).order_by().values("parent_id")
                        .annotate(n=Count("id")).values_list("parent_id", "n"))
    counts = child_headcounts(roots)
    nodes = []
    for root in roots:
        total = child_counts.get(root.pk, 0)
        node = UnitNode(root, headcount=_subtree_total(counts, root), own_headcount=counts.get(root.path, 0),
                        child_count=total)
        if total:
            node.level = _level(root, _children_of(root)[:TREE_PAGE], counts, offset=0, total=total)
        nodes.append(node)
    return nodes


def tree_revealing(user, unit: OrgUnit, perm: Perm = Perm.VIEW_EMPLOYEES) -> list[UnitNode]:
    """`tree_roots`, with every unit from the scope root down to `unit` opened, `unit`
    included, so that it shows in its place: a level opens at the page that holds the next
    unit of the path, offering the pages before and after it. `unit` must be one the user
    reaches. A few queries per level, never more than a page of units per level."""
    roots = tree_roots(user, perm)
    node = next((root for root in roots if unit.is_within(root.unit)), None)
    if node is None:
        return roots
    below = unit.ancestor_ids()[node.unit.depth + 1:]
    for pk in below:
        level = node.level
        if level is None:  # a unit without children: nothing further to open
            break
        found = next((child for child in level.nodes if child.unit.pk == pk), None)
        if found is None:  # beyond the first page: open the level at the unit's page
            start = _rank_among_siblings(node.unit, pk) // TREE_PAGE * TREE_PAGE
            node.level = level = unit_children(node.unit, offset=start, total=level.total)
            level.earlier = level.later = True
            found = next((child for child in level.nodes if child.unit.pk == pk), None)
            if found is None:
                break
        node = found
        if node.child_count:
            node.level = unit_children(node.unit, total=node.child_count)
    return roots


def _rank_among_siblings(parent: OrgUnit, pk: int) -> int:
    """How many of `parent`'s children come before its child `pk` in tree order."""
    siblings = OrgUnit.objects.filter(parent=parent).annotate(is_department=_is_department())
    child = siblings.filter(pk=pk).values("is_department", "code").first()
    if child is None:
        return 0
    flag, code = child["is_department"], child["code"]
    return siblings.filter(Q(is_department__lt=flag) | Q(is_department=flag, code__lt=code)).count()


TREE_SEARCH_LIMIT = 20


@dataclass(frozen=True)
class UnitMatch:
    unit: OrgUnit
    path_names: list[str]  # names from the root of the tree down to the unit's parent


def find_units(user, text: str, *, limit: int = TREE_SEARCH_LIMIT,
               perm: Perm = Perm.VIEW_EMPLOYEES) -> tuple[list[UnitMatch], bool]:
    """Units in the user's scope whose code starts with `text` (as codes are written:
    upper-case, half-width) or whose name contains it, the closest first (the code itself,
    then code prefixes, then names that start with it), at most `limit`; and whether there
    are more. Two queries: the units, then their ancestors' names."""
    text = text.strip()[:100]
    if not text:
        return [], False
    code = unit_code_key(text)
    rank = Case(When(code=code, then=Value(0)), When(code__startswith=code, then=Value(1)),
                When(name__istartswith=text, then=Value(2)), default=Value(3), output_field=IntegerField())
    found = list(scopes.units_for(user, perm).filter(Q(code__startswith=code) | Q(name__icontains=text))
                 .annotate(rank=rank).order_by("rank", "depth", "code")[:limit + 1])
    units = found[:limit]
    ancestors = {pk for unit in units for pk in unit.ancestor_ids()[:-1]}
    names = dict(OrgUnit.objects.filter(pk__in=ancestors).values_list("pk", "name")) if ancestors else {}
    matches = [UnitMatch(unit, [names[pk] for pk in unit.ancestor_ids()[:-1] if pk in names])
               for unit in units]
    return matches, len(found) > limit


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


# ---------------------------------------------------------------- roster figures


@dataclass(frozen=True)
class RosterCounts:
    """Headcounts of a set of employees, grouped by the database (home page figures)."""

    active: int
    left: int
    by_grade: dict[int | None, int]  # active employees per grade id, None for no grade
    by_position: dict[int | None, int]  # active employees per position id
    by_years: dict[int, int]  # active employees already started, per completed year of tenure


def employees_to_count(user, perm: Perm = Perm.VIEW_EMPLOYEES) -> QuerySet[Employee]:
    """`scopes.employees_for(user, perm)`, for grouped counts: the same people, without the
    subtree filter when the user's scope roots hold every root of the tree (the province's
    admin in a one-province company), so that counting them joins no one to his unit."""
    if not scopes.is_unrestricted(user):
        roots = {unit.pk for unit in scopes.scope_roots(user, perm)}
        if not roots or not roots.issuperset(root_units().values_list("pk", flat=True)):
            return scopes.employees_for(user, perm)
    return Employee.objects.all()


def roster_counts(employees: QuerySet[Employee], today: date) -> RosterCounts:
    """Two queries whatever the number of people, and no person's row leaves the database:
    the earliest hire date of the company (the hire_date index), then one grouped count by
    status, grade, position and completed year of tenure on `today`, each year a range of
    hire dates (`tenure_year_bounds`) in a CASE, so that no database computes anyone's
    tenure. The grouped count reads the index on (org_unit, status, hire_date, grade,
    position) only: a city's entries of it for a city's admin."""
    earliest = Employee.objects.aggregate(earliest=Min("hire_date"))["earliest"]
    longest = completed_years(earliest, today) if earliest is not None and earliest <= today else 0
    bounds = tenure_year_bounds(today, longest)
    year = Case(
        When(hire_date__gt=today, then=Value(NOT_STARTED)),  # not started yet: in no year
        *(When(hire_date__gt=bounds[years + 1], then=Value(years)) for years in range(longest)),
        default=Value(longest), output_field=IntegerField(),
    )
    groups = list(employees.order_by().annotate(tenure_year=year)
                  .values("status", "grade_id", "position_id", "tenure_year").annotate(n=Count("*"))
                  .values_list("status", "grade_id", "position_id", "tenure_year", "n"))
    active, left = 0, 0
    by_grade: dict[int | None, int] = {}
    by_position: dict[int | None, int] = {}
    by_years: dict[int, int] = {}
    for status, grade_id, position_id, tenure_year, n in groups:
        if status != Employee.Status.ACTIVE:
            left += n if status == Employee.Status.LEFT else 0
            continue
        active += n
        by_grade[grade_id] = by_grade.get(grade_id, 0) + n
        by_position[position_id] = by_position.get(position_id, 0) + n
        if tenure_year != NOT_STARTED:
            by_years[tenure_year] = by_years.get(tenure_year, 0) + n
    return RosterCounts(active=active, left=left, by_grade=by_grade, by_position=by_position,
                        by_years=by_years)


NOT_STARTED = -1  # the tenure year of someone whose hire date is still to come


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
    """The options of the list's filters (units are picked by search: `unit_choices`)."""
    return {
        "stages": list(stages_by_code().values()),
        "positions": list(Position.objects.all()),
        "grades": list(Grade.objects.all()),
        "statuses": STATUS_ROWS,
    }


# ---------------------------------------------------------------- unit pickers

UNIT_CHOICES_LIMIT = 20


@dataclass(frozen=True)
class UnitChoice:
    """A unit as a picker offers it: its name, and the names above it down from the top of the
    user's reach, so that two 商客二班 of one city read apart."""

    unit: OrgUnit
    ancestors: list[str]

    @property
    def code(self) -> str:
        return self.unit.code

    @property
    def name(self) -> str:
        return self.unit.name

    @property
    def label(self) -> str:
        return UNIT_PATH_SEPARATOR.join([*self.ancestors, self.unit.name])


def unit_choices(user, perm: Perm, text: str = "", *, not_under: OrgUnit | None = None,
                 limit: int = UNIT_CHOICES_LIMIT) -> tuple[list[UnitChoice], bool]:
    """Units of the user's scope for `perm` whose code begins with `text` or whose name holds
    it, in tree order, at most `limit` (and whether more match); the first units of the scope
    for an empty text. `not_under` leaves out that unit's subtree (a unit's new parent).
    Two queries: the units, and the names of their ancestors."""
    units = scopes.units_for(user, perm)
    text = text.strip()[:100]
    if text:
        units = units.filter(Q(code__startswith=unit_code_key(text)) | Q(name__icontains=text))
    if not_under is not None:
        units = units.exclude(path__startswith=not_under.path)
    found = list(units.only("id", "code", "name", "kind", "path", "depth").order_by("path")[: limit + 1])
    return unit_choices_of(user, perm, found[:limit]), len(found) > limit


def unit_choices_of(user, perm: Perm, units: Iterable[OrgUnit]) -> list[UnitChoice]:
    """Each unit with the names of its ancestors, from below the top of the user's reach (a
    city admin's lines start under his city, whose name on every line would say nothing); one
    query."""
    units = list(units)
    roots = scopes.scope_roots(user, perm)
    lines = {unit.pk: unit.ancestor_ids()[_shown_from(unit, roots):-1] for unit in units}
    wanted = {pk for line in lines.values() for pk in line}
    names = dict(OrgUnit.objects.filter(pk__in=wanted).values_list("pk", "name")) if wanted else {}
    return [UnitChoice(unit, [names.get(pk, "") for pk in lines[unit.pk]]) for unit in units]


def _shown_from(unit: OrgUnit, roots: list[OrgUnit]) -> int:
    """Where a unit's line of ancestors starts: below the user's one scope root; below the top
    of the tree (the province) for a user of several roots or of the whole tree."""
    if len(roots) == 1 and unit.is_within(roots[0]):
        return roots[0].depth + 1
    return 1


def unit_for_picker(user, perm: Perm, text: str) -> tuple[OrgUnit | None, list[OrgUnit]]:
    """The unit a picker's text names within the user's scope for `perm`: its code (any case),
    else a name only one unit of the scope has. (None, []) when nothing matches; (None, the
    units) when a name is shared, for the refusal to list."""
    text = text.strip()
    units = scopes.units_for(user, perm)
    by_code = units.filter(code=unit_code_key(text)).first()
    if by_code is not None or not text:
        return by_code, []
    named = list(units.filter(name=text).order_by("path")[:UNIT_CHOICES_LIMIT])
    if len(named) == 1:
        return named[0], []
    return None, named


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
