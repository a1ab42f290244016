"""Writes of the performance app beyond its import: the diagnosis snapshot, a job of
casspath.core.jobs (queued, run in the background or here, cancelled), audited.

The figures and the job's success are written in one transaction (`jobs.hold`): a worker
killed while computing leaves a job the sweeper requeues, never half a snapshot."""

import logging
from collections.abc import Iterable
from functools import partial

from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone, translation

from casspath.core import audit, jobs
from casspath.core.actors import SystemActor
from casspath.core.bulk import Same, insert_rows
from casspath.core.errors import BilingualError
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm, ScopeRefused, require_scope
from casspath.performance import display, report
from casspath.performance.access import may_cancel_diagnosis
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.diagnosis import Computed, DiagnosisError, Period, applying_model, compute_diagnosis
from casspath.performance.models import DiagnosisMember, DiagnosisReport, DiagnosisSnapshot
from casspath.performance.report import document

logger = logging.getLogger(__name__)

# The phases a run reports, in order (its progress is their count).
PHASES = ("reading", "computing", "writing")


@transaction.atomic
def do_queue_diagnosis(unit: OrgUnit, period: Period, *, acting_user) -> DiagnosisSnapshot:
    """A queued diagnosis of `unit` over `period`; the caller enqueues it once this has
    committed (`casspath.core.jobs.enqueue`) or runs it (`do_run_diagnosis`). Refused when
    no published model applies to the unit (DiagnosisError) or outside the actor's scope."""
    require_scope(acting_user, Perm.SEE_REPORTS, unit)
    model = applying_model(unit)
    label = audit.actor_label(acting_user)
    # The same person asking the same again (a double click, a resubmitted form) while it is
    # still to finish gets that run, not a second computation. Another person's is not
    # shared: it reads the people of his own scope.
    unfinished = (DiagnosisSnapshot.objects.select_for_update()
                  .filter(org_unit=unit, first_month=period.first, last_month=period.last, model=model,
                          created_by_label=label, status__in=jobs.CANCELLABLE)
                  .order_by("pk").first())
    if unfinished is not None:
        return unfinished
    snapshot = DiagnosisSnapshot(
        org_unit=unit, first_month=period.first, last_month=period.last, model=model,
        model_version=model.version,
        created_by=None if isinstance(acting_user, SystemActor) else acting_user,
        created_by_label=label, progress_total=len(PHASES),
    )
    snapshot.full_clean()
    snapshot.save()
    audit.record(acting_user, PerformanceVerb.QUEUE_DIAGNOSIS, snapshot,
                 summary=f"{unit.code} {period.first:%Y-%m}..{period.last:%Y-%m}", unit=unit)
    return snapshot


def do_run_diagnosis(pk: int) -> DiagnosisSnapshot | None:
    """Compute a queued diagnosis and store its figures. Idempotent (casspath.core.jobs): a
    finished one is not run again, a running one is left to its worker. Returns the
    finished snapshot, or None when this call did not run it."""
    snapshot = jobs.claim(DiagnosisSnapshot, pk)
    if snapshot is None:
        return None
    acting_user = jobs.acting_user_of(snapshot)
    unit = snapshot.org_unit
    try:
        # Checked again: the scope may have been taken away since it was queued.
        require_scope(acting_user, Perm.SEE_REPORTS, unit)
        period = Period(snapshot.first_month, snapshot.last_month)

        # Called at each phase and, throttled, from inside the reads and the computation: a
        # computation longer than JOB_STALE_AFTER is not taken for a dead worker.
        def progress(phase: str) -> None:
            jobs.pulse(snapshot, phase=phase, done=PHASES.index(phase))

        computed = compute_diagnosis(acting_user, unit, period, progress)
        figures = computed.figures
        progress("writing")
        with transaction.atomic():
            locked = jobs.hold(snapshot)
            _write_members(locked, computed)
            jobs.set_status(locked, DiagnosisSnapshot.Status.SUCCEEDED, figures=figures,
                            model_version=figures["model"]["version"], progress_done=len(PHASES),
                            finished_at=timezone.now(), heartbeat_at=timezone.now())
            audit.record(acting_user, PerformanceVerb.DIAGNOSE, locked,
                         summary=f"{unit.code} {period.first:%Y-%m}..{period.last:%Y-%m}: "
                                 f"{figures['headcount']} managers", unit=unit)
        return locked
    except jobs.JobLost:
        return None
    except (DiagnosisError, ScopeRefused) as refused:
        return jobs.fail(snapshot, refused, acting_user=acting_user)
    except Exception:
        logger.exception("diagnosis %s failed", pk)
        return jobs.fail(snapshot, BilingualError(
            "诊断计算时发生内部错误，未保存任何结果。请稍后重试，或联系系统管理员。",
            "An internal error stopped the diagnosis; nothing was stored. Try again later, or tell "
            "the system administrator."), retryable=True, acting_user=acting_user)


