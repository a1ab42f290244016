"""The one job machinery: background work (imports, login batches; next diagnosis runs,
plan builds, PDF jobs, dispatch) is a row of a model that inherits `Job`.

A job model inherits `Job` and names the Huey task that runs one job from its id
(`job_task = "casspath.<app>.tasks.<task>"`). Its life:

- the action that creates it calls `enqueue(job)`: the task is sent once the transaction
  commits, so a worker never looks for a row it cannot see yet; when the queue cannot be
  reached the job fails at once, in both languages, with a retry offered;
- the task calls `claim(Model, pk)`: one atomic conditional UPDATE takes a queued job, or a
  running one whose heartbeat is older than JOB_STALE_AFTER (its worker died), raising
  `attempt`. It returns None when there is nothing to do, so a duplicate message or two
  workers never run the same job;
- while it works it calls `heartbeat(job, phase=, done=, total=)` (so pages and the sweeper
  see it), or `pulse` (the same, throttled) from inside a long phase; it raises `JobLost`
  once another claim took the job over, and the run stops.
  Called inside a write transaction the job opened itself (an import waiting for its lock
  or writing under it), the heartbeat is committed on a second, short-lived connection on
  PostgreSQL, so that it is seen at once rather than at the commit; SQLite admits one
  writer, which the job is, so there it is kept for the end;
- it writes its results in ONE transaction that also calls `hold(job)` (locks the row and
  checks this attempt still holds it) and `set_status(..., SUCCEEDED)`: results and success
  commit together or not at all, so a worker killed at any point leaves nothing half-written;
  `finish` and `fail` do the same for a job with nothing else to write;
- an action that queues a job for a user first calls `limit_per_user(Model, user, ...)`: a
  user who already has JOB_LIVE_PER_USER jobs of the model queued or running is refused
  (`TooManyJobs`, both languages) rather than filling the queue;
- `sweep()` (core/tasks.py, every minute) finds running jobs whose heartbeat went stale:
  requeued while `attempt` < JOB_MAX_ATTEMPTS, else failed with the reason and a retry offered
  (`retryable`). It also resends queued jobs whose message was sent long ago and never taken.

Status moves only along `TRANSITIONS` (rules as data); anything else raises the one
`InvalidTransition`. Pages show a job with the fragment `core/partials/job_progress.html`.
"""

import logging
import time
from datetime import timedelta
from functools import partial
from pathlib import Path
from typing import TypeVar

from django.apps import apps
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import DatabaseError, connections, models, transaction
from django.db.models import F, Q
from django.db.transaction import on_commit
from django.utils import timezone, translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext_lazy as _
from django.utils.translation import gettext_noop

from casspath.core.actors import SystemActor
from casspath.core.audit import AuditVerb, Bilingual, phrase, record
from casspath.core.audit_verbs import CoreVerb
from casspath.core.errors import BilingualError, InvalidTransition

logger = logging.getLogger(__name__)

SWEEPER = SystemActor(label="task:sweep_jobs")


class JobStatus(models.TextChoices):
    QUEUED = "queued", _("queued")
    RUNNING = "running", _("running")
    SUCCEEDED = "succeeded", _("succeeded")
    FAILED = "failed", _("failed")


# RUNNING → QUEUED is the sweeper's requeue of a job whose worker died. A failed job stays
# failed: a retry is a new job (the failed one keeps its reason as history).
TRANSITIONS: dict[str, frozenset[str]] = {
    JobStatus.QUEUED: frozenset({JobStatus.RUNNING, JobStatus.FAILED}),
    JobStatus.RUNNING: frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED, JobStatus.QUEUED}),
    JobStatus.SUCCEEDED: frozenset(),
    JobStatus.FAILED: frozenset(),
}


# What may be cancelled (`cancel`): a job not finished. Its worker, if it has one, stops at
# its next heartbeat (JobLost) and writes nothing.
CANCELLABLE: frozenset[str] = frozenset({JobStatus.QUEUED, JobStatus.RUNNING})


# A cancelled job is failed (nothing of it was written) with this phase: its badge says so.
CANCELLED_PHASE = "cancelled"

# The colour of each status's badge (Bootstrap's text-bg-*), one table for every job page.
STATUS_TONES: dict[str, str] = {
    JobStatus.QUEUED: "secondary",
    JobStatus.RUNNING: "primary",
    JobStatus.SUCCEEDED: "success",
    JobStatus.FAILED: "danger",
}


class TooManyJobs(BilingualError):  # noqa: N818 (a refusal, as InvalidTransition)
    """A user asked for another job while JOB_LIVE_PER_USER of the kind are not finished."""


