"""What a user obviously means is taken as meant: full-width digits and letters (１３８…,
ＧＺ) read as ASCII in phones, codes, employee numbers and dates; a unit code is found and
stored upper-case whatever case it is typed in. In the import, the forms and the API alike."""

import json
from datetime import date

import pytest
from django.urls import reverse

from casspath.core import validators
from casspath.core.actors import SystemActor
from casspath.core.errors import InvalidValue
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org import validators as org_validators
from casspath.org.models import Employee, OrgUnit
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_reads_full_width_digits_and_letters_as_ascii():
    assert validators.mobile_phone("１３８００１３８０００") == "13800138000"
    assert validators.mobile_phone("＋８６ １３８－００１３－８０００") == "13800138000"
    assert validators.parse_date("２０２３－０５－０６") == date(2023, 5, 6)
    assert validators.parse_date("２０２３年５月６日") == date(2023, 5, 6)
    assert org_validators.employee_no("Ｅ０００３") == "E0003"
    assert org_validators.unit_code("ｇｚ－ｔｈ－０１") == "GZ-TH-01"
    assert org_validators.unit_code("gz-th-01") == "GZ-TH-01"


def test_it_still_refuses_what_is_not_a_code_or_a_phone():
    with pytest.raises(InvalidValue):
        validators.mobile_phone("１３８")
    with pytest.raises(InvalidValue):
        org_validators.unit_code("gz th")


def test_it_refuses_to_store_a_code_in_another_form_and_says_how_to_write_it(world):
    unit = OrgUnit(code="gz-yx", name="越秀区", kind="district", parent=world.city_a)
    with pytest.raises(Exception, match="GZ-YX"):
        unit.full_clean(exclude=["path"])


def _roster(rows):
    return run_import(registry.get("roster"), csv_bytes([ROSTER_HEADERS_ZH, *rows]), "roster.csv",
                      acting_user=SystemActor.cli(), dry_run=False, options={})


def test_it_imports_full_width_numbers_and_a_lower_case_unit_code(world):
    report = _roster([["Ｅ０００３", "钱新人", "１３８００１３８００１", "", "gz-th-01", "客户经理",
                       "２０２３－０５－０６", "初级", "在职"]])
    assert report.ok, report.as_dict()
    employee = Employee.objects.get(employee_no="E0003")
    assert (employee.phone, employee.org_unit, employee.hire_date) == (
        "13800138001", world.team_a, date(2023, 5, 6))


def test_it_imports_units_with_lower_case_codes_stored_upper_case(world):
    headers = ["单位编码", "单位名称", "上级编码", "类型"]
    report = run_import(registry.get("org"), csv_bytes([headers, ["gz-yx", "越秀区", "ｇｚ", "区县公司"]]),
                        "org.csv", acting_user=SystemActor.cli(), dry_run=False)
    assert report.ok, report.as_dict()
    unit = OrgUnit.objects.get(code="GZ-YX")
    assert unit.parent == world.city_a


def test_it_creates_a_unit_typed_in_lower_case_on_the_form(client, world):
    log_in(client, world.city_admin_a)
    response = client.post(reverse("org:unit_create"), {
        "code": "gz-yx", "name": "越秀区", "kind": "district", "parent": "GZ"})
    assert response.status_code == 302
    assert OrgUnit.objects.filter(code="GZ-YX").exists()
    # The same code in lower case is the same unit: refused as a duplicate.
    again = client.post(reverse("org:unit_create"), {
        "code": "Gz-Yx", "name": "越秀区", "kind": "district", "parent": "GZ"})
    assert again.status_code == 200 and "GZ-YX" in again.content.decode()


def test_it_finds_a_unit_by_its_code_in_any_case(client, world):
    log_in(client, world.city_admin_a)
    assert client.get(reverse("org:unit_detail", args=["gz-th-01"])).status_code == 200
    response = client.get(reverse("org:employee_list"), {"unit": "gz-th-01"})
    assert response.status_code == 200 and "王经理" in response.content.decode()
    assert client.get("/api/v1/org/units/gz-th-01").status_code == 200


def test_it_searches_full_width_digits_as_digits(client, world):
    log_in(client, world.city_admin_a)
    response = client.get(reverse("org:employee_list"), {"q": "Ｅ０００１"})
    assert "王经理" in response.content.decode()


def test_it_takes_full_width_numbers_and_a_lower_case_unit_in_the_api(client, world):
    log_in(client, world.city_admin_a)
    body = {"name": "钱新人", "phone": "１３５００００１２３４", "org_unit": "gz-th-01",
            "hire_date": "2024-07-01"}
    response = client.put("/api/v1/org/employees/Ｅ０２００", data=json.dumps(body),
                          content_type="application/json")
    assert response.status_code == 201, response.content
    employee = Employee.objects.get(employee_no="E0200")
    assert (employee.phone, employee.org_unit) == ("13500001234", world.team_a)
