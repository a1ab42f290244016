import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from casspath.competency.excel import export_model_xlsx
from casspath.competency.models import CompetencyModel

from .conftest import login

URL = "/competency/import/"


def upload(xlsx: bytes, **extra):
    return {"file": SimpleUploadedFile("model.xlsx", xlsx), **extra}


def changed(model) -> bytes:
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["模型"]["C4"] = "小模型（修订）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_checks_a_file_in_a_dry_run(world, model):
    response = login(world.province_admin).post(URL, upload(changed(model), org_unit=world.province.pk,
                                                            dry_run="on", publish="on"))
    assert response.status_code == 200
    assert "would create version 2" in response.content.decode() or "版本 2" in response.content.decode()
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_imports_a_new_version(world, model):
    response = login(world.province_admin).post(URL, upload(changed(model), org_unit=world.province.pk,
                                                            publish="on"))
    new = CompetencyModel.objects.get(family="small", version=2)
    assert response["Location"] == reverse("competency:model_detail", args=[new.pk])
    assert new.name == "小模型（修订）" and new.status == CompetencyModel.Status.PUBLISHED


def test_it_lists_bad_cells(world, model):
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["等级"]["A4"] = "九"
    out = io.BytesIO()
    wb.save(out)
    response = login(world.province_admin).post(URL, upload(out.getvalue(), org_unit=world.province.pk))
    body = response.content.decode()
    assert response.status_code == 400
    assert "等级!等级" in body and "level must be a whole number 1-5" in body


def test_it_refuses_a_file_that_is_not_excel(world, model):
    response = login(world.province_admin).post(URL, upload(b"hello", org_unit=world.province.pk))
    assert response.status_code == 400
    assert "not an Excel" in response.content.decode()


def test_it_refuses_a_city_admin_for_a_province_model(world, model):
    response = login(world.city_admin_a).post(URL, upload(changed(model), org_unit=world.city_a.pk))
    assert response.status_code == 400
    assert "may not edit competency models of 广东公司" in response.content.decode()
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_refuses_users_without_edit_rights(world, model):
    assert login(world.manager).get(URL).status_code == 403
    assert login(world.outsider).get(URL).status_code == 403
    response = Client().get(URL)
    assert response.status_code == 302 and reverse("login") in response["Location"]
