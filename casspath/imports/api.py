"""The import API: upload a file (a run is queued), follow it, apply a dry run, get a template.

Authentication is configured globally; `api_user` gives the user a call acts as. The same
404 for a run that is absent and a run that is not the caller's.
"""

from datetime import datetime

from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from ninja import File, Form, Router, Schema, Status
from ninja.files import UploadedFile

from casspath.api.auth import api_user
from casspath.api.errors import ApiError, ErrorOut
from casspath.api.schemas import JobOut, job_fields
from casspath.imports import registry
from casspath.imports.access import access_run_by_id
from casspath.imports.actions import FileGone, do_apply_import_run, do_create_import_run
from casspath.imports.errors import UploadTooLarge
from casspath.imports.framework import Importer, may_import, parse_option_words
from casspath.imports.models import ImportRun
from casspath.imports.queries import importers_for, recent_runs
from casspath.imports.tasks import enqueue

router = Router(tags=["imports"])
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class KindOut(Schema):
    kind: str
    label: str
    options: list[str]
    can_export: bool


class RunOut(JobOut):
    kind: str
    filename: str
    sha256: str
    dry_run: bool
    options: dict
    created_at: datetime
    source_run_id: int | None
    report: dict | None


def _importer(user, kind: str) -> Importer:
    try:
        importer = registry.get(kind)
    except registry.UnknownKind:
        raise ApiError(404, f"没有“{kind}”这种导入", f"unknown import kind: {kind}") from None
    if not may_import(user, importer):
        raise ApiError(403, "您无权执行这种导入", "You may not run this import")
    return importer


def _run(user, run_id: int) -> ImportRun:
    if not importers_for(user):
        raise ApiError(403, "您无权导入数据", "You may not import")
    try:
        return access_run_by_id(user, run_id)
    except Http404:
        raise ApiError(404, "未找到该导入记录", "No such import run") from None


def _out(run: ImportRun) -> dict:
    return {
        **job_fields(run),
        "kind": run.kind,
        "filename": run.filename,
        "sha256": run.sha256,
        "dry_run": run.dry_run,
        "options": run.options,
        "created_at": run.created_at,
        "source_run_id": run.source_run_id,
        "report": run.report,
    }


@router.get("/", response=list[KindOut])
def list_kinds(request):
    """The kinds of import the caller may run."""
    user = api_user(request)
    return [
        {
            "kind": i.kind,
            "label": str(i.label),
            "options": [o.name for o in i.options],
            "can_export": i.can_export,
        }
        for i in importers_for(user)
    ]


@router.get("/runs", response={200: list[RunOut], 403: ErrorOut})
def list_runs(request):
    """The caller's recent runs, newest first."""
    user = api_user(request)
    if not importers_for(user):
        raise ApiError(403, "您无权导入数据", "You may not import")
    return [_out(run) for run in recent_runs(user, limit=50)]


@router.get("/runs/{int:run_id}", response={200: RunOut, 403: ErrorOut, 404: ErrorOut})
def get_run(request, run_id: int):
    """A run's status, progress and (when finished) report."""
    return _out(_run(api_user(request), run_id))


@router.post("/runs/{int:run_id}/apply",
             response={201: RunOut, 200: RunOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut})
def apply_run(request, run_id: int):
    """Import for real the stored file of a successful dry run (idempotent)."""
    user = api_user(request)
    run = _run(user, run_id)
    try:
        applied = do_apply_import_run(run, acting_user=user)
    except ValidationError:
        raise ApiError(409, "只有成功的试运行才能正式导入",
                       "Only a successful dry run can be applied") from None
    except FileGone as gone:
        raise ApiError(409, gone.message_zh, gone.message_en) from None
    if applied.status == ImportRun.Status.QUEUED:
        enqueue(applied)
        applied.refresh_from_db()
        return Status(201, _out(applied))
    return Status(200, _out(applied))


@router.get("/{kind}/template", response={200: None, 403: ErrorOut, 404: ErrorOut})
def template(request, kind: str):
    """The .xlsx template of an import kind: headers with notes, drop-downs, instructions."""
    importer = _importer(api_user(request), kind)
    response = HttpResponse(importer.template(), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{importer.template_filename()}"'
    return response


@router.post("/{kind}", response={201: RunOut, 403: ErrorOut, 404: ErrorOut, 413: ErrorOut, 422: ErrorOut})
def upload(
    request,
    kind: str,
    file: File[UploadedFile],
    dry_run: Form[bool] = True,
    deactivate_missing: Form[bool] = False,
    options: Form[str] = "",
):
    """Upload a file: a run is queued (a dry run unless dry_run=false) and returned."""
    user = api_user(request)
    importer = _importer(user, kind)
    # "as_draft,unit=GZ": switches by name, valued options as NAME=VALUE.
    given, not_understood = parse_option_words(importer, options.split(","))
    if unknown := ", ".join(sorted(not_understood)):
        raise ApiError(422, f"未知的选项：{unknown}", f"unknown options for {kind}: {unknown}")
    try:
        # The upload arrives in a temporary file past FILE_UPLOAD_MAX_MEMORY_SIZE and is
        # streamed to storage in chunks, never read whole.
        run = do_create_import_run(
            importer.kind,
            file.name or "upload",
            file,
            dry_run=dry_run,
            options={"deactivate_missing": deactivate_missing} | given,
            acting_user=user,
        )
    except UploadTooLarge as error:
        raise ApiError(413, error.message_zh, error.message_en) from None
    enqueue(run)
    run.refresh_from_db()
    return Status(201, _out(run))
