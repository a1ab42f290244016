"""`casspath import cass FILE` and `casspath export cass FILE`: the whole map as one workbook."""

import io
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from python_calamine import CalamineWorkbook

from casspath.cass.models import ActionSkill, CassMap, KeyAction, Resource, ResourceSkill, WorkItem
from casspath.cass.tests.workbooks import ACTIONS, ITEMS, RESOURCES, SKILLS, workbook
from casspath.core.models import AuditEvent
from casspath.imports.models import ImportRun
from casspath.imports.report import ImportReport

pytestmark = pytest.mark.usefixtures("cass_model")


def cli_import(tmp_path, data: bytes, *args: str, name: str = "map.xlsx") -> ImportReport:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        call_command("import", "cass", str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        pass
    return ImportReport.from_dict(ImportRun.objects.latest("pk").report or {})


def cli_export(tmp_path, *args: str, name: str = "out.xlsx") -> bytes:
    path = tmp_path / name
    call_command("export", "cass", str(path), *args, stdout=io.StringIO())
    return path.read_bytes()


def sheets_of(data: bytes) -> dict[str, Any]:
    book = CalamineWorkbook.from_filelike(io.BytesIO(data))
    return {name: book.get_sheet_by_name(name).to_python() for name in book.sheet_names}


def counts() -> tuple[int, ...]:
    return (
        CassMap.objects.count(),
        WorkItem.objects.count(),
        KeyAction.objects.count(),
        ActionSkill.objects.count(),
        Resource.objects.count(),
        ResourceSkill.objects.count(),
    )


def test_it_imports_the_whole_map_creating_it(world, tmp_path):
    report = cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    assert report.ok and report.applied, report.errors
    cass_map = CassMap.objects.get()
    assert (cass_map.org_unit, cass_map.model_family) == (world.city_a, "default")
    assert report.created == 2 + 3 + 4 + 3
    item = WorkItem.objects.get(code="W01")
    assert sorted(s.code for s in item.stages.all()) == ["development", "growth"]
    assert [p.code for p in item.positions.all()] == ["account_manager"]
    action = KeyAction.objects.get(code="A0102")
    assert action.study_modes == ["pre_shift"] and action.checks == ["spot_quiz", "observation"]
    assert dict(action.skills.values_list("dimension_code", "level")) == {"D01": 2}
    article = Resource.objects.get(code="R001")
    assert article.status == "published" and article.devices == ["phone", "pc"] and article.published_at
    assert dict(article.skills.values_list("dimension_code", "level")) == {"D01": 3, "D07": 2}
    assert [a.code for a in article.key_actions.all()] == ["A0101"]
    assert AuditEvent.objects.filter(verb="cass.import_map").count() == 1


def test_it_keeps_a_media_resource_without_its_file_a_draft_and_says_so(world, tmp_path):
    report = cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    assert report.ok
    assert Resource.objects.get(code="R002").status == "draft"
    assert any("R002" in w.message_zh and "草稿" in w.message_zh for w in report.warnings)
    assert any("R002" in w.message_en and "draft" in w.message_en for w in report.warnings)


def test_it_round_trips_export_import_export_with_no_change(world, tmp_path):
    cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    first = cli_export(tmp_path, "--filter", "unit=GZ", "--as", "consultant_a")
    assert list(sheets_of(first)) == ["工作内容", "关键动作", "动作技能", "学习资源"]
    before = counts()
    report = cli_import(tmp_path, first, "--option", "unit=GZ", "--as", "consultant_a", name="again.xlsx")
    assert report.ok and report.applied
    assert (report.created, report.updated) == (0, 0)
    assert report.unchanged == report.total == 2 + 3 + 4 + 3
    assert any(c.action == "unchanged" and "不做任何更改" in c.text_zh for c in report.preview)
    assert counts() == before
    second = cli_export(tmp_path, "--filter", "unit=GZ", "--as", "consultant_a", name="out2.xlsx")
    assert sheets_of(second) == sheets_of(first)


def test_it_reimports_the_same_file_changing_nothing(world, tmp_path):
    cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    stamp = CassMap.objects.get().updated_at
    report = cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 12)
    assert CassMap.objects.get().updated_at == stamp


