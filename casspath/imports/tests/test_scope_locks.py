"""The import lock is per scope (imports/locks.py): two cities import side by side, the
province's import and a city's below it take turns, and a new 工号 that two cities create
at the same moment is one city's row error, never a raw unique-constraint failure."""

import json
import threading

import pytest
from django.db import connection

from casspath.imports import locks
from casspath.imports.actions import do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import roster_csv as roster
from casspath.org.importers.roster import RosterImporter
from casspath.org.models import Employee
from casspath.testing import LOCK_DEADLINE, PausedImport, build_world, eventually, in_thread
from casspath.testing import queued_roster as queued

postgresql_only = pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="SQLite admits one writer at a time: imports of every scope take turns there",
)

TWO_NEW = roster(("E0300", "广州新人", "GZ-TH-01"), ("E0301", "又一新人", "GZ-TH-01"))


def test_it_locks_a_city_exclusively_beneath_shared_locks_of_its_ancestors():
    city = locks.lock_keys("roster", [[1, 2]])
    other_city = locks.lock_keys("roster", [[1, 3]])
    province = locks.lock_keys("roster", [[1]])
    everything = locks.lock_keys("roster", None)

    def conflict(one, other) -> bool:
        mine, theirs = dict(one), dict(other)
        return any(mine[key] or theirs[key] for key in mine.keys() & theirs.keys())

    assert not conflict(city, other_city)
    assert conflict(city, province) and conflict(other_city, province)
    assert conflict(city, everything) and conflict(province, everything)
    assert conflict(city, city)
    assert [key for key, _ in city] == sorted(key for key, _ in city)  # one order in every process
    assert not conflict(city, locks.lock_keys("org", [[1, 2]]))  # kinds never wait for each other


def test_it_an_unrestricted_actor_and_the_org_unit_import_lock_the_whole_tree(world):
    from casspath.core.actors import SystemActor
    from casspath.imports import registry
    from casspath.imports.framework import RunContext

    roster_importer, units = registry.get("roster"), registry.get("org")
    cli = SystemActor(label="cli:root")
    assert roster_importer.lock_units(RunContext(acting_user=cli, importer=roster_importer)) is None
    city = roster_importer.lock_units(RunContext(acting_user=world.city_admin_a, importer=roster_importer))
    assert city == [[world.province.pk, world.city_a.pk]]
    assert units.lock_units(RunContext(acting_user=world.city_admin_a, importer=units)) is None


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_imports_two_cities_side_by_side(monkeypatch):
    world = build_world()
    shenzhen = queued(world.city_admin_b, roster(("E0301", "深圳新人", "SZ-NS-01")))
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))

    # Guangzhou holds its lock (paused in its plan): Shenzhen's import does not wait for it.
    do_execute_import_run(shenzhen.pk)
    still_running = ImportRun.objects.get(pk=paused.run.pk).status == "running"
    guangzhou = paused.finish()

    assert still_running
    shenzhen.refresh_from_db()
    assert (guangzhou.status, shenzhen.status) == ("succeeded", "succeeded")
    assert shenzhen.finished_at and guangzhou.finished_at and shenzhen.finished_at < guangzhou.finished_at
    assert Employee.objects.filter(employee_no__in=["E0300", "E0301"]).count() == 2


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_the_employee_batch_of_another_city_does_not_wait_for_a_city_import(monkeypatch, client):
    world = build_world()
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))

    client.force_login(world.city_admin_b)
    response = client.post("/api/v1/org/employees:batch", content_type="application/json", data=json.dumps(
        {"employees": [{"employee_no": "E0302", "name": "深圳批量", "org_unit": "SZ-NS-01",
                        "hire_date": "2023-01-01"}]}))
    still_running = ImportRun.objects.get(pk=paused.run.pk).status == "running"
    paused.finish()

    assert response.status_code == 200, response.content
    assert response.json()["created"] == 1
    assert still_running


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_a_province_import_waits_for_the_city_import_below_it_and_sees_its_rows(monkeypatch):
    world = build_world()
    province = queued(world.province_admin, roster(("E0300", "广州新人", "GZ-TH-01")))
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))
    second = in_thread(do_execute_import_run, province.pk)

    # The province's run says it waits, and so keeps its heartbeat (a second connection
    # commits it while the run's own transaction waits for the lock).
    waited = eventually(lambda: _phase(province) == "waiting")
    city = paused.finish()
    second.join()

    assert waited
    province.refresh_from_db()
    assert (city.status, province.status) == ("succeeded", "succeeded")
    assert city.finished_at and province.finished_at and city.finished_at < province.finished_at
    assert province.report is not None
    assert (province.report["created"], province.report["unchanged"]) == (0, 1)


