"""A competency model file through the one import framework's pages: dry run, then apply."""

import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from casspath.competency.excel import export_model_xlsx
from casspath.competency.models import CompetencyModel
from casspath.imports.models import ImportRun

from .conftest import login

KIND_URL = reverse("imports:kind", args=["competency"])


def changed(model) -> bytes:
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["模型"]["C4"] = "小模型（修订）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_links_the_model_list_to_the_import_page(world, model):
    body = login(world.province_admin).get(reverse("competency:model_list")).content.decode()
    assert KIND_URL in body


def test_it_checks_then_imports_a_new_version(world, model):
    client = login(world.province_admin)
    response = client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", changed(model)),
                                      "dry_run": "on"})
    dry = ImportRun.objects.get()
    assert dry.report is not None
    assert response["Location"] == reverse("imports:run", args=[dry.pk])
    assert dry.status == "succeeded" and dry.report["created"] == 1
    assert CompetencyModel.objects.filter(family="small").count() == 1
    client.post(reverse("imports:apply", args=[dry.pk]))
    new = CompetencyModel.objects.get(family="small", version=2)
    model.refresh_from_db()
    assert new.name == "小模型（修订）" and new.status == CompetencyModel.Status.PUBLISHED
    assert model.status == CompetencyModel.Status.ARCHIVED


def test_it_lists_bad_cells_and_writes_nothing(world, model):
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["等级"]["A4"] = "九"
    out = io.BytesIO()
    wb.save(out)
    client = login(world.province_admin)
    client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", out.getvalue()), "dry_run": ""})
    run = ImportRun.objects.get()
    assert run.report is not None
    assert run.status == "failed" and any("等级" in e["column"] for e in run.report["errors"])
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_refuses_a_manager_the_page(world, model):
    response = login(world.manager).post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", changed(model))})
    assert response.status_code in (403, 404)
    assert not ImportRun.objects.exists()


def test_it_refuses_a_city_admin_a_new_version_of_the_province_model(world, model):
    client = login(world.city_admin_a)
    client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", changed(model)), "dry_run": ""})
    run = ImportRun.objects.get()
    assert run.report is not None
    assert run.status == "failed"
    assert "may not edit competency models" in run.report["file_error"]["message_en"]
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_imports_a_draft_when_asked(world, model):
    client = login(world.province_admin)
    page = client.get(KIND_URL).content.decode()
    assert 'name="as_draft"' in page and 'name="deactivate_missing"' not in page
    client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", changed(model)), "dry_run": "",
                           "as_draft": "on"})
    new = CompetencyModel.objects.get(family="small", version=2)
    model.refresh_from_db()
    assert new.status == CompetencyModel.Status.DRAFT and model.status == CompetencyModel.Status.PUBLISHED


def test_it_refuses_an_unknown_option_by_api(world, model):
    client = login(world.province_admin)
    response = client.post("/api/v1/imports/competency", {
        "file": SimpleUploadedFile("model.xlsx", changed(model)), "options": "as_draft,nope"})
    assert response.status_code == 422 and "nope" in response.json()["detail_en"]
    response = client.post("/api/v1/imports/competency", {
        "file": SimpleUploadedFile("model.xlsx", changed(model)), "options": "as_draft", "dry_run": "false"})
    assert response.status_code == 201
    assert CompetencyModel.objects.get(family="small", version=2).status == CompetencyModel.Status.DRAFT


def _new_family(model, owner: str) -> bytes:
    """The model's file as a new model code (family) owned by `owner`."""
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    for row in wb["模型"].iter_rows():
        if row[1].value == "family":
            row[2].value = "other"
        elif row[1].value == "org_unit":
            row[2].value = owner
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_answers_another_citys_unit_as_it_answers_a_unit_that_does_not_exist(world, model):
    client = login(world.city_admin_a)
    messages = []
    for code in ("SZ-NS-01", "NOPE-01"):
        upload = SimpleUploadedFile("model.xlsx", _new_family(model, code))
        client.post(KIND_URL, {"file": upload, "dry_run": "on"})
        run = ImportRun.objects.latest("id")
        assert run.status == "failed" and run.report is not None
        messages.append({key: text.replace(code, "CODE") for key, text in run.report["file_error"].items()})
    assert messages[0] == messages[1]
    assert "政企二班" not in str(messages) and "does not exist or is outside your scope" in str(messages)


def test_it_does_not_name_the_owner_of_a_model_code_outside_the_scope(world, model):
    model.org_unit = world.team_b
    model.save(update_fields=["org_unit"])
    client = login(world.city_admin_a)
    client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", changed(model)), "dry_run": "on"})
    report = ImportRun.objects.get().report
    assert report is not None
    error = report["file_error"]
    assert "政企二班" not in str(error) and "SZ-NS-01" not in str(error)
    assert "small" in error["message_en"] and "small" in error["message_zh"]
