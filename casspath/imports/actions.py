"""Every write of the imports app: create a run (store its file), execute it, apply a dry
run; and export, whose audit row says who took which data out."""

import hashlib
import io
import logging
import uuid
from collections.abc import Mapping
from datetime import timedelta
from pathlib import Path, PurePath
from typing import Any, BinaryIO

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_noop

from casspath.core import jobs
from casspath.core.actors import SystemActor, actor_label
from casspath.core.audit import phrase, record
from casspath.imports import registry
from casspath.imports.audit_verbs import ImportVerb
from casspath.imports.errors import ImportFileError, UploadTooLarge
from casspath.imports.framework import Progress, audit_unit, option_values, run_import
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


def file_available(run: ImportRun) -> bool:
    """Whether the run's uploaded file is still kept (see do_purge_import_files)."""
    return bool(run.stored_name) and stored_path(run).is_file()


class FileGone(ImportFileError):
    """The run's uploaded file has been deleted after its retention period."""

    def __init__(self):
        super().__init__(
            f"上传的文件已按保留期限删除（未导入的试运行 {dry_run_retention_days()} 天，"
            f"其他 {retention_days()} 天），无法再导入或下载。请重新上传文件。",
            f"The uploaded file has been deleted after its retention period ({dry_run_retention_days()} days "
            f"for a dry run never applied, {retention_days()} days otherwise): it can no longer be "
            "applied or downloaded. Upload the file again.",
        )


def retention_days() -> int:
    return int(settings.CASSPATH.get("IMPORT_FILE_RETENTION_DAYS", 30))


def dry_run_retention_days() -> int:
    return int(settings.CASSPATH.get("IMPORT_DRY_RUN_FILE_RETENTION_DAYS", 2))


def max_upload_bytes() -> int:
    return int(settings.CASSPATH.get("IMPORT_MAX_UPLOAD_BYTES", 50 * 2**20))


def too_large(size: int | None = None) -> UploadTooLarge:
    limit = max_upload_bytes() // 2**20
    told = f"（{size / 2**20:.1f} MB）" if size else ""
    told_en = f" ({size / 2**20:.1f} MB)" if size else ""
    return UploadTooLarge(
        f"文件过大{told}：导入文件最大 {limit} MB，请拆分后分批导入。",
        f"The file is too large{told_en}: an import file may be at most {limit} MB. "
        "Split it and import the parts.",
    )


def _chunks(upload):
    """The upload's content piece by piece: Django's UploadedFile.chunks(), a file object
    read 1 MB at a time, or bytes (the CLI and tests)."""
    if isinstance(upload, bytes | bytearray | memoryview):
        yield bytes(upload)
    elif hasattr(upload, "chunks"):
        yield from upload.chunks()
    else:
        while chunk := upload.read(2**20):
            yield chunk


def _store(upload, path: Path) -> tuple[str, int]:
    """Write the upload to `path` (private) as it streams in, refusing it past the size
    limit; its SHA-256 and size."""
    digest, size, limit = hashlib.sha256(), 0, max_upload_bytes()
    try:
        with path.open("xb") as out:
            path.chmod(0o600)
            for chunk in _chunks(upload):
                size += len(chunk)
                if size > limit:
                    raise too_large(getattr(upload, "size", None) or size)
                digest.update(chunk)
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return digest.hexdigest(), size


def _scope_snapshot(user, importer) -> list:
    if importer.scope.unrestricted(user):
        return ["*"]
    return importer.scope.roots(user)


def do_export(kind: str, filename: str, *, acting_user, filters: Mapping[str, str] | None = None) -> bytes:
    """`do_export_to` into memory, for callers that want bytes (the CLI writes a file)."""
    buffer = io.BytesIO()
    do_export_to(kind, filename, buffer, acting_user=acting_user, filters=filters)
    return buffer.getvalue()


@transaction.atomic
def do_export_to(kind: str, filename: str, out: BinaryIO, *, acting_user,
                 filters: Mapping[str, str] | None = None) -> int:
    """Write the data of `kind` the actor may see, narrowed by `filters`, to `out` in the
    import's own format (.xlsx or .csv by `filename`), with one audit row saying who took
    what out; returns the bytes written. Every export (CLI, page, API) goes through here.
    Raises registry.UnknownKind, ImportFileError (kind cannot export, a wrong file type, a
    bad filter) and ScopeRefused (the importer's own permission check)."""
    importer = registry.get(kind)
    if not importer.can_export or importer.export_verb is None:
        raise ImportFileError(f"“{kind}”类型不支持导出。", f"Kind '{kind}' cannot be exported.")
    start = out.tell()
    rows = importer.export(acting_user, filename, out, filters)
    size = out.tell() - start
    name = PurePath(filename).name
    shown = {key: value for key, value in (filters or {}).items() if value}
    record(acting_user, importer.export_verb, summary=f"{kind} → {name}",
           changes={"file": name, "bytes": size, "rows": rows, "filters": shown},
           object_type="imports.kind", object_id=kind,
           unit=audit_unit(_scope_snapshot(acting_user, importer)))
    return size


