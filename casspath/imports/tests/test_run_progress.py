"""A real import's progress is committed while it runs (imports/locks.py, core/jobs.py): the
file is parsed outside the write transaction, the phases under the lock are written on a
second connection (PostgreSQL), and a run waiting for the lock keeps its heartbeat."""


import pytest
from django.db import connection
from django.urls import reverse

from casspath.imports import locks
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tasks import enqueue
from casspath.imports.tests.helpers import roster_csv as roster
from casspath.org.models import Employee
from casspath.testing import PausedImport, build_world, eventually, in_thread
from casspath.testing import queued_roster as queued

postgresql = connection.vendor == "postgresql"


@pytest.mark.django_db(transaction=True)
def test_it_a_real_runs_progress_is_seen_while_it_plans_under_the_lock(monkeypatch):
    world = build_world()
    paused = PausedImport(monkeypatch, world.city_admin_a,
                          roster(("E0300", "广州新人", "GZ-TH-01"), ("E0301", "又一新人", "GZ-TH-01")))

    run = ImportRun.objects.get(pk=paused.run.pk)  # another connection: what the run page would show now
    seen = (run.status, run.phase, run.progress_total)
    run = paused.finish()

    # The rows were counted outside the transaction; on PostgreSQL the phase under the lock
    # is committed beside it (SQLite admits one writer, the run, so it shows the last phase
    # before the lock).
    assert seen == ("running", "planning" if postgresql else "validating", 2)
    assert run.status == "succeeded"


@pytest.mark.skipif(not postgresql, reason="SQLite admits one writer: a waiting run cannot write")
@pytest.mark.django_db(transaction=True)
def test_it_a_run_waiting_for_the_lock_keeps_its_heartbeat_fresh(monkeypatch):
    monkeypatch.setattr(locks, "WAIT_SLICE_SECONDS", 0.05, raising=False)
    monkeypatch.setattr(locks, "WAITING_EVERY_SECONDS", 0.05, raising=False)
    world = build_world()
    second = queued(world.city_admin_a, roster(("E0301", "又一新人", "GZ-TH-01")))
    holder = PausedImport(monkeypatch, world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))
    waiter = in_thread(do_execute_import_run, second.pk)

    beats: list = []

    def beat_twice_while_waiting() -> bool:
        second.refresh_from_db()
        if second.phase == "waiting" and second.heartbeat_at not in beats:
            beats.append(second.heartbeat_at)
        return len(beats) >= 3

    fresh = eventually(beat_twice_while_waiting, every=0.02)
    holder.finish()
    waiter.join()

    assert fresh, beats
    second.refresh_from_db()
    assert second.status == "succeeded" and second.attempt == 1  # never taken for a dead worker
    assert Employee.objects.filter(employee_no__in=["E0300", "E0301"]).count() == 2


def test_it_the_run_page_names_the_phase_in_both_languages(world, client):
    run = queued(world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))
    ImportRun.objects.filter(pk=run.pk).update(status="running", phase="waiting")
    client.force_login(world.city_admin_a)
    url = reverse("imports:run_status", args=[run.pk])
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    chinese = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "Waiting for another import of the same units to finish" in english
    assert "正在等待同一范围内的另一个导入完成" in chinese

    ImportRun.objects.filter(pk=run.pk).update(phase="writing", progress_done=5000, progress_total=20000)
    english = client.get(url, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Writing" in english and "5000 / 20000" in english


@pytest.mark.slow
def test_it_a_consumer_under_the_lock_has_committed_the_runs_progress(consumers):
    world = build_world()
    rows = [(f"E{n:05d}", "新人", "GZ-TH-01") for n in range(3000, 3400)]
    run = do_create_import_run("roster", "big.csv", roster(*rows), dry_run=False,
                               acting_user=world.city_admin_a)
    enqueue(run)
    consumer = consumers.start(pause="import.locked")
    assert consumers.wait_until_paused(consumer) == "import.locked"

    run.refresh_from_db()  # this process: what the run page would show now
    seen = (run.status, run.phase, run.progress_total)
    consumers.kill(consumer)

    assert seen == ("running", "planning" if postgresql else "validating", len(rows))
    assert not Employee.objects.filter(employee_no="E03000").exists()