def test_it_writes_nothing_on_a_dry_run(world, tmp_path):
    report = cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--dry-run", "--as", "consultant_a")
    assert report.ok and not report.applied and report.created == 12
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_names_sheet_row_and_column_of_a_bad_row_and_writes_nothing(world, tmp_path):
    skills = [*SKILLS, ["A0201", "D99", 2]]
    actions = [row[:] for row in ACTIONS]
    actions[2][1] = "W09"
    report = cli_import(
        tmp_path, workbook(actions=actions, skills=skills), "--option", "unit=GZ", "--as", "consultant_a"
    )
    assert not report.ok and not report.applied
    by_column = {(e.column, e.row): e for e in report.errors}
    assert ("动作技能!维度编码", 6) in by_column
    assert "D99" in by_column[("动作技能!维度编码", 6)].reason_zh
    assert "not in the applying competency model" in by_column[("动作技能!维度编码", 6)].reason_en
    assert ("关键动作!工作编码", 3) in by_column
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_reports_a_bad_value_in_both_languages(world, tmp_path):
    items = [row[:] for row in ITEMS]
    items[1][3] = 7
    resources = [row[:] for row in RESOURCES]
    resources[1][6] = "午休学"
    report = cli_import(
        tmp_path, workbook(items=items, resources=resources), "--option", "unit=GZ", "--as", "consultant_a"
    )
    errors = {e.column: e for e in report.errors}
    assert errors["工作内容!重要性"].row == 2 and "1–5" in errors["工作内容!重要性"].reason_zh
    assert "whole number" in errors["工作内容!重要性"].reason_en
    assert errors["学习资源!学习模式"].value == "午休学"
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_updates_what_changed_and_replaces_an_actions_skills(world, tmp_path):
    cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    items = [row[:] for row in ITEMS]
    items[2][3] = 2
    skills = [row for row in SKILLS if row[:2] != ["A0101", "D07"]]
    report = cli_import(
        tmp_path, workbook(items=items, skills=skills), "--option", "unit=GZ", "--as", "consultant_a"
    )
    assert report.ok and report.created == 0 and report.updated == 2
    assert WorkItem.objects.get(code="W02").importance == 2
    assert dict(KeyAction.objects.get(code="A0101").skills.values_list("dimension_code", "level")) == {
        "D01": 3
    }


def test_it_refuses_a_manager(world, tmp_path):
    path = tmp_path / "map.xlsx"
    path.write_bytes(workbook())
    with pytest.raises(CommandError):
        call_command(
            "import", "cass", str(path), "--option", "unit=GZ", "--as", "E0001", stdout=io.StringIO()
        )
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_refuses_another_citys_consultant(world, tmp_path):
    report = cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_b")
    assert not report.ok and report.file_error is not None
    assert "GZ" in report.file_error["message_zh"] and "outside the scope" in report.file_error["message_en"]
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_takes_the_actors_one_scope_root_when_no_unit_is_named(world, tmp_path):
    report = cli_import(tmp_path, workbook(), "--as", "gzadmin")
    assert report.ok and CassMap.objects.get().org_unit == world.city_a


def test_it_refuses_an_export_of_another_citys_map(world, tmp_path):
    cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a")
    with pytest.raises(CommandError):
        cli_export(tmp_path, "--filter", "unit=GZ", "--as", "consultant_b")


def test_it_offers_the_unit_and_family_options_on_the_import_page(world, client):
    client.force_login(world.consultant_a)
    page = client.get("/imports/cass/")
    assert page.status_code == 200
    text = page.content.decode()
    assert '<input type="text" name="unit"' in text and '<input type="text" name="family"' in text


def test_it_refuses_a_resources_dimension_outside_the_model(world, tmp_path):
    resources = [row[:] for row in RESOURCES]
    resources[3][7] = "D05:3；D99:1"
    report = cli_import(tmp_path, workbook(resources=resources), "--option", "unit=GZ",
                        "--as", "consultant_a")
    assert not report.ok
    error = next(e for e in report.errors if e.column == "学习资源!维度与等级")
    assert error.row == 4 and "D99" in error.reason_zh and "D99" in error.reason_en
    assert counts() == (0, 0, 0, 0, 0, 0)


def test_it_serves_a_template_with_the_four_sheets_and_instructions(world, client):
    client.force_login(world.consultant_a)
    response = client.get("/imports/cass/template.xlsx")
    assert response.status_code == 200
    sheets = sheets_of(response.content)
    assert list(sheets) == ["工作内容", "关键动作", "动作技能", "学习资源", "说明"]
    assert sheets["学习资源"][0][:3] == ["资源编码", "类型", "标题"]


def test_it_refuses_a_guide_made_or_unmade_by_a_kind_and_writes_nothing(world, tmp_path):
    # A work guide is a resource with its guide beside it (steps, images): a row of that kind
    # would be a guide with no guide, and a guide's resource turned article would leave it hanging.
    from casspath.knowledge.actions.guides import do_create_guide

    assert cli_import(tmp_path, workbook(), "--option", "unit=GZ", "--as", "consultant_a").applied
    who = world.consultant_a
    guide = do_create_guide(WorkItem.objects.get(code="W01"), title="扫楼指引", acting_user=who)
    before = counts()
    rest = [3, "手机", "途中学", "D01:1", "W01", ""]
    resources = [row[:] for row in RESOURCES]
    resources.append(["G900", "工作指引", "没有步骤的指引", "", *rest, "已发布"])
    resources.append([guide.resource.code, "文章", "扫楼指引", "", *rest, "草稿"])
    options = ("--option", "unit=GZ", "--as", "consultant_a")
    report = cli_import(tmp_path, workbook(resources=resources), *options)
    assert not report.applied
    refused = {e.row: e for e in report.errors if e.column == "学习资源!类型"}
    assert set(refused) == {5, 6}, report.errors
    assert "工作指引" in refused[5].reason_zh and "work guide" in refused[5].reason_en
    assert counts() == before
    assert Resource.objects.get(pk=guide.resource_id).kind == "work_guide"
