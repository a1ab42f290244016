import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from openpyxl import load_workbook

from casspath.competency.excel import export_model_xlsx, parse_model_xlsx
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.schema import model_data
from casspath.core.models import AuditEvent


def write(tmp_path, xlsx: bytes, name="model.xlsx"):
    path = tmp_path / name
    path.write_bytes(xlsx)
    return str(path)


def renamed(xlsx: bytes) -> bytes:
    wb = load_workbook(io.BytesIO(xlsx))
    wb["维度"]["E3"] = "目标客户寻找与筛选"
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def run(*args, **kwargs):
    out = io.StringIO()
    call_command(*args, stdout=out, stderr=io.StringIO(), **kwargs)
    return out.getvalue()


def test_it_imports_a_new_version_from_the_command_line(world, model, tmp_path):
    path = write(tmp_path, renamed(export_model_xlsx(model)))
    output = run("import", "competency", path, as_user="padmin")
    assert "created 1" in output
    new = CompetencyModel.objects.get(family="small", version=2)
    model.refresh_from_db()
    assert new.status == CompetencyModel.Status.PUBLISHED and model.status == CompetencyModel.Status.ARCHIVED
    assert new.org_unit == world.province
    assert Dimension.objects.get(model=new, code="D01").name == "目标客户寻找与筛选"
    assert AuditEvent.objects.filter(verb="competency.load_model", actor=world.province_admin).exists()


def test_it_changes_nothing_on_a_dry_run(world, model, tmp_path):
    path = write(tmp_path, renamed(export_model_xlsx(model)))
    output = run("import", "competency", path, dry_run=True, as_user="padmin")
    assert "dry run" in output
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_changes_nothing_when_the_file_is_the_same(world, model, tmp_path):
    run("import", "competency", write(tmp_path, export_model_xlsx(model)))
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_refuses_a_city_admin_for_a_province_model(world, model, tmp_path):
    path = write(tmp_path, renamed(export_model_xlsx(model)))
    with pytest.raises(CommandError):
        run("import", "competency", path, as_user="gzadmin")
    with pytest.raises(CommandError):
        run("import", "competency", path, as_user="E0001")
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_reports_bad_cells_and_imports_nothing(world, model, tmp_path):
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["维度"]["G3"] = "天赋"
    out = io.BytesIO()
    wb.save(out)
    with pytest.raises(CommandError) as info:
        call_command(
            "import",
            "competency",
            write(tmp_path, out.getvalue()),
            stdout=(buffer := io.StringIO()),
            stderr=io.StringIO(),
        )
    assert "维度!类别" in buffer.getvalue() and "天赋" in buffer.getvalue()
    assert "nothing written" in str(info.value)
    assert CompetencyModel.objects.filter(family="small").count() == 1


def test_it_creates_a_new_family_in_the_unit_named_in_the_file(world, model, tmp_path):
    wb = load_workbook(io.BytesIO(export_model_xlsx(model)))
    wb["模型"]["C3"] = "gz-model"
    wb["模型"]["C7"] = "GZ"
    out = io.BytesIO()
    wb.save(out)
    run("import", "competency", write(tmp_path, out.getvalue()), as_user="gzadmin")
    assert CompetencyModel.objects.get(family="gz-model").org_unit == world.city_a


def test_it_exports_the_model_in_use(world, model, tmp_path):
    path = tmp_path / "out.xlsx"
    run("export", "competency", str(path), as_user="E0001")
    assert parse_model_xlsx(path.read_bytes()) == model_data(model)
    with pytest.raises(CommandError):
        run("export", "competency", str(tmp_path / "out.xlsx"), as_user="outsider")


def test_it_imports_a_draft_with_the_as_draft_option(world, model, tmp_path):
    path = write(tmp_path, renamed(export_model_xlsx(model)))
    run("import", "competency", path, as_user="padmin", switches=["as_draft"])
    new = CompetencyModel.objects.get(family="small", version=2)
    model.refresh_from_db()
    assert new.status == CompetencyModel.Status.DRAFT and model.status == CompetencyModel.Status.PUBLISHED


def test_it_refuses_an_option_the_kind_does_not_have(world, model, tmp_path):
    path = write(tmp_path, renamed(export_model_xlsx(model)))
    with pytest.raises(CommandError, match="unknown option for competency: deactivate_everyone"):
        run("import", "competency", path, as_user="padmin", switches=["deactivate_everyone"])
    assert CompetencyModel.objects.filter(family="small").count() == 1
