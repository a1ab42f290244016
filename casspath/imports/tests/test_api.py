import io

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import load_workbook

from casspath.core.models import User
from casspath.imports.models import ImportRun
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes, roster_rows
from casspath.org.models import Employee

BASE = "/api/v1/imports"


def _login(client, username):
    client.force_login(User.objects.get(username=username))


def _post(client, rows, kind="roster", **fields):
    upload = SimpleUploadedFile("roster.csv", csv_bytes(rows), content_type="text/csv")
    return client.post(f"{BASE}/{kind}", {"file": upload, **fields})


def test_it_upload_dry_run_then_apply(world, client):
    _login(client, "gzadmin")
    response = _post(client, roster_rows())
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["dry_run"] is True and body["status"] == "succeeded" and body["percent"] == 100
    assert body["report"]["created"] == 2 and not Employee.objects.filter(employee_no="E0003").exists()
    run = client.get(f"{BASE}/runs/{body['id']}").json()
    assert run["report"]["ok"] is True and run["progress_done"] == 2
    applied = client.post(f"{BASE}/runs/{body['id']}/apply")
    assert applied.status_code == 201 and applied.json()["source_run_id"] == body["id"]
    assert Employee.objects.filter(employee_no__in=["E0003", "E0004"]).count() == 2
    again = client.post(f"{BASE}/runs/{body['id']}/apply")
    assert again.status_code == 200 and again.json()["id"] == applied.json()["id"]


def test_it_upload_for_real_with_deactivate_missing(world, client):
    _login(client, "padmin")
    rows = [
        ROSTER_HEADERS_ZH,
        ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "客户经理", "2022-03-01", "", ""],
    ]
    body = _post(client, rows, dry_run="false", deactivate_missing="true").json()
    assert body["report"]["applied"] and body["report"]["deactivated"] == 2
    assert Employee.objects.get(employee_no="E0002").status == "left"


def test_it_row_errors_come_back_with_row_column_value_and_both_reasons(world, client):
    _login(client, "gzadmin")
    rows = [ROSTER_HEADERS_ZH, ["E0200", "深圳新人", "", "", "SZ-NS-01", "", "2020-01-01", "", ""]]
    body = _post(client, rows, dry_run="false").json()
    assert body["status"] == "failed"
    assert body["report"]["errors"] == [
        {
            "row": 2,
            "column": "单位编码",
            "value": "SZ-NS-01",
            # Neutral: the same reason as for a unit that does not exist, naming no unit.
            "reason_zh": "单位“SZ-NS-01”不存在或不在您的导入权限范围内（新单位请先导入单位）。",
            "reason_en": "Unit 'SZ-NS-01' does not exist or is outside your import scope "
            "(import new units first).",
        }
    ]
    assert client.post(f"{BASE}/runs/{body['id']}/apply").status_code == 409


def test_it_template_and_kinds(world, client):
    _login(client, "gzadmin")
    kinds = {k["kind"]: k for k in client.get(f"{BASE}/").json()}
    assert {"org", "roster"} <= set(kinds) and kinds["roster"]["options"] == ["deactivate_missing"]
    response = client.get(f"{BASE}/roster/template")
    assert response.status_code == 200
    assert load_workbook(io.BytesIO(response.content)).worksheets[0]["A1"].value == "工号"
    assert client.get(f"{BASE}/nope/template").status_code == 404


def test_it_refusals(world, client):
    assert client.get(f"{BASE}/runs/1").status_code == 401
    assert _post(client, roster_rows()).status_code == 401
    _login(client, "gzadmin")
    run_id = _post(client, roster_rows()).json()["id"]
    client.logout()
    _login(client, "szadmin")
    assert client.get(f"{BASE}/runs/{run_id}").status_code == 404
    assert client.post(f"{BASE}/runs/{run_id}/apply").status_code == 404
    assert run_id not in [r["id"] for r in client.get(f"{BASE}/runs").json()]
    client.logout()
    _login(client, "E0001")
    assert _post(client, roster_rows()).status_code == 403
    assert client.get(f"{BASE}/roster/template").status_code == 403
    assert client.get(f"{BASE}/runs/{run_id}").status_code == 403
    assert client.get(f"{BASE}/").json() == []
    assert ImportRun.objects.count() == 1


def test_it_refuses_an_upload_past_the_size_limit_with_json(world, client, settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_UPLOAD_BYTES": 2000}
    _login(client, "gzadmin")
    big = roster_rows() + [roster_rows()[1]] * 100
    response = _post(client, big)
    assert response.status_code == 413
    body = response.json()
    assert "0 MB" in body["detail_en"] and "MB" in body["detail_zh"] and "拆分" in body["detail_zh"]
    assert not ImportRun.objects.exists() and not [path for path in tmp_path.rglob("*") if path.is_file()]
    assert _post(client, roster_rows()).status_code == 201


def test_it_streams_a_large_upload_to_storage_in_chunks(world, client, settings, tmp_path):
    import hashlib

    settings.PRIVATE_FILES_DIR = tmp_path
    data = b"a,b\n" * 1_600_000  # refused by the import (too many rows) once stored
    assert len(data) > settings.FILE_UPLOAD_MAX_MEMORY_SIZE  # so Django spills it to a temporary file
    _login(client, "gzadmin")
    response = client.post(f"{BASE}/roster", {"file": SimpleUploadedFile("big.csv", data)})
    assert response.status_code == 201
    run = ImportRun.objects.get()
    assert run.size == len(data) and run.sha256 == hashlib.sha256(data).hexdigest()
    assert (tmp_path / "imports" / run.stored_name).read_bytes() == data
