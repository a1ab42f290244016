"""The cass and qa-cards imports through the import framework's API and upload page: the
map named by the valued options unit= and family=."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casspath.cass.models import CassMap, WorkItem
from casspath.cass.tests.workbooks import workbook
from casspath.imports.models import ImportRun

pytestmark = pytest.mark.usefixtures("cass_model")
BASE = "/api/v1/imports"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def upload(data: bytes) -> SimpleUploadedFile:
    return SimpleUploadedFile("map.xlsx", data, content_type=XLSX)


def test_it_dry_runs_then_applies_through_the_api(world, client):
    # The province's admin names a city: the applied run keeps the dry run's options.
    client.force_login(world.province_admin)
    response = client.post(f"{BASE}/cass", {"file": upload(workbook()), "options": "unit=GZ,family=default"})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["options"] == {"unit": "GZ", "family": "default"}
    assert body["report"]["ok"] and body["report"]["created"] == 12 and not CassMap.objects.exists()
    applied = client.post(f"{BASE}/runs/{body['id']}/apply")
    assert applied.status_code == 201 and applied.json()["report"]["applied"]
    assert CassMap.objects.get().org_unit == world.city_a and WorkItem.objects.count() == 2


def test_it_refuses_an_option_without_its_value_or_unknown(world, client):
    client.force_login(world.consultant_a)
    for options in ("unit", "colour=red"):
        response = client.post(f"{BASE}/cass", {"file": upload(workbook()), "options": options})
        assert response.status_code == 422
    assert not ImportRun.objects.exists()


def test_it_refuses_a_manager_through_the_api(world, client):
    client.force_login(world.manager)
    response = client.post(f"{BASE}/cass", {"file": upload(workbook()), "options": "unit=GZ"})
    assert response.status_code == 403 and not ImportRun.objects.exists()


def test_it_takes_the_unit_from_the_upload_form(world, client):
    client.force_login(world.consultant_a)
    response = client.post("/imports/qa-cards/", {"file": upload(workbook()), "dry_run": "on", "unit": "GZ"})
    assert response.status_code == 302
    run = ImportRun.objects.get()
    assert run.options == {"unit": "GZ"} and run.kind == "qa-cards"
