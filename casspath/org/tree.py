"""The org tree's materialised paths: a subtree is one prefix query.

Each segment is the unit's id zero-padded to a fixed width ("/00000001/00000007/"), so that
ordering by path is tree order (a parent before its children, "/2/" before "/10/").
"""

from django.db import connection
from django.db.models import Q

from casspath.org.models import OrgUnit

SEGMENT_WIDTH = 8


def segment(unit_id: int) -> str:
    return f"{unit_id:0{SEGMENT_WIDTH}d}/"


def subtree_q(path: str, field: str = "path") -> Q:
    """The subtree at `path`, on a unit's path (`field` "org_unit__path" for employees).

    On SQLite a range of the path index: its LIKE is case-insensitive, so `startswith`
    reads every entry of the index (a team lead's team found by scanning the company). On
    PostgreSQL the LIKE 'prefix%' of `startswith` is a range of the pattern index under any
    collation, where a range of the plain index would follow the database's collation (a
    locale's may ignore the "/").

    Except a top unit's subtree on SQLite: it is (nearly) the whole company, so the range
    would make SQLite drive the query from the units and sort every employee for a page of
    50 (52 ms at 100,000); the unindexable LIKE leaves it walking the page's own order."""
    if connection.vendor == "sqlite" and path.count("/") > 2:
        return Q(**{f"{field}__gte": path, f"{field}__lt": subtree_end(path)})
    return Q(**{f"{field}__startswith": path})


def subtree_end(path: str) -> str:
    """The first path after every path of the subtree at `path` ("/0001/" → "/00010"), in
    the order of code points: a subtree is then the range [path, subtree_end(path)) of the
    index, or of a sorted list of paths."""
    return path[:-1] + chr(ord("/") + 1)


def path_for(unit: OrgUnit, parent: OrgUnit | None) -> tuple[str, int]:
    """The path and depth `unit` (already saved, so it has a pk) takes under `parent`."""
    if parent is None:
        return "/" + segment(unit.pk), 0
    return parent.path + segment(unit.pk), parent.depth + 1


def rebuild_paths(root: OrgUnit | None = None) -> int:
    """Recompute path and depth below `root` (the whole tree when None), after moves.

    Loads the tree once and writes only rows whose path changed. Returns that count.
    """
    units = list(OrgUnit.objects.only("id", "parent_id", "path", "depth"))
    children: dict[int | None, list[OrgUnit]] = {}
    for unit in units:
        children.setdefault(unit.parent_id, []).append(unit)
    changed: list[OrgUnit] = []
    stack: list[tuple[OrgUnit, OrgUnit | None]] = []
    if root is None:
        stack = [(unit, None) for unit in children.get(None, [])]
    else:
        parent = next((u for u in units if u.pk == root.parent_id), None)
        stack = [(next(u for u in units if u.pk == root.pk), parent)]
    while stack:
        unit, parent = stack.pop()
        path, depth = path_for(unit, parent)
        if (unit.path, unit.depth) != (path, depth):
            unit.path, unit.depth = path, depth
            changed.append(unit)
        stack.extend((child, unit) for child in children.get(unit.pk, []))
    OrgUnit.objects.bulk_update(changed, ["path", "depth"], batch_size=1000)
    return len(changed)
