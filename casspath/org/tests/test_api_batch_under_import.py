"""`employees:batch` (and the single PUT) while a roster import of the same units writes: a
field an item leaves out is left as the import wrote it (judged under the lock, not filled
from a read made before it), and a request waits IMPORT_LOCK_WAIT_SECONDS_REQUEST at most,
then answers 409 in both languages, writing nothing (web workers are not held for minutes)."""

import json

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.models import Employee
from casspath.testing import PausedImport, build_world, in_thread, waits_for_the_lock_or_ends

postgresql_only = pytest.mark.skipif(connection.vendor == "sqlite",
                                     reason="concurrent writers need PostgreSQL")

NEW_PHONE = csv_bytes([ROSTER_HEADERS_ZH, ["E0002", "赵同事", "13800009999", "", "GZ-TH-01", "客户经理",
                                           "2023-05-06", "初级", "在职"]])


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
    paused = PausedImport(monkeypatch, world.city_admin_a, NEW_PHONE)
    answer = {}

    def api():
        answer["r"] = batch(caller(world.city_admin_a), [{"employee_no": "E0002", "name": "赵同事二"}])

    api_thread = in_thread(api)
    waits_for_the_lock_or_ends(api_thread)  # it has read the roster and waits for Guangzhou's lock
    run = paused.finish()
    api_thread.join()
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
    paused = PausedImport(monkeypatch, world.city_admin_a, NEW_PHONE)
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
        run = paused.finish()
    # The page says so on its form, in both languages, and keeps what was typed.
    assert page.status_code == 200
    shown = " ".join(page.context["form"].non_field_errors())
    assert "另一个导入正在写入这些单位的数据" in shown and "Another import of these units is writing" in shown
    for response in (batched, put):
        assert response.status_code == 409, response.content
        body = response.json()
        assert "另一个导入正在写入这些单位的数据" in body["detail_zh"]
        assert "Another import of these units is writing" in body["detail_en"]
    assert run.status == "succeeded"
    assert Employee.objects.get(employee_no="E0002").name == "赵同事"


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_does_not_make_another_citys_batch_wait(monkeypatch, settings):
    world = build_world()
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS_REQUEST": 0}
    paused = PausedImport(monkeypatch, world.city_admin_a, NEW_PHONE)
    shenzhen = Employee.objects.filter(org_unit=world.team_b).first()
    assert shenzhen is not None
    try:
        response = batch(caller(world.city_admin_b),
                         [{"employee_no": shenzhen.employee_no, "name": "深圳改名"}])
    finally:
        paused.finish()
    assert response.status_code == 200, response.content
