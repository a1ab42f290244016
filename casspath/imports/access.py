"""Loading an import run, its stored file and its report for a user, by the scope of the
roles he holds today (not by who uploaded it): an admin moved to another city, or made a
consultant, no longer opens his old uploads; an admin whose scope holds the run's does.
The same 404 for "absent" and "not yours".

A run records the uploader's scope when he uploaded (`ImportRun.scope`: unit roots, or
["*"] for the whole tree); a user may open it when he holds the importer's permission
today over every one of those units.
"""

from collections.abc import Iterable

from django.http import Http404

from casspath.imports import registry
from casspath.imports.models import ImportRun


def access_run_by_id(user, run_id: int) -> ImportRun:
    try:
        run = ImportRun.objects.select_related("created_by", "source_run").get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("no such import run") from None
    if not runs_user_may_open(user, [run]):
        raise Http404("no such import run")
    return run


def runs_user_may_open(user, runs: Iterable[ImportRun]) -> list[ImportRun]:
    """The runs among `runs` whose scope the user's roles reach today, asked of each kind's
    importer scope (the framework sits below org): one query per kind for the units of them all."""
    runs = list(runs)
    by_kind: dict[str, list[ImportRun]] = {}
    for run in runs:
        by_kind.setdefault(run.kind, []).append(run)
    opened: set[int] = set()
    for kind, kind_runs in by_kind.items():
        try:
            scope = registry.get(kind).scope
        except registry.UnknownKind:
            continue
        if scope.unrestricted(user):
            opened.update(run.pk for run in kind_runs)
            continue
        if not getattr(user, "is_authenticated", False) or not scope.allows(user):
            continue
        unit_ids = {item["id"] for run in kind_runs for item in _units_of(run)}
        reached = scope.reaches_units(user, unit_ids) if unit_ids else set()
        for run in kind_runs:
            units = _units_of(run)
            # A run of the whole tree (["*"]) or of no recorded unit is opened by the unrestricted only.
            if units and len(units) == len(run.scope) and all(item["id"] in reached for item in units):
                opened.add(run.pk)
    return [run for run in runs if run.pk in opened]


def _units_of(run: ImportRun) -> list[dict]:
    return [item for item in (run.scope or []) if isinstance(item, dict) and isinstance(item.get("id"), int)]