def do_create_import_run(
    kind: str, filename: str, upload, *, dry_run: bool = True, options: dict | None = None, acting_user
) -> ImportRun:
    """Store the uploaded file privately and queue a run (the caller enqueues the task).

    `upload` is an UploadedFile, a file object or bytes; it is streamed to disk, never held
    whole in memory, and refused (UploadTooLarge) past IMPORT_MAX_UPLOAD_BYTES.
    """
    importer = registry.get(kind)
    importer.scope.require(acting_user)
    options = option_values(importer, options or {})
    declared_size = getattr(upload, "size", None)
    if declared_size is not None and declared_size > max_upload_bytes():
        raise too_large(declared_size)
    suffix = PurePath(filename).suffix.lower()[:10]
    stored_name = f"{uuid.uuid4().hex}{suffix if suffix.isascii() else ''}"
    path = files_dir() / stored_name
    sha256, size = _store(upload, path)
    try:
        return _create_run(
            importer, filename, stored_name, sha256, size, dry_run=dry_run, options=options,
            acting_user=acting_user,
        )
    except BaseException:
        path.unlink(missing_ok=True)  # no run will ever name it
        raise


@transaction.atomic
def _create_run(importer, filename, stored_name, sha256, size, *, dry_run, options, acting_user) -> ImportRun:
    run = ImportRun(
        kind=importer.kind,
        filename=PurePath(filename).name[:255] or "upload",
        stored_name=stored_name,
        sha256=sha256,
        size=size,
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
        ImportVerb.UPLOAD,
        run,
        summary=f"{importer.kind}: {run.filename}",
        changes={"sha256": run.sha256, "dry_run": dry_run, "options": options},
        unit=audit_unit(run.scope),
    )
    return run


@transaction.atomic
def do_apply_import_run(dry_run_run: ImportRun, *, acting_user) -> ImportRun:
    """Queue the real import of a successful dry run's stored file. Idempotent: applying the
    same dry run again returns its apply run that is queued, running or succeeded; only after
    every apply failed (its worker died, say) does it queue a new one."""
    run = ImportRun.objects.select_for_update().get(pk=dry_run_run.pk)
    if not (run.dry_run and run.status == ImportRun.Status.SUCCEEDED and run.ok):
        raise ValidationError("only a successful dry run can be applied")
    existing = run.applied_runs.exclude(status=ImportRun.Status.FAILED).order_by("created_at").first()
    if existing is not None:
        return existing
    if not file_available(run):
        raise FileGone()
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
        ImportVerb.APPLY,
        applied,
        summary=f"{run.kind}: {run.filename}",
        changes={"dry_run_run": run.pk, "sha256": run.sha256},
        unit=audit_unit(run.scope),
    )
    return applied


@transaction.atomic
def do_retry_import_run(failed: ImportRun, *, acting_user) -> ImportRun:
    """Run a failed run's file again, as a new run (the failed one keeps its reason): the
    offered retry when the machinery failed it (worker died, queue unreachable). An apply run
    is retried as a new apply of its dry run. The caller enqueues the new run."""
    run = ImportRun.objects.select_for_update().get(pk=failed.pk)
    if not (run.status == ImportRun.Status.FAILED and run.retryable):
        raise ImportFileError(
            f"导入记录 {run.pk} 不能重试：只有因后台故障失败的任务可以重试。",
            f"Import run {run.pk} cannot be retried: only a run the background machinery failed can.",
        )
    if run.source_run is not None:
        return do_apply_import_run(run.source_run, acting_user=acting_user)
    if not stored_path(run).is_file():
        raise ImportFileError(
            f"导入记录 {run.pk} 的文件已被删除，请重新上传。",
            f"The file of import run {run.pk} was deleted; upload it again.",
        )
    again = ImportRun(
        kind=run.kind,
        filename=run.filename,
        stored_name=run.stored_name,
        sha256=run.sha256,
        size=run.size,
        dry_run=run.dry_run,
        options=run.options,
        created_by=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        scope=run.scope,
    )
    again.full_clean()
    again.save()
    record(acting_user, ImportVerb.RETRY, again, summary=f"{run.kind}: {run.filename}",
           changes={"failed_run": run.pk, "sha256": run.sha256}, unit=audit_unit(run.scope))
    return again


