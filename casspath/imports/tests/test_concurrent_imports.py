"""Two imports of the same file at once: the second waits for the first and finds its rows."""

import threading

import pytest
from django.db import connection

from casspath.imports import registry
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.framework import TabularImporter
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import csv_bytes, roster_rows
from casspath.org.models import Employee


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database shares one cache between threads, where a second "
    "writer fails at once ('table is locked') instead of waiting as on the site's file database",
)
@pytest.mark.django_db(transaction=True)
def test_it_two_imports_of_the_same_file_at_once_write_it_once(monkeypatch):
    from casspath.testing import build_world

    world = build_world()
    data = csv_bytes(roster_rows())
    runs = [
        do_create_import_run("roster", "roster.csv", data, dry_run=False, acting_user=world.city_admin_a)
        for _ in range(2)
    ]
    importer = registry.get("roster")
    assert isinstance(importer, TabularImporter)  # the roster is read as one table
    plan = type(importer).plan
    # Each import waits here for the other (1 s at most): unserialised, both plan "create".
    meeting = threading.Barrier(2)

    def plan_when_both_are_here(self, ctx, table, report):
        try:
            meeting.wait(timeout=1)
        except threading.BrokenBarrierError:
            pass
        return plan(self, ctx, table, report)

    monkeypatch.setattr(type(importer), "plan", plan_when_both_are_here)

    def execute(run_id):
        try:
            do_execute_import_run(run_id)
        finally:
            connection.close()

    threads = [threading.Thread(target=execute, args=(run.pk,)) for run in runs]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # A run left without a report fails the next line (fewer than two reports).
    reports = [run.report for run in ImportRun.objects.order_by("finished_at") if run.report is not None]
    assert [report["ok"] for report in reports] == [True, True], reports
    assert reports[0]["created"] == 2 and reports[1]["created"] == 0 and reports[1]["unchanged"] == 2
    assert Employee.objects.filter(employee_no__in=["E0003", "E0004"]).count() == 2


@pytest.mark.django_db
def test_it_an_import_still_running_makes_the_next_fail_in_both_languages(world, settings, monkeypatch):
    from django.db import OperationalError

    from casspath.imports import locks

    def locked(*args):
        raise OperationalError("database is locked")

    monkeypatch.setattr(locks, "_acquire", locked)
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS": 0}
    run = do_create_import_run(
        "roster", "roster.csv", csv_bytes(roster_rows()), dry_run=False, acting_user=world.city_admin_a
    )
    do_execute_import_run(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.report is not None
    assert "Another import of these units is writing" in run.report["file_error"]["message_en"]
    assert "另一个导入正在写入" in run.report["file_error"]["message_zh"]
    assert not Employee.objects.filter(employee_no="E0003").exists()


@pytest.mark.django_db
def test_it_the_actors_scope_is_read_again_inside_the_write_transaction(world, monkeypatch):
    from casspath.imports import framework
    from casspath.org.models import RoleAssignment

    real = framework.run_locked

    def roles_change_just_before(kind, work, **options):
        # The worker checked the permission already; the admin is moved before the write.
        RoleAssignment.objects.filter(user=world.city_admin_a).update(org_unit=world.city_b)
        return real(kind, work, **options)

    monkeypatch.setattr(framework, "run_locked", roles_change_just_before)
    run = do_create_import_run(
        "roster", "roster.csv", csv_bytes(roster_rows()), dry_run=False, acting_user=world.city_admin_a
    )
    do_execute_import_run(run.pk)
    run.refresh_from_db()
    assert run.status == "failed" and run.report is not None and run.report["errors"]
    assert {error["row"] for error in run.report["errors"]} == {2, 3}
    assert all("scope" in error["reason_en"] for error in run.report["errors"])
    assert not Employee.objects.filter(employee_no__in=["E0003", "E0004"]).exists()