@postgresql_only
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("other_spelling", ["E0300", "e0300"])
def test_it_a_new_number_two_cities_create_at_once_is_one_citys_row_error(monkeypatch, other_spelling):
    world = build_world()
    guangzhou = queued(world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))
    shenzhen = queued(world.city_admin_b, roster((other_spelling, "深圳新人", "SZ-NS-01")))
    # Both plan "create" before either writes: they meet here (side by side, 1 s at most).
    meeting = threading.Barrier(2)
    met: list[bool] = []
    plan = RosterImporter.plan

    def plan_when_both_are_here(self, ctx, table, report):
        if not ctx.dry_run:
            try:
                meeting.wait(timeout=LOCK_DEADLINE)
                met.append(True)
            except threading.BrokenBarrierError:
                met.append(False)
        return plan(self, ctx, table, report)

    monkeypatch.setattr(RosterImporter, "plan", plan_when_both_are_here)
    threads = [in_thread(do_execute_import_run, run.pk) for run in (guangzhou, shenzhen)]
    for thread in threads:
        thread.join()

    assert met == [True, True]
    runs = {run.pk: run for run in ImportRun.objects.filter(pk__in=[guangzhou.pk, shenzhen.pk])}
    statuses = sorted(run.status for run in runs.values())
    assert statuses == ["failed", "succeeded"], [run.report for run in runs.values()]
    loser = next(run for run in runs.values() if run.status == "failed")
    assert loser.report is not None and loser.report["file_error"] is None
    [error] = loser.report["errors"]
    assert error["row"] == 2 and error["column"] == "工号"
    assert error["reason_en"].startswith("Employee number already used")
    assert error["reason_zh"].startswith("工号已被使用")
    assert Employee.objects.filter(employee_no__iexact="E0300").count() == 1


@pytest.mark.django_db
@pytest.mark.parametrize("spelling", ["E0301", "e0301"])
def test_it_a_new_number_created_after_the_check_is_a_row_error_and_nothing_is_written(
        world, monkeypatch, spelling):
    # Between this import's check and its write, someone else creates E0301 (here: inside
    # the plan, which stands for another city's import committing meanwhile).
    plan = RosterImporter.plan

    def someone_creates_it_meanwhile(self, ctx, table, report):
        planned = plan(self, ctx, table, report)
        if not ctx.dry_run:
            Employee.objects.create(employee_no=spelling, name="别处新人", org_unit=world.team_b,
                                    hire_date="2023-01-01")
        return planned

    monkeypatch.setattr(RosterImporter, "plan", someone_creates_it_meanwhile)
    run = queued(world.city_admin_a, TWO_NEW)
    do_execute_import_run(run.pk)
    run.refresh_from_db()

    assert run.status == "failed" and run.report is not None and run.report["file_error"] is None
    assert [(e["row"], e["value"]) for e in run.report["errors"]] == [(3, "E0301")]
    assert "already used" in run.report["errors"][0]["reason_en"]
    assert not run.report["applied"]
    assert not Employee.objects.filter(employee_no__in=["E0300", "E0301", "e0301"]).exists()


def _phase(run: ImportRun) -> str:
    run.refresh_from_db()
    return run.phase


@pytest.mark.django_db
def test_it_a_number_a_writer_without_the_lock_takes_at_the_last_moment_is_a_row_error(world, monkeypatch):
    # One employee created on a page takes no import lock: his number may appear after the
    # import's last check, and the database's unique key refuses the insert.
    from casspath.org.importers import roster as roster_module

    real = roster_module._refuse_numbers_taken_meanwhile
    calls: list[int] = []

    def created_right_after_the_check(plan):
        calls.append(1)
        if len(calls) == 1:
            real(plan)
            Employee.objects.create(employee_no="E0301", name="页面新人", org_unit=world.team_b,
                                    hire_date="2023-01-01")
            return
        real(plan)

    monkeypatch.setattr(roster_module, "_refuse_numbers_taken_meanwhile", created_right_after_the_check)
    run = queued(world.city_admin_a, TWO_NEW)
    do_execute_import_run(run.pk)
    run.refresh_from_db()

    assert run.status == "failed" and run.report is not None and run.report["file_error"] is None
    assert [(e["row"], e["value"]) for e in run.report["errors"]] == [(3, "E0301")]
    assert not Employee.objects.filter(employee_no__in=["E0300", "E0301"]).exists()
