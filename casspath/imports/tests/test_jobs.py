"""The job machinery (casspath.core.jobs) as import runs and login batches use it: claim,
take-over, heartbeat, sweeper, enqueue on commit, retry, and what the pages say."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from casspath.competency.errors import InvalidTransition as CompetencyInvalidTransition
from casspath.core import jobs
from casspath.core.errors import InvalidTransition
from casspath.core.models import AuditEvent
from casspath.imports.actions import (
    do_apply_import_run,
    do_create_import_run,
    do_execute_import_run,
    do_retry_import_run,
)
from casspath.imports.errors import ImportFileError
from casspath.imports.models import ImportRun
from casspath.imports.tasks import enqueue
from casspath.imports.tests.helpers import csv_bytes, roster_rows
from casspath.org.actions.logins import do_queue_issue_logins
from casspath.org.models import Employee, LoginBatch

NEW = ["E0003", "E0004"]


def _run(world, *, dry_run=False) -> ImportRun:
    return do_create_import_run("roster", "r.csv", csv_bytes(roster_rows()), dry_run=dry_run,
                                acting_user=world.province_admin)


def _long_ago(job, **fields) -> None:
    type(job).objects.filter(pk=job.pk).update(heartbeat_at=timezone.now() - timedelta(hours=1), **fields)


def test_it_claims_a_queued_job_once_and_takes_over_only_a_stale_one(world):
    run = _run(world)
    claimed = jobs.claim(ImportRun, run.pk)
    assert claimed is not None
    assert (claimed.status, claimed.attempt) == ("running", 1) and claimed.heartbeat_at
    assert jobs.claim(ImportRun, run.pk) is None  # its worker lives
    _long_ago(run)
    taken = jobs.claim(ImportRun, run.pk)
    assert taken is not None
    assert (taken.status, taken.attempt) == ("running", 2)
    with pytest.raises(jobs.JobLost):
        jobs.heartbeat(claimed, done=1)  # the first worker, back from the dead, writes nothing
    jobs.heartbeat(taken, phase="validating", done=1, total=2)
    run.refresh_from_db()
    assert (run.phase, run.progress_done, run.progress_total) == ("validating", 1, 2)


def test_it_writes_no_row_when_the_run_was_taken_over_before_it_committed(world):
    run = _run(world)

    def taken_over(phase, done, total):
        if phase == "writing":
            ImportRun.objects.filter(pk=run.pk).update(attempt=5)

    assert do_execute_import_run(run.pk, progress=taken_over) is None
    run.refresh_from_db()
    assert (run.status, run.report) == ("running", None)
    assert not Employee.objects.filter(employee_no__in=NEW).exists()


def test_it_records_the_rows_and_the_success_in_one_transaction(world):
    run = do_execute_import_run(_run(world).pk)
    assert run is not None and run.report is not None
    assert (run.status, run.attempt, run.report["applied"]) == ("succeeded", 1, True)
    assert Employee.objects.filter(employee_no__in=NEW).count() == 2


def test_it_requeues_a_job_whose_worker_died_and_the_queue_runs_it(world, settings):
    run = _run(world)
    jobs.claim(ImportRun, run.pk)
    _long_ago(run)
    assert jobs.sweep() == {"requeued": 1, "failed": 0, "resent": 0}
    run.refresh_from_db()  # tests run the queue at once
    assert (run.status, run.attempt) == ("succeeded", 2)
    assert AuditEvent.objects.filter(verb="job.requeued", object_id=str(run.pk)).exists()


def test_it_fails_a_job_out_of_attempts_with_a_retry_offered(world, settings, client):
    settings.JOB_MAX_ATTEMPTS = 2
    run = _run(world)
    _long_ago(run, status="running", attempt=2)
    assert jobs.sweep() == {"requeued": 0, "failed": 1, "resent": 0}
    run.refresh_from_db()
    assert (run.status, run.retryable) == ("failed", True) and run.finished_at
    assert "第 2 次尝试" in run.error_zh and "attempt 2" in run.error_en and "import run" in run.error_en
    assert AuditEvent.objects.filter(verb="job.failed", object_id=str(run.pk)).exists()
    client.force_login(world.province_admin)
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert "后台进程在运行此导入记录时停止了" in page and reverse("imports:retry", args=[run.pk]) in page
    response = client.post(reverse("imports:retry", args=[run.pk]))
    again = ImportRun.objects.exclude(pk=run.pk).get()
    assert response["Location"] == reverse("imports:run", args=[again.pk])
    assert again.status == "succeeded" and Employee.objects.filter(employee_no__in=NEW).count() == 2


def test_it_leaves_live_jobs_and_resends_a_queued_one_never_taken(world):
    live = _run(world)
    jobs.claim(ImportRun, live.pk)
    lost = _run(world)
    _long_ago(lost)  # sent an hour ago; the message was lost
    assert jobs.sweep() == {"requeued": 0, "failed": 0, "resent": 1}
    live.refresh_from_db()
    lost.refresh_from_db()
    assert (live.status, live.attempt) == ("running", 1)
    assert (lost.status, lost.attempt) == ("succeeded", 1)


def test_it_fails_a_stale_command_line_batch_instead_of_handing_it_to_a_worker(world):
    from casspath.core.actors import SystemActor

    batch = do_queue_issue_logins(world.city_a, acting_user=SystemActor("cli:root"), written_by_cli=True)
    _long_ago(batch, status="running", attempt=1)
    assert jobs.sweep()["failed"] == 1
    batch.refresh_from_db()
    assert (batch.status, batch.retryable) == ("failed", True) and "login batch" in batch.error_en


def test_it_shows_a_login_batch_the_sweeper_failed_with_the_way_to_issue_again(world, settings, client):
    settings.JOB_MAX_ATTEMPTS = 1
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    _long_ago(batch, status="running", attempt=1)
    jobs.sweep()
    client.force_login(world.city_admin_a)
    page = client.get(reverse("org:login_batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The background worker stopped while running this login batch" in page
    assert reverse("org:issue_logins", args=["GZ"]) in page


def test_it_tells_the_page_that_a_run_was_taken_over(world, client):
    run = _run(world)
    jobs.claim(ImportRun, run.pk)
    _long_ago(run)
    jobs.claim(ImportRun, run.pk)
    client.force_login(world.province_admin)
    url = reverse("imports:run_status", args=[run.pk])
    page = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Attempt 2: an earlier background worker stopped" in page and "hx-get" in page


def test_it_sends_the_task_only_once_the_transaction_commits(
        world, monkeypatch, django_capture_on_commit_callbacks):
    monkeypatch.setattr(jobs, "on_commit", transaction.on_commit)  # the real one, not the tests' shortcut
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        with transaction.atomic():
            run = _run(world)
            enqueue(run)
            run.refresh_from_db()
            assert run.status == "queued" and run.heartbeat_at is None  # nothing sent yet
    assert len(callbacks) == 1
    run.refresh_from_db()
    assert run.status == "succeeded"


def test_it_fails_the_run_visibly_when_the_queue_cannot_be_reached(world, monkeypatch, client):
    def unreachable(run_id):
        raise ConnectionError("redis is down")

    monkeypatch.setattr("casspath.imports.tasks.run_import_task", unreachable)
    run = _run(world)
    enqueue(run)
    run.refresh_from_db()
    assert (run.status, run.retryable) == ("failed", True)
    assert "后台队列" in run.error_zh and "could not be queued" in run.error_en
    assert "ConnectionError" in run.error_en
    client.force_login(world.province_admin)
    page = client.get(reverse("imports:run", args=[run.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "could not be queued" in page and reverse("imports:retry", args=[run.pk]) in page


def test_it_applies_the_dry_run_again_after_its_apply_failed(world):
    dry = do_execute_import_run(_run(world, dry_run=True).pk)
    assert dry is not None
    first = do_apply_import_run(dry, acting_user=world.province_admin)
    assert do_apply_import_run(dry, acting_user=world.province_admin) == first  # idempotent while live
    jobs.fail(first, ImportFileError("中断", "interrupted"), retryable=True, held=False)
    second = do_apply_import_run(dry, acting_user=world.province_admin)
    assert second != first and second.status == "queued"
    assert do_retry_import_run(first, acting_user=world.province_admin) == second  # the live one


def test_it_refuses_to_retry_a_run_that_failed_on_its_file(world):
    created = do_create_import_run("roster", "r.csv", b"\x00\x01 not a roster", dry_run=False,
                                   acting_user=world.province_admin)
    run = do_execute_import_run(created.pk)
    assert run is not None
    assert (run.status, run.retryable) == ("failed", False) and run.error_en
    with pytest.raises(ImportFileError) as refused:
        do_retry_import_run(run, acting_user=world.province_admin)
    assert "cannot be retried" in refused.value.message_en and "不能重试" in refused.value.message_zh


def test_it_moves_status_only_along_the_declared_transitions(world):
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    with pytest.raises(InvalidTransition) as refused:
        jobs.set_status(batch, LoginBatch.Status.SUCCEEDED)
    assert "账号开通批次" in refused.value.message_zh and "login batch" in refused.value.message_en
    assert issubclass(CompetencyInvalidTransition, InvalidTransition)
