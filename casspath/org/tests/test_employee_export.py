"""The roster export from the employee list page and from the API: the list's filters, the
scope, the personal-data rule (training admins, team leads and a manager himself export
unmasked; consultants, analysts and lecturers are refused), audited through do_export_to."""

import io

import pytest
from openpyxl import load_workbook

from casspath.core.models import AuditEvent
from casspath.imports.reader import read_table
from casspath.testing import ApiCaller, log_in, make_employee

PAGE = "/org/employees/export/"
API = "/org/employees/export"


def _numbers(response, fmt="xlsx") -> list[str]:
    data = b"".join(response.streaming_content)
    if fmt == "xlsx":
        sheet = load_workbook(io.BytesIO(data)).active
        return [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    return [row[0] for row in read_table(data, "roster.csv").rows[1:]]


def test_it_exports_the_city_of_a_training_admin_unmasked_from_the_page(client, world):
    log_in(client, world.city_admin_a)
    response = client.get(PAGE, {"format": "xlsx"})
    assert response.status_code == 200 and response.streaming
    assert response["Content-Disposition"].startswith('attachment; filename="roster-')
    assert "no-store" in response["Cache-Control"]
    data = b"".join(response.streaming_content)
    rows = list(load_workbook(io.BytesIO(data)).active.iter_rows(min_row=2, values_only=True))
    assert [row[0] for row in rows] == ["E0001", "E0002", "T0001"]
    assert rows[0][2] == "13912345678"  # unmasked
    event = AuditEvent.objects.get(verb="export.roster")
    assert event.actor == world.city_admin_a and event.changes["rows"] == 3


def test_it_keeps_the_lists_filters_in_the_export(client, world):
    log_in(client, world.province_admin)
    response = client.get(PAGE, {"format": "csv", "unit": "GZ-TH-01", "q": "赵"})
    assert response["Content-Type"].startswith("text/csv")
    assert _numbers(response, "csv") == ["E0002"]
    event = AuditEvent.objects.get(verb="export.roster")
    assert event.changes["filters"] == {"unit": "GZ-TH-01", "q": "赵"}


def test_it_shows_the_export_buttons_with_the_filters_to_whoever_may_export(client, world):
    log_in(client, world.city_admin_a)
    page = client.get("/org/employees/", {"unit": "GZ-TH-01"}).text
    assert f'href="{PAGE}?format=xlsx&amp;unit=GZ-TH-01"' in page
    assert f'href="{PAGE}?format=csv&amp;unit=GZ-TH-01"' in page
    for user in (world.consultant_a, world.analyst_a, world.lecturer_a):
        log_in(client, user)
        assert 'id="export-xlsx"' not in client.get("/org/employees/").text


@pytest.mark.parametrize("who", ["consultant_a", "analyst_a", "lecturer_a", "outsider"])
def test_it_refuses_those_who_may_not_export_personal_data(client, world, who):
    user = getattr(world, who)
    log_in(client, user)
    assert client.get(PAGE, {"format": "xlsx"}).status_code == 403
    response = ApiCaller(client, user).get(f"{API}?format=csv")
    assert response.status_code == 403 and response.json()["detail_zh"]
    assert not AuditEvent.objects.filter(verb="export.roster").exists()


def test_it_exports_a_team_lead_his_team_and_a_manager_himself(client, world):
    make_employee("E0100X", "别队", world.team_b)
    log_in(client, world.team_lead)
    assert _numbers(client.get(PAGE)) == ["E0001", "E0002", "T0001"]
    log_in(client, world.manager)
    assert _numbers(client.get(PAGE)) == ["E0001"]


def test_it_refuses_a_unit_of_another_city_without_exporting_anything(client, world):
    log_in(client, world.city_admin_a)
    response = client.get(PAGE, {"format": "xlsx", "unit": "SZ-NS-01"}, follow=True)
    assert response.redirect_chain == [("/org/employees/?unit=SZ-NS-01", 302)]
    assert "SZ-NS-01" in response.text and "outside your scope" in response.text
    api = ApiCaller(client, world.city_admin_a)
    refused = api.get(f"{API}?unit=SZ-NS-01")
    assert refused.status_code == 422 and "SZ-NS-01" in refused.json()["detail_en"]
    assert not AuditEvent.objects.filter(verb="export.roster").exists()


def test_it_refuses_an_unknown_format(client, world):
    log_in(client, world.city_admin_a)
    response = client.get(PAGE, {"format": "pdf"}, follow=True)
    assert "xlsx or csv" in response.text
    assert ApiCaller(client, world.city_admin_a).get(f"{API}?format=pdf").status_code == 422
    assert not AuditEvent.objects.filter(verb="export.roster").exists()


def test_it_exports_through_the_api_by_token(client, world):
    api = ApiCaller(client, world.city_admin_b, bearer=True)
    response = api.get(f"{API}?format=csv")
    assert response.status_code == 200
    assert _numbers(response, "csv") == ["E0100"]
    assert api.get("/org/employees/E0100").json()["employee_no"] == "E0100"  # the route beside it


def test_it_sends_anonymous_to_log_in(client, world):
    assert client.get(PAGE)["Location"].startswith("/accounts/login/")
    assert client.get(f"/api/v1{API}").status_code == 401
