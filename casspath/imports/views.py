"""Import pages: choose a kind, download its template, upload (dry run first), follow the run."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.text import capfirst
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from casspath.core.jobs import JobStatus
from casspath.imports import registry
from casspath.imports.access import access_run_by_id
from casspath.imports.actions import (
    FileGone,
    do_apply_import_run,
    do_create_import_run,
    do_retry_import_run,
    file_available,
    stored_path,
)
from casspath.imports.errors import ImportFileError
from casspath.imports.forms import UploadForm
from casspath.imports.framework import Importer, may_import
from casspath.imports.queries import importers_for, recent_runs
from casspath.imports.report import ImportReport
from casspath.imports.tasks import enqueue

FAILED = JobStatus.FAILED
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _importer_for(user, kind: str) -> Importer:
    try:
        importer = registry.get(kind)
    except registry.UnknownKind:
        raise Http404("no such import") from None
    if not may_import(user, importer):
        raise PermissionDenied
    return importer


def _require_import_perm(user) -> None:
    if not importers_for(user):
        raise PermissionDenied


@login_required
@require_GET
def index(request):
    importers = importers_for(request.user)
    if not importers:
        raise PermissionDenied
    return render(request, "imports/index.html", {"importers": importers, "runs": recent_runs(request.user)})


@login_required
@require_http_methods(["GET", "POST"])
def kind(request, kind):
    importer = _importer_for(request.user, kind)
    form = UploadForm(request.POST or None, request.FILES or None, importer=importer)
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        run = do_create_import_run(
            importer.kind,
            upload.name,
            upload,
            dry_run=form.cleaned_data["dry_run"],
            options=form.options(),
            acting_user=request.user,
        )
        enqueue(run)
        return redirect("imports:run", run_id=run.pk)
    return render(
        request,
        "imports/kind.html",
        {
            "importer": importer,
            "form": form,
            "runs": [r for r in recent_runs(request.user) if r.kind == kind],
        },
    )


@login_required
@require_GET
def template(request, kind):
    importer = _importer_for(request.user, kind)
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{importer.template_filename()}"'
    return response


def _run_context(run) -> dict:
    report = ImportReport.from_dict(run.report) if run.report else None
    if report:
        _label_preview_fields(report, run.kind)
    # The latest apply; a failed one blocks no new apply (do_apply_import_run).
    applied = run.applied_runs.order_by("-created_at", "-id").first() if run.dry_run else None
    available = file_available(run)
    return {
        "run": run,
        "job": run,
        "report": report,
        "applied": applied,
        "file_available": available,
        "file_gone": None if available else FileGone(),
        "can_apply": bool(run.dry_run and run.ok and available
                          and (applied is None or applied.status == FAILED)),
        "importer_label": _label(run.kind),
    }


def _label_preview_fields(report: ImportReport, kind: str) -> None:
    """The preview stores fields by column key (org_code) and choices by value (active); show
    the header and the choice's label in the page's language."""
    try:
        importer = registry.get(kind)
    except registry.UnknownKind:
        return
    zh = (get_language() or "").startswith("zh")
    columns = getattr(importer, "columns", ())
    headers = {column.key: column.header_zh if zh else column.header_en for column in columns}
    labels = importer.value_labels  # read once: an importer may build it from the database
    for change in report.preview:
        change.fields = {
            capfirst(headers.get(key, key)): [_value_label(labels, key, value) for value in pair]
            for key, pair in change.fields.items()
        }


def _value_label(labels, key: str, value):
    label = labels.get(key, {}).get(value) if isinstance(value, str) else None
    return value if label is None else capfirst(str(label))  # a label, in sentence case


def _label(kind: str):
    try:
        return registry.get(kind).label
    except registry.UnknownKind:
        return kind


def _run_page(request, run_id, template: str):
    _require_import_perm(request.user)
    run = access_run_by_id(request.user, run_id)
    return render(request, template, _run_context(run))


@login_required
@require_GET
def run(request, run_id):
    return _run_page(request, run_id, "imports/run.html")


@login_required
@require_GET
def run_status(request, run_id):
    """The htmx fragment the run page polls every second while the run is not finished."""
    return _run_page(request, run_id, "imports/partials/run_status.html")


@login_required
@require_POST
def apply(request, run_id):
    _require_import_perm(request.user)
    run = access_run_by_id(request.user, run_id)
    try:
        applied = do_apply_import_run(run, acting_user=request.user)
    except (ValidationError, FileGone):
        raise Http404("this run cannot be applied") from None
    if applied.status == applied.Status.QUEUED:
        enqueue(applied)
    return redirect("imports:run", run_id=applied.pk)


@login_required
@require_POST
def retry(request, run_id):
    """Run a run the background machinery failed again, as a new run (do_retry_import_run)."""
    _require_import_perm(request.user)
    run = access_run_by_id(request.user, run_id)
    try:
        again = do_retry_import_run(run, acting_user=request.user)
    except ImportFileError as refused:
        messages.error(request, refused.message_zh if get_language().startswith("zh") else refused.message_en)
        return redirect("imports:run", run_id=run.pk)
    if again.status == again.Status.QUEUED:
        enqueue(again)
    return redirect("imports:run", run_id=again.pk)


@login_required
@require_GET
def download(request, run_id):
    _require_import_perm(request.user)
    run = access_run_by_id(request.user, run_id)
    path = stored_path(run)
    if not path.is_file():
        raise Http404("the file is gone")
    return FileResponse(path.open("rb"), as_attachment=True, filename=run.filename)
