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
from casspath.org import scopes
from casspath.org.models import OrgUnit


def access_run_by_id(user, run_id: int) -> ImportRun:
    try:
        run = ImportRun.objects.select_related("created_by", "source_run").get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("no such import run") from None
    if not runs_user_may_open(user, [run]):
        raise Http404("no such import run")
    return run


def runs_user_may_open(user, runs: Iterable[ImportRun]) -> list[ImportRun]:
    """The runs among `runs` whose scope the user's roles reach today (one query for the
    units of them all)."""
    runs = list(runs)
    if scopes.is_unrestricted(user):
        return runs
    if not getattr(user, "is_authenticated", False):
        return []
    unit_ids = {
        item["id"]
        for run in runs
        for item in (run.scope or [])
        if isinstance(item, dict) and isinstance(item.get("id"), int)
    }
    units = OrgUnit.objects.in_bulk(unit_ids) if unit_ids else {}
    return [run for run in runs if _reaches(user, run, units)]


def _reaches(user, run: ImportRun, units: dict[int, OrgUnit]) -> bool:
    try:
        perm = registry.get(run.kind).perm
    except registry.UnknownKind:
        return False
    scope = run.scope or []
    if not scope or "*" in scope or not scopes.has_perm(user, perm):
        return False  # a run of the whole tree is opened by the unrestricted only
    for item in scope:
        unit = units.get(item.get("id")) if isinstance(item, dict) else None
        if unit is None or not scopes.unit_in_scope(user, perm, unit):
            return False
    return True
