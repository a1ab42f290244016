"""Loading an import run for a user: only its creator (and superusers) may; the same 404
for "absent" and "not yours"."""

from django.http import Http404

from casspath.imports.models import ImportRun


def access_run_by_id(user, run_id: int) -> ImportRun:
    try:
        run = ImportRun.objects.select_related("created_by", "source_run").get(pk=run_id)
    except (ImportRun.DoesNotExist, ValueError, TypeError, OverflowError):
        raise Http404("no such import run") from None
    if getattr(user, "is_superuser", False) or (
        run.created_by_id is not None and run.created_by_id == user.pk
    ):
        return run
    raise Http404("no such import run")
