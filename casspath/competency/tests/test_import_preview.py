"""The competency import's preview says what will change in a consultant's words, in both
languages, instead of field names and counts ("行 0 · default v3 · 新增 owner: — → GD")."""

import copy
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import load_workbook

from casspath.competency.diff import describe, diff_model_data
from casspath.competency.excel import export_model_xlsx
from casspath.imports.models import ImportRun

from .conftest import SMALL_MODEL, login

KIND_URL = reverse("imports:kind", args=["competency"])


def _dry_run(client, data: bytes, **options):
    client.post(KIND_URL, {"file": SimpleUploadedFile("model.xlsx", data), "dry_run": "on", **options})
    run = ImportRun.objects.latest("pk")
    return run, client.get(reverse("imports:run", args=[run.pk])).content.decode()


def _renamed(model) -> bytes:
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["模型"]["C4"] = "小模型（修订）"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_says_which_version_it_makes_for_which_unit_and_what_changes(world, model):
    run, page = _dry_run(login(world.province_admin), _renamed(model), as_draft="on")
    assert "新建版本 v2（草稿，检查后在模型页面发布）；所属单位 广东公司（GD）" in page
    assert "new version v2 as a draft (publish it on the model&#x27;s page); owner unit 广东公司 (GD)" in page
    assert "修改模型的名称" in page and "model name changed" in page
    assert "owner:" not in page and "<td>0</td>" not in page


def test_it_says_when_the_file_changes_nothing(world, model):
    run, page = _dry_run(login(world.province_admin), export_model_xlsx(model))
    assert "与现有 v1 完全相同，不做任何更改" in page and "nothing changes" in page


def test_it_words_indicator_dimension_and_requirement_changes():
    old = copy.deepcopy(SMALL_MODEL)
    new = copy.deepcopy(SMALL_MODEL)
    dimension = new["modules"][0]["dimensions"][0]
    dimension["levels"][2]["indicators"].append("新的一条")
    new["modules"][0]["dimensions"].append({**copy.deepcopy(dimension), "code": "D09"})
    stage, cells = next(iter(new["requirements"]["stages"].items()))
    code = next(iter(cells))
    cells[code] = [cells[code][0], cells[code][1] + 5]
    lines = describe(diff_model_data(old, new), {"stages": {stage: ("成长期", "growing")}})
    assert ("新增维度 D09", "dimension D09 added") in lines
    assert (f"维度 {dimension['code']} L3 行为指标新增 1 条",
            f"dimension {dimension['code']} L3 indicators: 1 added") in lines
    assert any(zh.startswith("阶段「成长期」的要求修改 1 项")
               and en.startswith("stage growing: 1 requirement") for zh, en in lines)
