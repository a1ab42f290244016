"""Single edits of employees and units take the roster import's lock (imports/locks.py) over
the units they touch: while an import of a scope containing them writes, an edit waits for
it (and, past IMPORT_LOCK_WAIT_SECONDS_REQUEST, is refused in both languages, writing
nothing); so an import never overwrites, or writes past, a transfer made while it ran. The
org-unit import shares the roster's key space, so the two kinds wait for each other too."""

import pytest
from django.db import connection

from casspath.imports import locks, registry
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.tests.helpers import csv_bytes
from casspath.imports.tests.helpers import roster_csv as roster
from casspath.org.actions.employees import do_update_employee
from casspath.org.actions.units import do_update_unit
from casspath.org.models import Employee
from casspath.testing import PausedImport, build_world, in_thread, waits_for_the_lock_or_ends

postgresql_only = pytest.mark.skipif(connection.vendor == "sqlite",
                                     reason="concurrent writers need PostgreSQL")


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
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0001", "王经理", "GZ-TH-01")),
                          options={"deactivate_missing": True})
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
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0002", "赵同事改名", "GZ-TH")))
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
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0300", "广州新人", "GZ-TH-01")))
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
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0002", "赵同事改名", "GZ-TH-01")))
    shenzhen = Employee.objects.filter(org_unit=world.team_b).first()
    assert shenzhen is not None
    changes = do_update_employee(shenzhen, {"name": "深圳改名"}, acting_user=world.city_admin_b)
    assert paused.finish().status == "succeeded"
    assert changes == {"name": [changes["name"][0], "深圳改名"]}


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_an_org_unit_import_waits_for_a_roster_import(monkeypatch, settings):
    world = build_world()
    paused = PausedImport(monkeypatch, world.city_admin_a, roster(("E0002", "赵同事改名", "GZ-TH-01")))
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS": 0}
    units = csv_bytes([["单位编码", "单位名称", "上级单位编码", "类型"],
                       ["GZ-TH-09", "新团队", "GZ-TH", "team"]])
    run = do_create_import_run("org", "units.csv", units, dry_run=False, acting_user=world.province_admin)
    do_execute_import_run(run.pk)
    run.refresh_from_db()
    assert paused.finish().status == "succeeded"
    assert run.status == "failed" and run.report is not None
    assert "Another import of these units is writing" in run.report["file_error"]["message_en"]
