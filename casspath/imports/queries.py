"""Reads of the imports app, through the user."""

from casspath.imports import registry
from casspath.imports.access import runs_user_may_open
from casspath.imports.framework import Importer, may_import
from casspath.imports.models import ImportRun


def importers_for(user) -> list[Importer]:
    """The kinds of import the user may run."""
    return [importer for importer in registry.importers() if may_import(user, importer)]


def recent_runs(user, limit: int = 20) -> list[ImportRun]:
    """The user's own runs that his roles still reach (access.py), newest first."""
    if not getattr(user, "pk", None):
        return []
    return runs_user_may_open(
        user, ImportRun.objects.filter(created_by_id=user.pk).order_by("-created_at", "-id")[:limit]
    )
