"""The org tree as the user reaches it: the whole forest, the level-by-level pages of the
tree page with their headcounts, and units' paths and names."""

from bisect import bisect_left
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from itertools import accumulate

from django.db.models import (
    Case,
    CharField,
    Count,
    Func,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
    When,
)
from django.db.models.functions import Coalesce, Substr

from casspath.org import figures, scopes
from casspath.org.models import Employee, OrgUnit
from casspath.org.scopes import Perm
from casspath.org.tree import SEGMENT_WIDTH, subtree_end, subtree_q


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
# of the company: one grouped count of the opened unit's subtree (`child_headcounts`, kept
# between requests while the roster does not change: `tree_headcounts`), one
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
        in_subtrees |= subtree_q(parent.path)
    people = (Employee.objects.filter(org_unit=OuterRef("pk"), status=Employee.Status.ACTIVE).order_by()
              .values("org_unit").annotate(n=Count("*")).values("n"))
    rows = (OrgUnit.objects.filter(in_subtrees).order_by()
            .annotate(prefix=prefix, people=Coalesce(Subquery(people), 0))
            .values("prefix").annotate(n=Sum("people")).values_list("prefix", "n"))
    return {prefix: n for prefix, n in rows if prefix and n}


def tree_headcounts(parents: Sequence[OrgUnit]) -> dict[str, int]:
    """`child_headcounts`, kept under the roster's version (org/figures.py): the tree's
    levels are opened far more often than the roster changes, and the top unit's count
    groups every unit of the company (70 ms at 100,000 managers on PostgreSQL)."""
    return figures.kept_for_units("tree", parents, lambda: child_headcounts(parents))


def subtree_headcounts(units: Iterable[OrgUnit]) -> dict[int, int]:
    """Active employees in each unit's subtree, by unit id (a page of units, some perhaps
    below others). One query: the active people of each unit of the subtrees (grouped in the
    index on (org_unit, status, ...), no person's row read), summed here over each subtree's
    range of the sorted paths. The work grows with the subtrees asked for, not the company."""
    units = list(units)
    tops: list[OrgUnit] = []
    for unit in sorted(units, key=lambda unit: unit.path):
        if not tops or not unit.is_within(tops[-1]):
            tops.append(unit)
    if not tops:
        return {}
    in_subtrees = Q(pk__in=[])
    for top in tops:
        in_subtrees |= Q(org_unit__path__startswith=top.path)
    rows = sorted(Employee.objects.filter(in_subtrees, status=Employee.Status.ACTIVE).order_by()
                  .values("org_unit__path").annotate(n=Count("*")).values_list("org_unit__path", "n"))
    paths = [path for path, _n in rows]
    totals = [0, *accumulate(n for _path, n in rows)]
    return {unit.pk: totals[bisect_left(paths, subtree_end(unit.path))]
            - totals[bisect_left(paths, unit.path)] for unit in units}


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
    level = _level(parent, units, tree_headcounts([parent]), offset=offset, total=total)
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
    counts = tree_headcounts(roots)
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
