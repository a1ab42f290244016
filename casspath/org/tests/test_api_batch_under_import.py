"""`employees:batch` (and the single PUT) while a roster import of the same units writes: a
field an item leaves out is left as the import wrote it (judged under the lock, not filled
from a read made before it), and a request waits IMPORT_LOCK_WAIT_SECONDS_REQUEST at most,
then answers 409 in both languages, writing nothing (web workers are not held for minutes)."""

import json
import threading
import time

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.importers.roster import RosterImporter
from casspath.org.models import Employee
from casspath.testing import build_world

DEADLINE = 30  # bounds every wait (a thread that never arrives), never asserted on

postgresql_only = pytest.mark.skipif(connection.vendor == "sqlite",
                                     reason="concurrent writers need PostgreSQL")

NEW_PHONE = csv_bytes([ROSTER_HEADERS_ZH, ["E0002", "赵同事", "13800009999", "", "GZ-TH-01", "客户经理",
                                           "2023-05-06", "初级", "在职"]])


def in_thread(target) -> threading.Thread:
    def run():
        try:
            target()
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def pause_import(monkeypatch, world):
    """Guangzhou's roster import, stopped in its plan under the lock: (run, release, thread)."""
    run = do_create_import_run("roster", "r.csv", NEW_PHONE, dry_run=False, acting_user=world.city_admin_a)
    arrived, release = threading.Event(), threading.Event()
    plan = RosterImporter.plan

    def paused(self, ctx, table, report):
        if ctx.filename == "r.csv":
            arrived.set()
            release.wait(timeout=DEADLINE)
        return plan(self, ctx, table, report)

    monkeypatch.setattr(RosterImporter, "plan", paused)
    thread = in_thread(lambda: do_execute_import_run(run.pk))
    assert arrived.wait(timeout=DEADLINE)
    return run, release, thread


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


def caller(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def batch(client, items):
    return client.post("/api/v1/org/employees:batch", content_type="application/json",
                       data=json.dumps({"employees": items}))


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_keeps_the_phone_an_import_wrote_while_the_batch_waited(monkeypatch):
    world = build_world()
    run, release, thread = pause_import(monkeypatch, world)
    answer = {}

    def api():
        answer["r"] = batch(caller(world.city_admin_a), [{"employee_no": "E0002", "name": "赵同事二"}])

    api_thread = in_thread(api)
    waits_for_the_lock_or_ends(api_thread)  # it has read the roster and waits for Guangzhou's lock
    release.set()
    thread.join()
    api_thread.join()
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert answer["r"].status_code == 200, answer["r"].content
    assert answer["r"].json()["results"][0]["changes"] == {"name": ["赵同事", "赵同事二"]}
    employee = Employee.objects.get(employee_no="E0002")
    assert (employee.name, employee.phone) == ("赵同事二", "13800009999")


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_answers_409_when_an_import_of_the_units_is_still_writing(monkeypatch, settings):
    world = build_world()
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS_REQUEST": 0}
    run, release, thread = pause_import(monkeypatch, world)
    client = caller(world.city_admin_a)
    try:
        batched = batch(client, [{"employee_no": "E0002", "name": "赵同事二"}])
        put = client.put("/api/v1/org/employees/E0002", content_type="application/json",
                         data=json.dumps({"name": "赵同事三"}))
        colleague = Employee.objects.select_related("org_unit", "position", "grade").get(employee_no="E0002")
        page = client.post(reverse("org:employee_edit", args=["E0002"]), {
            "name": "赵同事四", "phone": colleague.phone, "email": colleague.email,
            "org_unit": colleague.org_unit.code,
            "position": colleague.position.code if colleague.position else "",
            "hire_date": colleague.hire_date.isoformat(),
            "grade": colleague.grade.code if colleague.grade else "", "status": colleague.status})
    finally:
        release.set()
        thread.join()
    # The page says so on its form, in both languages, and keeps what was typed.
    assert page.status_code == 200
    shown = " ".join(page.context["form"].non_field_errors())
    assert "另一个导入正在写入这些单位的数据" in shown and "Another import of these units is writing" in shown
    for response in (batched, put):
        assert response.status_code == 409, response.content
        body = response.json()
        assert "另一个导入正在写入这些单位的数据" in body["detail_zh"]
        assert "Another import of these units is writing" in body["detail_en"]
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert Employee.objects.get(employee_no="E0002").name == "赵同事"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_does_not_make_another_citys_batch_wait(monkeypatch, settings):
    world = build_world()
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS_REQUEST": 0}
    _run, release, thread = pause_import(monkeypatch, world)
    shenzhen = Employee.objects.filter(org_unit=world.team_b).first()
    assert shenzhen is not None
    try:
        response = batch(caller(world.city_admin_b),
                         [{"employee_no": shenzhen.employee_no, "name": "深圳改名"}])
    finally:
        release.set()
        thread.join()
    assert response.status_code == 200, response.content