def do_execute_import_run(run_id: int, *, progress: Progress | None = None) -> ImportRun | None:
    """Run a queued import: read the stored file, validate, apply unless a dry run, report.

    A job of casspath.core.jobs: claimed (a queued run, or a running one whose worker died),
    so a second delivery or a second worker does nothing (None). Progress is the job's
    heartbeat, written outside the import's transaction so the web page sees it. The import's
    writes and the run's success are one transaction (`before_commit`): a worker killed at
    any point leaves the rows as they were and the run to be taken over.
    """
    run = jobs.claim(ImportRun, run_id)
    if run is None:
        return None
    importer = registry.get(run.kind)
    last_written: list[Any] = [-PROGRESS_WRITE_EVERY, ""]  # [done, phase]

    def write_progress(phase: str, done: int, total: int) -> None:
        if phase != last_written[1] or done - last_written[0] >= PROGRESS_WRITE_EVERY or done == total:
            jobs.heartbeat(run, phase=phase, done=done, total=total)
            last_written[:] = [done, phase]
        if progress is not None:
            progress(phase, done, total)

    def succeed(report: ImportReport, *, held: ImportRun | None = None) -> ImportRun:
        fields = {"report": report.as_dict(), "phase": "", "progress_done": report.total,
                  "progress_total": report.total}
        if held is None:
            return jobs.finish(run, ImportRun.Status.SUCCEEDED, **fields)
        jobs.set_status(held, ImportRun.Status.SUCCEEDED, finished_at=timezone.now(),
                        heartbeat_at=timezone.now(), **fields)
        return held

    sealed: list[ImportRun] = []

    def before_commit(report: ImportReport) -> None:
        jobs.pause_for_tests("import.written")
        sealed.append(succeed(report, held=jobs.hold(run)))

    acting_user = jobs.acting_user_of(run)
    retryable = False
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
            before_commit=before_commit,
            run_id=run.pk,
        )
    except jobs.JobLost:
        return None
    except ImportFileError as error:
        sealed.clear()  # (raised out of the transaction: it rolled back, the success with it)
        report = ImportReport(kind=run.kind, filename=run.filename, dry_run=run.dry_run, sha256=run.sha256)
        report.fail_file(error)
    except Exception as exc:
        # Also when the COMMIT itself failed, after `before_commit` sealed the success (a
        # deferred foreign key: a row referred to was deleted meanwhile): the success was
        # rolled back with the rows, the run fails (and may be retried).
        sealed.clear()
        logger.exception("import run %s failed", run_id)
        report = ImportReport(kind=run.kind, filename=run.filename, dry_run=run.dry_run, sha256=run.sha256)
        report.fail_file(
            ImportFileError(
                "导入时发生内部错误，未写入任何数据。请联系管理员。",
                f"An internal error stopped the import; nothing was written ({exc}).",
            )
        )
        retryable = True
    if sealed:
        return sealed[0]
    try:
        if report.ok:
            return succeed(report)
        failure = report.file_error or {}
        finished = jobs.finish(
            run, ImportRun.Status.FAILED, report=report.as_dict(), phase="", retryable=retryable,
            progress_done=report.total, progress_total=report.total,
            error_zh=failure.get("message_zh", ""), error_en=failure.get("message_en", ""),
        )
    except jobs.JobLost:
        return None
    return finished


def do_purge_import_files(*, acting_user, now=None) -> int:
    """Delete uploaded files past their retention: a dry run's that was never applied after
    IMPORT_DRY_RUN_FILE_RETENTION_DAYS (default 2), any other after
    IMPORT_FILE_RETENTION_DAYS (default 30), and stray files no run names after the shorter
    period. A file shared by a dry run and its apply goes when both allow it; a file of an
    unfinished run stays. The runs and their reports stay; their pages say the file is gone.
    One audit row per purge that deleted anything. Returns the number of files deleted."""
    now = now or timezone.now()
    keep_until = now - timedelta(days=retention_days())
    keep_dry_until = now - timedelta(days=dry_run_retention_days())
    by_file: dict[str, list[ImportRun]] = {}
    for run in ImportRun.objects.exclude(stored_name="").prefetch_related("applied_runs").only(
        "id", "stored_name", "status", "dry_run", "created_at"
    ):
        by_file.setdefault(run.stored_name, []).append(run)

    def expired(run: ImportRun) -> bool:
        if not run.is_finished:
            return False
        if run.dry_run and not run.applied_runs.all():
            return run.created_at < keep_dry_until
        return run.created_at < keep_until

    deleted: list[int] = []
    files = 0
    directory = files_dir()
    for name, runs in by_file.items():
        path = directory / name
        if path.is_file() and all(expired(run) for run in runs):
            path.unlink(missing_ok=True)
            deleted += [run.pk for run in runs]
            files += 1
    strays = 0
    for path in directory.iterdir():
        if path.name not in by_file and path.is_file():
            if path.stat().st_mtime < keep_dry_until.timestamp():
                path.unlink(missing_ok=True)
                strays += 1
    if deleted or strays:
        record(
            acting_user,
            ImportVerb.PURGE_FILES,
            summary=phrase(gettext_noop("%(files)s files of %(runs)s runs, %(strays)s stray files"),
                                 files=files, runs=len(deleted), strays=strays),
            changes={"runs": sorted(deleted), "files": files, "stray_files": strays},
        )
    return files + strays
