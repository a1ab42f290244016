"""Every write of the imports app: create a run (store its file), execute it, apply a dry
run; and export, whose audit row says who took which data out."""

import logging
import uuid
from pathlib import Path, PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casspath.core.actors import SystemActor, actor_label
from casspath.core.audit import record
from casspath.imports import registry
from casspath.imports.errors import ImportFileError
from casspath.imports.framework import Progress, run_import, sha256_of
from casspath.imports.models import ImportRun
from casspath.imports.report import ImportReport

logger = logging.getLogger(__name__)
# Progress is written to the database at most this often (rows), besides phase changes.
PROGRESS_WRITE_EVERY = 5000


def files_dir() -> Path:
    path = Path(settings.PRIVATE_FILES_DIR) / "imports"
    path.mkdir(parents=True, exist_ok=True, mode=0o700)
    return path


def stored_path(run: ImportRun) -> Path:
    return files_dir() / run.stored_name


def read_stored_file(run: ImportRun) -> bytes:
    return stored_path(run).read_bytes()


def _scope_snapshot(user, importer) -> list:
    if importer.scope.unrestricted(user):
        return ["*"]
    return importer.scope.roots(user)


def set_status(run: ImportRun, status: str, **fields) -> None:
    """Move a run to `status`, refusing a transition the table does not allow."""
    if status not in ImportRun.TRANSITIONS[ImportRun.Status(run.status)]:
        raise ValidationError(f"an import run cannot go from {run.status} to {status}")
    run.status = status
    for name, value in fields.items():
        setattr(run, name, value)
    run.save(update_fields=["status", *fields])


@transaction.atomic
def do_export(kind: str, filename: str, *, acting_user) -> bytes:
    """The data of `kind` the actor may see, in the import's own format (.xlsx or .csv by
    `filename`), with one audit row. Every export (CLI, page, API) goes through here. Raises
    registry.UnknownKind, ImportFileError (kind cannot export, or a wrong file type) and
    ScopeRefused (the importer's own permission check)."""
    importer = registry.get(kind)
    if not importer.can_export:
        raise ImportFileError(f"“{kind}”类型不支持导出。", f"Kind '{kind}' cannot be exported.")
    data = importer.export(acting_user, filename)
    name = PurePath(filename).name
    record(acting_user, f"export.{kind}", summary=f"{kind} → {name}",
           changes={"file": name, "bytes": len(data)}, object_type="imports.kind", object_id=kind)
    return data


@transaction.atomic
def do_create_import_run(
    kind: str, filename: str, data: bytes, *, dry_run: bool = True, options: dict | None = None, acting_user
) -> ImportRun:
    """Store the uploaded file privately and queue a run (the caller enqueues the task)."""
    importer = registry.get(kind)
    importer.scope.require(acting_user)
    declared = {option.name for option in importer.options}
    options = {key: bool(value) for key, value in (options or {}).items() if key in declared}
    suffix = PurePath(filename).suffix.lower()[:10]
    stored_name = f"{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"
    (files_dir() / stored_name).write_bytes(data)
    (files_dir() / stored_name).chmod(0o600)
    run = ImportRun(
        kind=kind,
        filename=PurePath(filename).name[:255] or "upload",
        stored_name=stored_name,
        sha256=sha256_of(data),
        size=len(data),
        dry_run=dry_run,
        options=options,
        created_by=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        scope=_scope_snapshot(acting_user, importer),
    )
    run.full_clean()
    run.save()
    record(
        acting_user,
        "import.upload",
        run,
        summary=f"{kind}: {run.filename}",
        changes={"sha256": run.sha256, "dry_run": dry_run, "options": options},
    )
    return run


@transaction.atomic
def do_apply_import_run(dry_run_run: ImportRun, *, acting_user) -> ImportRun:
    """Queue the real import of a successful dry run's stored file. Idempotent: applying the
    same dry run twice returns the first apply run."""
    run = ImportRun.objects.select_for_update().get(pk=dry_run_run.pk)
    if not (run.dry_run and run.status == ImportRun.Status.SUCCEEDED and run.ok):
        raise ValidationError("only a successful dry run can be applied")
    existing = run.applied_runs.order_by("created_at").first()
    if existing is not None:
        return existing
    applied = ImportRun(
        kind=run.kind,
        filename=run.filename,
        stored_name=run.stored_name,
        sha256=run.sha256,
        size=run.size,
        dry_run=False,
        options=run.options,
        source_run=run,
        created_by=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        scope=run.scope,
    )
    applied.full_clean()
    applied.save()
    record(
        acting_user,
        "import.apply",
        applied,
        summary=f"{run.kind}: {run.filename}",
        changes={"dry_run_run": run.pk, "sha256": run.sha256},
    )
    return applied


def acting_user_of(run: ImportRun):
    return run.created_by if run.created_by_id else SystemActor(label=run.actor_label)


def do_execute_import_run(run_id: int, *, progress: Progress | None = None) -> ImportRun | None:
    """Run a queued import: read the stored file, validate, apply unless a dry run, report.

    Idempotent: a run that is not queued (already running or finished) is left alone.
    Progress is written to the run as it goes (outside the import's transaction, so the web
    page sees it); the import's own writes are one transaction.
    """
    claimed = ImportRun.objects.filter(pk=run_id, status=ImportRun.Status.QUEUED).update(
        status=ImportRun.Status.RUNNING, started_at=timezone.now(), phase="reading"
    )
    if not claimed:
        return None
    run = ImportRun.objects.select_related("created_by").get(pk=run_id)
    importer = registry.get(run.kind)
    last_written = [-PROGRESS_WRITE_EVERY, ""]

    def write_progress(phase: str, done: int, total: int) -> None:
        if phase != last_written[1] or done - last_written[0] >= PROGRESS_WRITE_EVERY or done == total:
            ImportRun.objects.filter(pk=run_id).update(phase=phase, progress_done=done, progress_total=total)
            last_written[:] = [done, phase]
        if progress is not None:
            progress(phase, done, total)

    acting_user = acting_user_of(run)
    try:
        data = read_stored_file(run)
        if not importer.scope.allows(acting_user):
            raise ImportFileError("您已没有导入权限。", "You no longer hold the permission to import.")
        report = run_import(
            importer,
            data,
            run.filename,
            acting_user=acting_user,
            dry_run=run.dry_run,
            options=run.options,
            progress=write_progress,
        )
    except ImportFileError as error:
        report = ImportReport(kind=run.kind, filename=run.filename, dry_run=run.dry_run, sha256=run.sha256)
        report.fail_file(error)
    except Exception as exc:
        logger.exception("import run %s failed", run_id)
        report = ImportReport(kind=run.kind, filename=run.filename, dry_run=run.dry_run, sha256=run.sha256)
        report.fail_file(
            ImportFileError(
                "导入时发生内部错误，未写入任何数据。请联系管理员。",
                f"An internal error stopped the import; nothing was written ({exc}).",
            )
        )
    run.refresh_from_db()
    status = ImportRun.Status.SUCCEEDED if report.ok else ImportRun.Status.FAILED
    set_status(
        run,
        status,
        report=report.as_dict(),
        finished_at=timezone.now(),
        phase="",
        progress_done=report.total,
        progress_total=report.total,
    )
    return run