# Members are written tier by tier, each from its highest output (then by employee id): a
# tier's page lists them by id in that order.
TIER_ORDER = {"high": 0, "middle": 1, "low": 2}


def _write_members(snapshot: DiagnosisSnapshot, computed: Computed) -> None:
    members = sorted(computed.members, key=lambda m: (TIER_ORDER[m[1]], -m[2], m[0]))
    insert_rows(DiagnosisMember, ("snapshot_id", "employee_id", "tier", "period_output"),
                [Same(snapshot.pk), [m[0] for m in members], [m[1] for m in members],
                 [m[2] for m in members]])


def do_diagnose(unit: OrgUnit, period: Period, *, acting_user) -> DiagnosisSnapshot:
    """Queue a diagnosis and run it here and now (the command line, tests). Returns it
    finished: succeeded with its figures, or failed with its reason."""
    snapshot = do_queue_diagnosis(unit, period, acting_user=acting_user)
    do_run_diagnosis(snapshot.pk)
    snapshot.refresh_from_db()
    return snapshot


def do_cancel_diagnosis(snapshot: DiagnosisSnapshot, *, acting_user) -> DiagnosisSnapshot:
    """Stop a queued or running diagnosis (nothing of it is stored); a finished one raises
    InvalidTransition. Refused (ScopeRefused) to those `may_cancel_diagnosis` leaves out."""
    if not may_cancel_diagnosis(acting_user, snapshot):
        raise ScopeRefused("只有运行该诊断的人或本单位的培训管理员可以取消它",
                           "Only whoever ran this diagnosis, or the unit's training admins, may cancel it")
    # Named as the page names who ran it (display.run_by), in each language of the message.
    with translation.override("zh-hans"):
        who_zh = display.run_by(acting_user)
    with translation.override("en"):
        who_en = display.run_by(acting_user)
    return jobs.cancel(snapshot, BilingualError(f"已被 {who_zh} 取消。", f"Cancelled by {who_en}."),
                       acting_user=acting_user, verb=PerformanceVerb.CANCEL_DIAGNOSIS, unit=snapshot.org_unit)


# Formats printed in the background and kept per snapshot (DiagnosisReport): the others
# are rendered within the request, in well under a second.
BACKGROUND_FORMATS = frozenset(DiagnosisReport.Format.values)
# The phases a report's run reports, in order.
REPORT_PHASES = ("drawing", "printing", "storing")


class ReportNotReady(BilingualError):
    """The file is printed in the background and has not been yet (`do_request_report`)."""


def do_export_diagnosis(snapshot: DiagnosisSnapshot, fmt: str, *, acting_user,
                        print_now: bool = False) -> bytes:
    """A stored diagnosis as a file of `fmt` (report.FORMATS), audited as an export. A PDF is
    the file its DiagnosisReport printed, never printed here (ReportNotReady until then),
    unless `print_now` (the command line, which may wait for it)."""
    require_scope(acting_user, Perm.SEE_REPORTS, snapshot.org_unit)
    if snapshot.figures is None:
        raise ValueError("only a succeeded diagnosis has figures to export")
    if fmt in BACKGROUND_FORMATS and not print_now:
        ready = ready_report(snapshot, fmt)
        if ready is None:
            raise ReportNotReady("PDF 报告尚未生成，请先准备。",
                                 "The PDF report has not been printed yet: prepare it first.")
        data = _kept_file(ready)
    else:
        data = report.render(snapshot.figures, fmt, report.about_snapshot(snapshot))
    audit.record(acting_user, PerformanceVerb.EXPORT_DIAGNOSIS, snapshot,
                 summary=f"{snapshot.org_unit.code} {snapshot.first_month:%Y-%m}..{snapshot.last_month:%Y-%m}"
                         f" .{fmt}", unit=snapshot.org_unit)
    return data


def _kept_file(ready: DiagnosisReport) -> bytes:
    """The bytes of a printed report; when its file is gone, the report is failed (retry
    offered, so the next request prints it again) and ReportNotReady raised."""
    try:
        with ready.file.open("rb") as stored:
            return stored.read()
    except FileNotFoundError:
        logger.warning("diagnosis report %s: its file %s is gone", ready.pk, ready.file.name)
    jobs.fail(ready, BilingualError(
        "此前生成的 PDF 文件已不在存储中，需要重新生成。",
        "The PDF file printed earlier is no longer in storage: it must be printed again."),
        retryable=True, held=False)
    raise ReportNotReady("PDF 报告需要重新生成，请重新准备。",
                         "The PDF report must be printed again: prepare it again.")


def latest_report(snapshot: DiagnosisSnapshot, fmt: str) -> DiagnosisReport | None:
    """The snapshot's report of `fmt` asked last (live, else the last failure), or None."""
    asked = DiagnosisReport.objects.filter(snapshot=snapshot, format=fmt)
    return asked.order_by("-created_at", "-id").first()


