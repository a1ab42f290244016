"""Single edits of employees and units take the roster import's lock (imports/locks.py) over
the units they touch: while an import of a scope containing them writes, an edit waits for
it (and, past IMPORT_LOCK_WAIT_SECONDS_REQUEST, is refused in both languages, writing
nothing); so an import never overwrites, or writes past, a transfer made while it ran. The
org-unit import shares the roster's key space, so the two kinds wait for each other too."""

import threading
import time

import pytest
from django.db import connection

from casspath.imports import locks, registry
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.actions.employees import do_update_employee
from casspath.org.actions.units import do_update_unit
from casspath.org.importers.roster import RosterImporter
from casspath.org.models import Employee
from casspath.testing import build_world

# Bounds every wait of these tests (a thread that never arrives), never asserted on.
DEADLINE = 30

postgresql_only = pytest.mark.skipif(connection.vendor == "sqlite",
                                     reason="concurrent writers need PostgreSQL")


def roster(*rows):
    return csv_bytes([ROSTER_HEADERS_ZH] + [[no, name, "", "", unit, "客户经理", "2023-05-06", "初级", "在职"]
                                           for no, name, unit in rows])


def in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


class PausedImport:
    """A Guangzhou roster import stopped in its plan, under the lock, until `finish()`."""

    def __init__(self, monkeypatch, world, data, options=None):
        self.run = do_create_import_run("roster", "r.csv", data, dry_run=False, options=options,
                                        acting_user=world.city_admin_a)
        arrived, self.release = threading.Event(), threading.Event()
        plan = RosterImporter.plan

        def paused(importer, ctx, table, report):
            if not ctx.dry_run and ctx.filename == "r.csv":
                arrived.set()
                self.release.wait(timeout=DEADLINE)
            return plan(importer, ctx, table, report)

        monkeypatch.setattr(RosterImporter, "plan", paused)
        self.thread = in_thread(lambda: do_execute_import_run(self.run.pk))
        assert arrived.wait(timeout=DEADLINE)

    def finish(self):
        self.release.set()
        self.thread.join()
        self.run.refresh_from_db()
        return self.run


def waits_for_the_lock_or_ends(thread: threading.Thread) -> None:
    """Until `thread` waits for an advisory lock (PostgreSQL lists it, not granted) or has
    ended (a writer that takes no lock): bounded by DEADLINE, never asserted on."""
    end = time.monotonic() + DEADLINE
    while thread.is_alive() and time.monotonic() < end:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            if cursor.fetchone()[0]:
                return
        time.sleep(0.05)


def no_wait(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS_REQUEST": 0}


def test_it_shares_the_roster_key_space_with_the_org_unit_import():
    roster_importer, units = registry.get("roster"), registry.get("org")
    assert roster_importer.lock_space == units.lock_space == locks.ORG_TREE


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_refuses_a_transfer_while_an_import_deactivating_missing_people_writes(monkeypatch, settings):
    world = build_world()
    no_wait(settings)
    paused = PausedImport(monkeypatch, world, roster(("E0001", "王经理", "GZ-TH-01")),
                          {"deactivate_missing": True})
    with pytest.raises(locks.LockBusy) as refused:
        do_update_employee(Employee.objects.get(employee_no="E0002"), {"org_unit": world.team_b},
                           acting_user=world.province_admin)
    run = paused.finish()
    assert "另一个导入正在写入这些单位的数据" in refused.value.message_zh
    assert "Another import of these units is writing" in refused.value.message_en
    assert run.status == "succeeded"
    # He was Guangzhou's when the import marked him left; the transfer wrote nothing.
    left = Employee.objects.get(employee_no="E0002")
    assert (left.org_unit_id, left.status) == (world.team_a.pk, Employee.Status.LEFT)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_applies_a_transfer_after_the_import_it_waited_for(monkeypatch):
    world = build_world()
    paused = PausedImport(monkeypatch, world, roster(("E0002", "赵同事改名", "GZ-TH")))
    colleague = Employee.objects.get(employee_no="E0002")
    transfer = in_thread(lambda: do_update_employee(colleague, {"org_unit": world.team_b},
                                                    acting_user=world.province_admin))
    waits_for_the_lock_or_ends(transfer)
    run = paused.finish()
    transfer.join()
    assert run.status == "succeeded"
    # The import wrote first (renamed, moved to GZ-TH), the transfer after it: nothing undone.
    moved = Employee.objects.get(employee_no="E0002")
    assert (moved.org_unit_id, moved.name) == (world.team_b.pk, "赵同事改名")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_refuses_moving_a_district_while_an_import_of_its_city_writes(monkeypatch, settings):
    world = build_world()
    no_wait(settings)
    paused = PausedImport(monkeypatch, world, roster(("E0300", "广州新人", "GZ-TH-01")))
    with pytest.raises(locks.LockBusy):
        do_update_unit(world.district_a, {"name": world.district_a.name, "kind": world.district_a.kind,
                                          "parent": world.city_b}, acting_user=world.province_admin)
    run = paused.finish()
    assert run.status == "succeeded"
    world.district_a.refresh_from_db()
    assert world.district_a.parent_id == world.city_a.pk
    assert Employee.objects.get(employee_no="E0300").org_unit_id == world.team_a.pk


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_edits_another_citys_employee_while_a_city_imports(monkeypatch, settings):
    world = build_world()
    no_wait(settings)
    paused = PausedImport(monkeypatch, world, roster(("E0002", "赵同事改名", "GZ-TH-01")))
    shenzhen = Employee.objects.filter(org_unit=world.team_b).first()
    assert shenzhen is not None
    changes = do_update_employee(shenzhen, {"name": "深圳改名"}, acting_user=world.city_admin_b)
    assert paused.finish().status == "succeeded"
    assert changes == {"name": [changes["name"][0], "深圳改名"]}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_an_org_unit_import_waits_for_a_roster_import(monkeypatch, settings):
    world = build_world()
    paused = PausedImport(monkeypatch, world, roster(("E0002", "赵同事改名", "GZ-TH-01")))
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS": 0}
    units = csv_bytes([["单位编码", "单位名称", "上级单位编码", "类型"],
                       ["GZ-TH-09", "新团队", "GZ-TH", "team"]])
    run = do_create_import_run("org", "units.csv", units, dry_run=False, acting_user=world.province_admin)
    do_execute_import_run(run.pk)
    run.refresh_from_db()
    assert paused.finish().status == "succeeded"
    assert run.status == "failed" and run.report is not None
    assert "Another import of these units is writing" in run.report["file_error"]["message_en"]
