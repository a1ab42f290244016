"""A unit code or 工号 that a web address cannot carry ("GZ/EVIL", "EVIL/1") is refused at
every entry point, with a bilingual message naming the field; the pages stay up."""

import json

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.actions.employees import do_upsert_employee
from casspath.org.actions.units import do_create_unit
from casspath.org.models import Employee, OrgUnit

WEB_ADDRESS = "web addresses"


def _import(kind, rows, user=None):
    return run_import(registry.get(kind), csv_bytes(rows), f"{kind}.csv",
                      acting_user=user or SystemActor.cli(), dry_run=False)


def test_it_refuses_a_unit_code_with_a_slash_in_the_org_import(world, client):
    report = _import("org", [["单位编码", "单位名称", "上级单位编码", "类型"],
                             ["GZ/EVIL", "恶意单位", "GZ", "班组"], ["GZ-OK", "好单位", "GZ/EVIL", "班组"]])
    assert not report.ok and not OrgUnit.objects.filter(code__in=["GZ/EVIL", "GZ-OK"]).exists()
    errors = {(e.row, e.column): e for e in report.errors}
    assert "“/”" in errors[2, "单位编码"].reason_zh and WEB_ADDRESS in errors[2, "单位编码"].reason_en
    assert "“/”" in errors[3, "上级单位编码"].reason_zh
    client.force_login(world.province_admin)
    assert client.get(reverse("org:tree")).status_code == 200


def test_it_refuses_an_employee_number_with_a_slash_in_the_roster_import(world, client):
    row = ["EVIL/1", "恶意员工", "", "", "GZ-TH-01", "", "2023-01-01", "", ""]
    report = _import("roster", [ROSTER_HEADERS_ZH, row])
    assert not report.ok and not Employee.objects.filter(employee_no="EVIL/1").exists()
    [error] = report.errors
    assert (error.row, error.column, error.value) == (2, "工号", "EVIL/1")
    assert "编码不能含有“/”" in error.reason_zh and WEB_ADDRESS in error.reason_en
    client.force_login(world.city_admin_a)
    assert client.get(reverse("org:employee_list")).status_code == 200


@pytest.mark.parametrize("code", ["GZ/EVIL", "GZ?X", "GZ#X", "GZ%2F", "GZ X", "GZ\\X"])
def test_it_refuses_such_a_unit_code_in_the_unit_form(world, client, code):
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:unit_create"), {"code": code, "name": "x", "kind": "team",
                                                         "parent": "GZ"})
    assert response.status_code == 200
    [message] = response.context["form"].errors["code"]
    assert "编码不能含有" in message and WEB_ADDRESS in message
    assert not OrgUnit.objects.filter(code=code).exists()


def test_it_refuses_such_codes_in_the_actions_full_clean(world):
    with pytest.raises(ValidationError) as info:
        do_create_unit(code="GZ/EVIL", name="x", kind="team", parent=world.city_a,
                       acting_user=world.province_admin)
    assert WEB_ADDRESS in info.value.message_dict["code"][0]
    with pytest.raises(ValidationError) as info:
        do_upsert_employee({"employee_no": "EVIL/1", "name": "x", "org_unit": world.team_a,
                            "hire_date": "2023-01-01"}, acting_user=world.province_admin)
    assert WEB_ADDRESS in info.value.message_dict["employee_no"][0]
    assert not OrgUnit.objects.filter(code="GZ/EVIL").exists()
    assert not Employee.objects.filter(employee_no="EVIL/1").exists()


def test_it_refuses_such_an_employee_number_in_the_api(world, client):
    client.force_login(world.city_admin_a)
    body = {"name": "恶意员工", "org_unit": "GZ-TH-01", "hire_date": "2023-01-01"}
    response = client.put("/api/v1/org/employees/EVIL%3F1", data=json.dumps(body),
                          content_type="application/json")
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "employee_no" and WEB_ADDRESS in error["message_en"]
    assert "编码不能含有“?”" in error["message_zh"]
    response = client.post("/api/v1/org/employees:batch", content_type="application/json",
                           data=json.dumps({"employees": [{"employee_no": "EVIL/1", **body}]}))
    assert response.status_code == 422
    [error] = response.json()["errors"]
    assert error["field"] == "employees[0].employee_no" and WEB_ADDRESS in error["message_en"]
    assert not Employee.objects.filter(employee_no__startswith="EVIL").exists()