def ready_report(snapshot: DiagnosisSnapshot, fmt: str) -> DiagnosisReport | None:
    return DiagnosisReport.objects.filter(snapshot=snapshot, format=fmt,
                                          status=DiagnosisReport.Status.SUCCEEDED).first()


def do_request_report(snapshot: DiagnosisSnapshot, fmt: str, *, acting_user) -> DiagnosisReport:
    """The snapshot's report of `fmt` (BACKGROUND_FORMATS): the one queued, running or printed
    already, else a new job, audited and sent to the background once this commits.
    Idempotent: asking twice, or two people at once, queues one job (the table's unique
    constraint on live reports decides a race); a failed report is retried by a new job."""
    require_scope(acting_user, Perm.SEE_REPORTS, snapshot.org_unit)
    if fmt not in BACKGROUND_FORMATS:
        raise ValueError(f"{fmt!r} is rendered within the request, not in the background")
    if snapshot.status != DiagnosisSnapshot.Status.SUCCEEDED:
        raise ValueError("only a succeeded diagnosis has a report to print")
    live = ~Q(status=DiagnosisReport.Status.FAILED)
    existing = DiagnosisReport.objects.filter(live, snapshot=snapshot, format=fmt).first()
    if existing is not None:
        return existing
    # A job that failed for good may have left a file of a killed attempt: asked again, its
    # retry (a new job) clears them once it is queued.
    for failed in DiagnosisReport.objects.filter(snapshot=snapshot, format=fmt,
                                                 status=DiagnosisReport.Status.FAILED):
        transaction.on_commit(partial(delete_files, failed.file.storage, failed.file_names()))
    try:
        with transaction.atomic():
            job = DiagnosisReport(
                snapshot=snapshot, format=fmt, progress_total=len(REPORT_PHASES),
                created_by=None if isinstance(acting_user, SystemActor) else acting_user,
                created_by_label=audit.actor_label(acting_user))
            job.full_clean(validate_constraints=False)  # the insert decides (a race)
            job.save()
            audit.record(acting_user, PerformanceVerb.QUEUE_REPORT, snapshot,
                         summary=f"{snapshot.org_unit.code} #{snapshot.pk} .{fmt}", unit=snapshot.org_unit)
            jobs.enqueue(job)
    except IntegrityError:
        return DiagnosisReport.objects.get(live, snapshot=snapshot, format=fmt)
    return job


def do_render_report(pk: int) -> DiagnosisReport | None:
    """Print a queued report and keep its file. Idempotent (casspath.core.jobs): a finished
    one is not printed again, a running one is left to its worker. Returns the finished
    report, or None when this call did not run it."""
    job = jobs.claim(DiagnosisReport, pk)
    if job is None:
        return None
    acting_user = jobs.acting_user_of(job)
    snapshot = job.snapshot
    saved = ""
    try:
        require_scope(acting_user, Perm.SEE_REPORTS, snapshot.org_unit)
        jobs.heartbeat(job, phase="drawing", done=0)
        text = document.html(snapshot.figures or {}, report.about_snapshot(snapshot), chart_text="none")
        jobs.heartbeat(job, phase="printing", done=1)
        data = document.print_pdf(text)
        jobs.heartbeat(job, phase="storing", done=2)
        # Files are not transactional: one per attempt, removed when this attempt may not keep it.
        # An earlier attempt killed after saving left its file: gone now, as is any left under
        # this attempt's name, so the name saved is the one asked (no "_x7Yz" suffix).
        delete_files(job.file.storage, job.file_names())
        saved = job.file.storage.save(job.attempt_file_name(job.attempt), ContentFile(data))
        with transaction.atomic():
            locked = jobs.hold(job)
            jobs.set_status(locked, DiagnosisReport.Status.SUCCEEDED, file=saved,
                            progress_done=len(REPORT_PHASES), finished_at=timezone.now(),
                            heartbeat_at=timezone.now())
        return locked
    except jobs.JobLost:
        _remove(job, saved)
        return None
    except ScopeRefused as refused:
        return jobs.fail(job, refused, acting_user=acting_user)
    except Exception:
        logger.exception("diagnosis report %s failed", pk)
        _remove(job, saved)
        return jobs.fail(job, BilingualError(
            "生成 PDF 报告时发生内部错误，未保存任何文件。请稍后重试，或联系系统管理员。",
            "An internal error stopped printing the PDF report; no file was kept. Try again later, or tell "
            "the system administrator."), retryable=True, acting_user=acting_user)


def delete_files(storage, names: Iterable[str]) -> None:
    """Delete private files, best effort: one that cannot be deleted is logged, not raised
    (the rows that named them are gone or committed already); a missing one is no error.
    Run on commit for a deleted report (models.py) and a retried one (do_request_report)."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete the private file %s", name, exc_info=True)


def _remove(job: DiagnosisReport, name: str) -> None:
    if name:
        job.file.storage.delete(name)
