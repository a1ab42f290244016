"""A NUL character (U+0000) is refused with a clear 400 wherever a request carries it (path,
query string, form, JSON body), and by the import when a cell holds one; never a 500, never
stored."""

import json
from urllib.parse import urlencode

from django.urls import reverse

from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, xlsx_bytes
from casspath.org.models import Employee, OrgUnit


def _bilingual_html(response):
    body = response.content.decode()
    assert response.status_code == 400
    assert "空字符" in body and "NUL character" in body


def test_it_refuses_nul_in_a_page_query_string(client, world):
    client.force_login(world.city_admin_a)
    _bilingual_html(client.get(reverse("org:employee_list") + "?q=%00"))
    _bilingual_html(client.get(reverse("org:employee_list") + "?q=a%00b&status=active"))
    assert client.get(reverse("org:employee_list") + "?q=%E7%8E%8B").status_code == 200


def test_it_refuses_nul_in_a_path_segment(client, world):
    client.force_login(world.city_admin_a)
    _bilingual_html(client.get("/org/units/GZ%00/"))
    _bilingual_html(client.get("/org/employees/E0001%00/"))


def test_it_refuses_nul_in_a_posted_form(client, world):
    client.force_login(world.city_admin_a)
    url, data = reverse("org:unit_create"), {"code": "GZ-NUL", "name": "坏\x00名字", "kind": "team",
                                             "parent": "GZ"}
    _bilingual_html(client.post(url, urlencode(data), content_type="application/x-www-form-urlencoded"))
    # A multipart body (uploads) is left to the form, whose fields refuse NUL themselves.
    response = client.post(url, data)
    assert response.status_code == 200 and response.context["form"].errors["name"]
    assert not OrgUnit.objects.filter(code="GZ-NUL").exists()


def test_it_answers_the_api_in_json(client, world):
    client.force_login(world.city_admin_a)
    response = client.get("/api/v1/org/employees?q=%00")
    assert response.status_code == 400
    body = response.json()
    assert "空字符" in body["detail_zh"] and "NUL character" in body["detail_en"]
    assert "query string" in body["detail_en"]
    body = {"name": "坏\x00名字", "org_unit": "GZ-TH-01", "hire_date": "2023-01-01"}
    response = client.put("/api/v1/org/employees/E0300", json.dumps(body), content_type="application/json")
    assert response.status_code == 400 and "body" in response.json()["detail_en"]
    response = client.get("/api/v1/org/units/GZ%00")
    assert response.status_code == 400 and "path" in response.json()["detail_en"]
    assert not Employee.objects.filter(employee_no="E0300").exists()


def test_it_refuses_a_cell_holding_nul_naming_its_row_and_column(world):
    # "_x0000_" is how an .xlsx spells U+0000; the reader decodes it.
    data = xlsx_bytes([ROSTER_HEADERS_ZH,
                       ["E0301", "王_x0000_宁", "", "", "GZ-TH-01", "", "2023-01-01", "", ""],
                       ["E0302", "李四", "", "", "GZ-TH-01", "", "2023-01-01", "", "在_x0000_职"]])
    report = run_import(registry.get("roster"), data, "roster.xlsx", acting_user=SystemActor.cli(),
                        dry_run=False)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(2, "姓名"), (3, "状态")]
    assert all("NUL" in e.reason_en and "空字符" in e.reason_zh for e in report.errors)
    assert report.errors[0].value == "王\u2400宁"  # shown, and storable in the JSON report
    assert not Employee.objects.filter(employee_no__in=["E0301", "E0302"]).exists()


def test_it_stores_the_report_of_such_a_file(world, tmp_path, settings):
    settings.PRIVATE_FILES_DIR = tmp_path
    from casspath.imports.actions import do_create_import_run, do_execute_import_run

    data = xlsx_bytes([[*ROSTER_HEADERS_ZH, "备_x0000_注"],
                       ["E0303", "王_x0000_宁", "", "", "GZ-TH-01", "", "2023-01-01", "", "", ""]])
    run = do_create_import_run("roster", "roster.xlsx", data, acting_user=world.province_admin)
    do_execute_import_run(run.pk)
    run = ImportRun.objects.get(pk=run.pk)
    assert run.report is not None
    assert run.status == "failed" and run.report["errors"][0]["column"] == "姓名"
    assert "\x00" not in json.dumps(run.report, ensure_ascii=False)
