"""A dimension or module code that a web address cannot carry ("A/B") is refused by the
editor's pages, the model-data schema (files, JSON) and the actions; the draft stays usable."""

import io

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from openpyxl import load_workbook

from casspath.competency.actions.edits import do_add_dimension
from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.errors import ModelDataError
from casspath.competency.excel import export_model_xlsx
from casspath.competency.models import CompetencyModel, Dimension, Module
from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import

from .conftest import login

WEB_ADDRESS = "web addresses"


@pytest.fixture
def draft(world, model):
    return do_start_new_version(model, acting_user=world.province_admin)


def test_it_refuses_a_dimension_code_with_a_slash_in_the_editor(world, draft):
    client = login(world.province_admin)
    module = Module.objects.filter(model=draft).first()
    assert module is not None
    response = client.post(reverse("competency:dimension_add", args=[draft.pk]), {
        "code": "A/B", "module": str(module.pk), "name": "新维度", "name_en": "", "category": "skill",
        "description": ""})
    assert response.status_code == 200
    [message] = response.context["form"].errors["code"]
    assert "编码不能含有“/”" in message and WEB_ADDRESS in message
    assert not Dimension.objects.filter(code="A/B").exists()
    assert client.get(reverse("competency:model_detail", args=[draft.pk])).status_code == 200


def test_it_refuses_a_module_code_with_a_slash_in_the_editor(world, draft):
    client = login(world.province_admin)
    response = client.post(reverse("competency:module_add", args=[draft.pk]),
                           {"code": "M/9", "name": "新模块", "name_en": ""})
    assert response.status_code == 200
    assert WEB_ADDRESS in response.context["form"].errors["code"][0]
    assert not Module.objects.filter(code="M/9").exists()


def test_it_refuses_it_in_the_add_dimension_action(world, draft):
    module = Module.objects.filter(model=draft).first()
    assert module is not None
    with pytest.raises(ValidationError) as info:
        do_add_dimension(module, code="A/B", name="新维度", category="skill",
                         acting_user=world.province_admin)
    [message] = info.value.message_dict["code"]
    assert message.startswith("维度编码：编码不能含有“/”") and "dimension code: A code may not" in message


def test_it_refuses_it_in_model_data(world, model_data):
    model_data["modules"][0]["dimensions"][0]["code"] = "A/B"
    model_data["modules"][0]["code"] = "M 1"
    model_data["requirements"] = {}
    with pytest.raises(ModelDataError) as info:
        do_load_model_data(model_data, org_unit=world.province, acting_user=SystemActor.cli())
    problems = {where: (zh, en) for where, zh, en in info.value.errors}
    assert "“/”" in problems["dimensions[A/B].code"][0]
    assert WEB_ADDRESS in problems["modules[M 1].code"][1]
    assert not CompetencyModel.objects.exists()


def test_it_refuses_it_in_an_imported_workbook(world, model):
    book = load_workbook(io.BytesIO(export_model_xlsx(model)))
    for sheet in book:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.value == "D02":
                    cell.value = "A/B"
    out = io.BytesIO()
    book.save(out)
    report = run_import(registry.get("competency"), out.getvalue(), "model.xlsx",
                        acting_user=SystemActor.cli(), dry_run=False)
    assert not report.ok
    assert any("“/”" in e.reason_zh and WEB_ADDRESS in e.reason_en for e in report.errors), report.as_dict()
    assert not Dimension.objects.filter(code="A/B").exists()
