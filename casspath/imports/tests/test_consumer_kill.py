"""A real consumer killed with SIGKILL in the middle of an import's write transaction
(hole 1.5): nothing is half-written, and the run is taken over by the next consumer or
failed with a retry offered. Runs on the configured database (SQLite file or PostgreSQL)."""

import pytest
from django.urls import reverse

from casspath.core import jobs
from casspath.imports.actions import do_apply_import_run, do_create_import_run, do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tasks import enqueue
from casspath.imports.tests.helpers import csv_bytes, roster_rows
from casspath.org.models import Employee
from casspath.testing import build_world

pytestmark = pytest.mark.slow

NEW = ["E0003", "E0004"]  # the employees roster_rows() adds


def _dry_run_applied(world) -> tuple[ImportRun, ImportRun]:
    new = do_create_import_run("roster", "r.csv", csv_bytes(roster_rows()), acting_user=world.province_admin)
    dry = do_execute_import_run(new.pk)
    assert dry is not None
    assert dry.status == "succeeded" and dry.ok
    applied = do_apply_import_run(dry, acting_user=world.province_admin)
    enqueue(applied)
    return dry, applied


def _killed_mid_write(consumers, applied: ImportRun) -> None:
    first = consumers.start(pause="import.written")
    assert consumers.wait_until_paused(first) == "import.written"
    applied.refresh_from_db()
    assert (applied.status, applied.attempt) == ("running", 1)
    consumers.kill(first)
    applied.refresh_from_db()
    assert applied.status == "running"  # its worker is gone; nothing says so yet
    assert not Employee.objects.filter(employee_no__in=NEW).exists()  # the rows died with it


def _finished(run: ImportRun):
    def done() -> bool:
        run.refresh_from_db()
        return run.is_finished

    return done


def test_it_takes_over_an_apply_whose_consumer_was_killed_mid_write(consumers, settings):
    world = build_world()
    _, applied = _dry_run_applied(world)
    _killed_mid_write(consumers, applied)

    settings.JOB_STALE_AFTER = 0  # the heartbeat is stale at once
    assert jobs.sweep() == {"requeued": 1, "failed": 0, "resent": 0}
    applied.refresh_from_db()
    assert applied.status == "queued"
    second = consumers.start()
    consumers.wait_until(_finished(applied), second)
    assert (applied.status, applied.attempt) == ("succeeded", 2)
    assert applied.report is not None
    assert applied.report["created"] == 2 and applied.report["applied"]
    assert Employee.objects.filter(employee_no__in=NEW).count() == 2


def test_it_fails_a_killed_apply_with_a_retry_offered_and_applies_the_dry_run_again(
        consumers, settings, client):
    world = build_world()
    dry, applied = _dry_run_applied(world)
    _killed_mid_write(consumers, applied)

    settings.JOB_STALE_AFTER, settings.JOB_MAX_ATTEMPTS = 0, 1
    assert jobs.sweep() == {"requeued": 0, "failed": 1, "resent": 0}
    applied.refresh_from_db()
    assert (applied.status, applied.retryable) == ("failed", True)
    client.force_login(world.province_admin)
    page = client.get(reverse("imports:run", args=[applied.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "The background worker stopped" in page and reverse("imports:retry", args=[applied.pk]) in page
    dry_page = client.get(reverse("imports:run", args=[dry.pk])).content.decode()
    assert reverse("imports:apply", args=[dry.pk]) in dry_page  # the failed apply blocks nothing

    response = client.post(reverse("imports:apply", args=[dry.pk]))
    again = ImportRun.objects.get(source_run=dry, status__in=["queued", "running", "succeeded"])
    assert response["Location"] == reverse("imports:run", args=[again.pk]) and again.pk != applied.pk
    second = consumers.start()
    consumers.wait_until(_finished(again), second)
    assert again.status == "succeeded"
    assert Employee.objects.filter(employee_no__in=NEW).count() == 2
    assert do_apply_import_run(dry, acting_user=world.province_admin) == again  # idempotent again