class JobLost(Exception):
    """Another claim took the job over, or it finished: this run must write nothing more."""


class Job(models.Model):
    """Status, phase, progress, attempt, heartbeat and a bilingual error of a background job."""

    Status = JobStatus
    TRANSITIONS = TRANSITIONS
    CANCELLABLE = CANCELLABLE
    FINISHED = frozenset({JobStatus.SUCCEEDED, JobStatus.FAILED})
    # Dotted path of the Huey task that runs one job of the model from its id.
    job_task: str = ""
    # The field naming who queued the job when no user did (a command-line run), beside the
    # model's `created_by` (see `acting_user_of`).
    created_by_label_field: str = "created_by_label"
    # Not a field: set by `claim` on the instance it returns (how deep in transactions the
    # claiming code was), so that `heartbeat` knows a transaction the run opened itself.
    _claimed_in_atomic_depth: int | None = None
    # Not a field: when this instance last beat (time.monotonic), for `pulse`.
    _beaten_at: float | None = None

    status = models.CharField(
        _("status"), max_length=10, choices=JobStatus.choices, default=JobStatus.QUEUED, db_index=True
    )
    phase = models.CharField(_("phase"), max_length=20, blank=True)
    progress_done = models.PositiveIntegerField(_("done"), default=0)
    progress_total = models.PositiveIntegerField(_("to do"), default=0)
    # Raised by every claim; only the run holding the latest attempt may write.
    attempt = models.PositiveIntegerField(_("attempt"), default=0, editable=False)
    # Set by every claim and heartbeat (and when the task is sent, while queued).
    heartbeat_at = models.DateTimeField(_("heartbeat"), null=True, blank=True, editable=False)
    started_at = models.DateTimeField(_("started"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished"), null=True, blank=True)
    error_zh = models.TextField(_("error (Chinese)"), blank=True)
    error_en = models.TextField(_("error (English)"), blank=True)
    # The failure was the machinery's (worker died, queue unreachable): running it again may work.
    retryable = models.BooleanField(_("retry offered"), default=False)

    class Meta:
        abstract = True

    @property
    def is_finished(self) -> bool:
        return self.status in self.FINISHED

    @property
    def is_cancellable(self) -> bool:
        return self.status in self.CANCELLABLE

    @property
    def percent(self) -> int:
        if self.status == JobStatus.SUCCEEDED:
            return 100
        if not self.progress_total:
            return 0
        return min(100, self.progress_done * 100 // self.progress_total)

    @property
    def badge(self) -> tuple[str, str]:
        """(label, tone) of the job's badge (core/partials/job_badge.html): its status, unless
        a model says its outcome reads otherwise."""
        if self.was_cancelled:
            return str(_("cancelled")), "secondary"
        return str(self.get_status_display()), STATUS_TONES[self.status]

    @property
    def was_cancelled(self) -> bool:
        return self.status == JobStatus.FAILED and self.phase == CANCELLED_PHASE

    @property
    def error(self) -> str:
        """The error in the language of the request (Chinese unless English is active)."""
        language = translation.get_language() or settings.LANGUAGE_CODE
        return (self.error_en if language.startswith("en") else self.error_zh) or self.error_en

    @property
    def was_taken_over(self) -> bool:
        """An earlier attempt's worker stopped before finishing (this is a later attempt)."""
        return self.attempt > 1

    def requeueable(self) -> bool:
        """Whether a worker may run it again after its first worker died (a job that must run
        where it started, e.g. one writing a file named on the command line, says no)."""
        return True


J = TypeVar("J", bound=Job)


def acting_user_of(job: Job):
    """Who queued `job`, for its run to act as: its `created_by` user, or (a command-line
    run, which has none) the system actor its label field names."""
    if getattr(job, "created_by_id", None):
        return job.created_by  # type: ignore[attr-defined]
    return SystemActor(label=getattr(job, job.created_by_label_field, "") or "system")


def limit_per_user(
    model: type[Job], user, *, what_zh: str, what_en: str, user_field: str = "created_by"
) -> None:
    """Refuse (TooManyJobs) a new job of `model` for `user` while JOB_LIVE_PER_USER of his are
    queued or running; `what_zh`/`what_en` name the jobs ("本口袋书", "pocket books"). Called
    inside the transaction that creates the job: the user's row is locked first, so that two
    requests at once are counted one after the other. No limit for the system actor."""
    if getattr(user, "pk", None) is None:
        return
    limit = settings.JOB_LIVE_PER_USER
    get_user_model()._default_manager.select_for_update().filter(pk=user.pk).first()
    live = model._default_manager.filter(**{user_field: user}, status__in=CANCELLABLE).count()
    if live >= limit:
        raise TooManyJobs(
            f"您已有 {live} {what_zh}正在排队或生成（每人最多 {limit} 个），请等其中一个完成后再申请。",
            f"You already have {live} {what_en} queued or running (at most {limit} at a time): wait for one "
            "to finish before asking for another.",
        )


def stale_after() -> timedelta:
    return timedelta(seconds=settings.JOB_STALE_AFTER)


def set_status(job: Job, status: str, **fields) -> None:
    """Move `job` to `status` and save it with `fields`; a move TRANSITIONS does not allow
    raises InvalidTransition."""
    if status not in job.TRANSITIONS[job.status]:
        zh, en = _labels(job)
        with translation.override("zh-hans"):
            old, new = str(JobStatus(job.status).label), str(JobStatus(status).label)
        raise InvalidTransition(
            f"{zh} {job.pk} 的状态不能从「{old}」改为「{new}」。",
            f"{en} {job.pk} cannot go from {job.status} to {status}.",
        )
    job.status = status
    for name, value in fields.items():
        setattr(job, name, value)
    job.save(update_fields=["status", *fields])


def claim(model: type[J], pk: int) -> J | None:
    """Take job `pk` for this worker: a queued one, or a running one whose heartbeat is older
    than JOB_STALE_AFTER (taken over). One conditional UPDATE, atomic on SQLite and
    PostgreSQL alike, so of two workers only one gets it. None: nothing for this worker."""
    now = timezone.now()
    stale = Q(heartbeat_at__lt=now - stale_after()) | Q(heartbeat_at__isnull=True)
    depth = len(transaction.get_connection(model._default_manager.db).atomic_blocks)
    with transaction.atomic():
        taken = (
            model._default_manager.filter(pk=pk)
            .filter(Q(status=JobStatus.QUEUED) | (Q(status=JobStatus.RUNNING) & stale))
            .update(
                status=JobStatus.RUNNING, attempt=F("attempt") + 1, heartbeat_at=now, started_at=now,
                finished_at=None, phase="", progress_done=0,
            )
        )
        job = model._default_manager.get(pk=pk) if taken else None
    if job is not None:
        # Transactions opened deeper than this are the job's own (`heartbeat`).
        job._claimed_in_atomic_depth = depth
    return job


def heartbeat(job: Job, *, phase: str | None = None, done: int | None = None,
              total: int | None = None) -> None:
    """Commit the job's progress and that its worker lives. Call it outside the job's write
    transaction. Raises JobLost when this attempt no longer holds the job."""
    fields: dict = {"heartbeat_at": timezone.now()}
    for name, value in (("phase", phase), ("progress_done", done), ("progress_total", total)):
        if value is not None:
            fields[name] = value
    if _inside_own_transaction(job):
        _heartbeat_beside(job, fields)
    else:
        mine = type(job)._default_manager.filter(pk=job.pk, status=JobStatus.RUNNING, attempt=job.attempt)
        moved = mine.update(**fields)
        if not moved:
            raise JobLost(job.pk)
    for name, value in fields.items():
        setattr(job, name, value)
    job._beaten_at = time.monotonic()


# A long phase beats at least this many times per JOB_STALE_AFTER, so one late beat (a busy
# database, a slow step) still leaves the job well short of stale.
BEATS_PER_STALE_AFTER = 4


def pulse(job: Job, *, phase: str, done: int | None = None, total: int | None = None) -> None:
    """`heartbeat`, for calls made often from inside a long phase (between reads, between a
    computation's steps): a new phase beats at once, the same phase only once
    JOB_STALE_AFTER / BEATS_PER_STALE_AFTER has passed since the last beat."""
    last = job._beaten_at
    if (phase == job.phase and last is not None
            and time.monotonic() - last < settings.JOB_STALE_AFTER / BEATS_PER_STALE_AFTER):
        return
    heartbeat(job, phase=phase, done=done, total=total)


# A heartbeat written beside a transaction waits this long at most for the job's row.
BESIDE_LOCK_TIMEOUT = "2s"


def _inside_own_transaction(job: Job) -> bool:
    """Whether the caller is inside a transaction the job's run opened after its claim,
    whose writes nobody sees before it commits."""
    depth = job._claimed_in_atomic_depth
    return depth is not None and len(transaction.get_connection(job._state.db).atomic_blocks) > depth


def _column_of(field) -> str:
    # The job's own concrete fields only, each of which has a column.
    assert isinstance(field, models.Field) and field.column is not None
    return field.column


def _heartbeat_beside(job: Job, fields: dict) -> None:
    """Commit the heartbeat on a connection of its own (PostgreSQL), the job's transaction
    left open. Best effort: a heartbeat that cannot be written (the row is locked, the
    database is busy) is logged and skipped, for the job's `hold` checks its attempt before
    anything commits. Raises JobLost when the row says another attempt holds the job."""
    alias = job._state.db or "default"
    if connections[alias].vendor != "postgresql":
        return  # SQLite: the job holds the one write lock; its fields are written at the end
    meta = type(job)._meta
    side = connections.create_connection(alias)
    try:
        quote = side.ops.quote_name
        table = quote(meta.db_table)
        column = {name: quote(_column_of(meta.get_field(name))) for name in (*fields, "status", "attempt")}
        pk = quote(_column_of(meta.pk))
        assignments = ", ".join(f"{column[name]} = %s" for name in fields)
        with side.cursor() as cursor:
            cursor.execute("SELECT set_config('lock_timeout', %s, false)", [BESIDE_LOCK_TIMEOUT])
            # Names from the model's meta; values are parameters.
            cursor.execute(
                f"UPDATE {table} SET {assignments} WHERE {pk} = %s AND {column['status']} = %s "  # noqa: S608
                f"AND {column['attempt']} = %s",
                [*fields.values(), job.pk, JobStatus.RUNNING.value, job.attempt],
            )
            if cursor.rowcount:
                return
            cursor.execute(
                f"SELECT {column['status']}, {column['attempt']} FROM {table} WHERE {pk} = %s",  # noqa: S608
                [job.pk],
            )
            row = cursor.fetchone()
        # No row: the job was created in a transaction not committed yet (tests): nothing to say.
        if row is not None and (row[0] != JobStatus.RUNNING or row[1] != job.attempt):
            raise JobLost(job.pk)
    except DatabaseError:
        logger.warning("could not write the heartbeat of %s %s", meta.label, job.pk, exc_info=True)
    finally:
        side.close()


def hold(job: J) -> J:
    """Inside the job's write transaction: lock its row and check this attempt still holds it
    (else JobLost, which rolls the writes back). Returns the locked, fresh row."""
    locked = type(job)._default_manager.select_for_update(of=("self",)).get(pk=job.pk)
    if locked.status != JobStatus.RUNNING or locked.attempt != job.attempt:
        raise JobLost(job.pk)
    return locked


def finish(job: J, status: str = JobStatus.SUCCEEDED, **fields) -> J:
    """End a run that holds the job: `status` with `fields`, in one transaction."""
    with transaction.atomic():
        locked = hold(job)
        set_status(locked, status, finished_at=timezone.now(), heartbeat_at=timezone.now(), **fields)
    return locked


def fail(job: J, error: BilingualError, *, retryable: bool = False, held: bool = True,
                 acting_user=SWEEPER, **fields) -> J | None:
    """Mark the job failed with `error`'s two messages, and one audit row. `held`: only while
    this run's attempt holds it (a worker failing its own run); otherwise any queued or running
    job (the queue could not be reached, the sweeper). None when it was left as it was."""
    with transaction.atomic():
        try:
            locked = hold(job) if held else type(job)._default_manager.select_for_update(of=("self",)).get(
                pk=job.pk)
        except JobLost:
            return None
        if JobStatus.FAILED not in locked.TRANSITIONS[locked.status]:
            return None
        set_status(locked, JobStatus.FAILED, error_zh=error.message_zh, error_en=error.message_en,
                   retryable=retryable, finished_at=timezone.now(), **fields)
        record(acting_user, CoreVerb.JOB_FAILED, locked,
               summary=Bilingual(error.message_zh, error.message_en))
    return locked


def cancel(job: J, why: BilingualError, *, acting_user, verb: AuditVerb, unit=None) -> J:
    """Stop a queued or running job (CANCELLABLE): failed with `why` (who cancelled it, in
    both languages), no retry offered, and one audit row (`verb`, the job's app's, about
    `unit`, as `audit.record` takes it). A worker
    running it stops at its next heartbeat, and its write transaction's `hold` refuses, so
    nothing of it is written. A finished job raises InvalidTransition."""
    with transaction.atomic():
        locked = type(job)._default_manager.select_for_update(of=("self",)).get(pk=job.pk)
        if locked.status not in locked.CANCELLABLE:
            zh, en = _labels(locked)
            raise InvalidTransition(f"{zh} {locked.pk} 已结束，不能取消。",
                                    f"{en} {locked.pk} has finished: it cannot be cancelled.")
        set_status(locked, JobStatus.FAILED, error_zh=why.message_zh, error_en=why.message_en,
                   retryable=False, phase=CANCELLED_PHASE, finished_at=timezone.now())
        record(acting_user, verb, locked, summary=Bilingual(why.message_zh, why.message_en), unit=unit)
    return locked


def enqueue(job: Job) -> None:
    """Send the job's task once the current transaction commits (at once outside one)."""
    on_commit(partial(_send, type(job), job.pk))


def _send(model: type[Job], pk: int) -> None:
    # Marked before sending: the worker's claim overwrites it, never the other way round.
    model._default_manager.filter(pk=pk, status=JobStatus.QUEUED).update(heartbeat_at=timezone.now())
    try:
        import_string(model.job_task)(pk)
    except Exception as exc:
        logger.exception("could not enqueue %s %s", model._meta.label, pk)
        job = model._default_manager.get(pk=pk)
        zh, en = _labels(job)
        fail(job, BilingualError(
            f"无法把{zh}加入后台队列，什么都没有执行。请稍后重试。",
            f"The {en} could not be queued for the background worker "
            f"({type(exc).__name__}); nothing was done. Try again later.",
        ), retryable=True, held=False)


def _labels(job: Job) -> tuple[str, str]:
    """The job model's name in Chinese and in English, whatever language is active."""
    names = []
    for language in ("zh-hans", "en"):
        with translation.override(language):
            names.append(str(job._meta.verbose_name))
    return names[0], names[1]


def job_models() -> list[type[Job]]:
    return [model for model in apps.get_models() if issubclass(model, Job) and model.job_task]


def sweep() -> dict[str, int]:
    """Deal with jobs whose worker died: a running job silent for JOB_STALE_AFTER is requeued
    while it has attempts left (JOB_MAX_ATTEMPTS), else failed with a retry offered; a queued
    job sent that long ago and never taken is sent again (a claim makes duplicates harmless).
    Returns the counts."""
    counts = {"requeued": 0, "failed": 0, "resent": 0}
    cutoff = timezone.now() - stale_after()
    stale = Q(heartbeat_at__lt=cutoff) | Q(heartbeat_at__isnull=True)
    for model in job_models():
        running = model._default_manager.filter(Q(status=JobStatus.RUNNING) & stale)
        for pk in running.values_list("pk", flat=True):
            try:
                outcome = _sweep_one(model, pk, stale)
            except Exception:  # one stuck row (a lock held for long) must not stop the others
                logger.exception("could not sweep %s %s", model._meta.label, pk)
                continue
            if outcome:
                counts[outcome] += 1
        for job in model._default_manager.filter(status=JobStatus.QUEUED, heartbeat_at__lt=cutoff):
            enqueue(job)
            counts["resent"] += 1
    return counts


def _sweep_one(model: type[Job], pk: int, stale: Q) -> str:
    with transaction.atomic():
        job = model._default_manager.select_for_update(of=("self",)).filter(
            Q(pk=pk, status=JobStatus.RUNNING) & stale).first()
        if job is None:
            return ""  # it moved meanwhile
        zh, en = _labels(job)
        if job.attempt < settings.JOB_MAX_ATTEMPTS and job.requeueable():
            set_status(job, JobStatus.QUEUED, phase="", progress_done=0)
            record(SWEEPER, CoreVerb.JOB_REQUEUED, job, summary=phrase(
                gettext_noop("attempt %(attempt)s: its worker stopped"), attempt=job.attempt))
            enqueue(job)
            return "requeued"
        why = BilingualError(
            f"后台进程在运行此{zh}时停止了（第 {job.attempt} 次尝试），它写入的内容均未保留。可以重试。",
            f"The background worker stopped while running this {en} (attempt {job.attempt}); "
            "nothing it wrote was kept. You can retry.",
        )
        set_status(job, JobStatus.FAILED, error_zh=why.message_zh, error_en=why.message_en, retryable=True,
                   finished_at=timezone.now())
        record(SWEEPER, CoreVerb.JOB_FAILED, job, summary=Bilingual(why.message_zh, why.message_en))
        return "failed"


def pause_for_tests(point: str) -> None:
    """Tests only (settings.JOB_TEST_PAUSE, empty in production): a job reaching the named
    point announces it with the file VAR_DIR/job-paused and waits, so a test can kill its
    worker there (imports/tests/test_consumer_kill.py, org/tests/test_login_batch_kill.py)."""
    if settings.JOB_TEST_PAUSE == point:
        Path(settings.VAR_DIR, "job-paused").write_text(point)
        time.sleep(600)
