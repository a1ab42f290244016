"""`casspath import process FILE` and `casspath export process FILE`: the process map as one
sheet (流程地图), parents resolved in memory, every bad value named by row and column in both
languages with nothing written, an export re-imported unchanged (the demo's map), refusals."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.cass.demo_data.work_items import WORK_ITEMS
from casspath.core.demo import DemoRun
from casspath.core.models import AuditEvent
from casspath.core.spreadsheets import append_row, new_workbook, xlsx_bytes
from casspath.imports.models import ImportRun
from casspath.imports.registry import get
from casspath.imports.report import ImportReport
from casspath.knowledge.demo import build_process_map
from casspath.knowledge.demo_process import all_steps
from casspath.knowledge.importers.process import ProcessMapImporter
from casspath.knowledge.models import ProcessStep
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

HEADER = ["步骤编码", "上级编码", "序号", "名称", "目的", "关键技巧", "工具", "维度", "工作编码"]


def sheet(rows, header=HEADER, title="流程地图") -> bytes:
    book = new_workbook()
    ws = book.active
    ws.title = title
    append_row(ws, header)
    for row in rows:
        append_row(ws, row)
    return xlsx_bytes(book)


def cli_import(tmp_path, data: bytes, *args: str, who="consultant_a", name="process.xlsx") -> ImportReport:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        call_command(
            "import",
            "process",
            str(path),
            "--option",
            "unit=GZ",
            "--as",
            who,
            *args,
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    except CommandError:
        pass
    return ImportReport.from_dict(ImportRun.objects.latest("pk").report or {})


def cli_export(tmp_path, name: str, who="consultant_a") -> bytes:
    out = tmp_path / name
    call_command("export", "process", str(out), "--filter", "unit=GZ", "--as", who, stdout=io.StringIO())
    return out.read_bytes()


def tree(cass_map=None) -> dict[str, tuple]:
    steps = ProcessStep.objects.filter(**({"cass_map": cass_map} if cass_map else {}))
    return {
        s.code: (
            s.parent.code if s.parent else None,
            s.order,
            s.name,
            s.purpose,
            s.techniques,
            s.tools,
            tuple(s.dimension_codes),
            tuple(sorted(w.code for w in s.work_items.all())),
        )
        for s in steps.select_related("parent").prefetch_related("work_items")
    }


@pytest.fixture
def demo_map(world):
    """City A's map with the demo's work items (W01–W18) and process map (demo_process.py)."""
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor

    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    who = world.consultant_a
    cass_map = do_create_map(
        org_unit=world.city_a, model_family="default", name="广州 CASS 地图", acting_user=who
    )
    for item in WORK_ITEMS:
        do_save_work_item(
            cass_map,
            {key: item[key] for key in ("code", "name", "importance", "frequency")},
            acting_user=who,
        )
    build_process_map(cass_map, DemoRun(managers=1, seed=1, acting_user=who))
    assert ProcessStep.objects.filter(cass_map=cass_map).count() == len(all_steps())
    return cass_map


def test_it_round_trips_the_demo_map_unchanged(world, tmp_path, demo_map):
    before = tree(demo_map)
    for suffix in (".xlsx", ".csv"):
        data = cli_export(tmp_path, f"process{suffix}")
        report = cli_import(tmp_path, data, name=f"again{suffix}")
        assert report.ok, report.errors
        assert (report.created, report.updated, report.unchanged) == (0, 0, len(before)), report.preview
    assert tree(demo_map) == before
    book = openpyxl.load_workbook(io.BytesIO(cli_export(tmp_path, "p.xlsx")))
    rows = list(book["流程地图"].values)
    assert list(rows[0]) == HEADER and rows[1][:4] == ("PM01", None, 1, "熟悉业务")
    assert rows[2][:3] == ("PM01-1", "PM01", 1)


def test_it_builds_a_tree_whose_parents_come_after_their_children(world, tmp_path, process):
    rows = [
        ["N1-1a", "N1-1", 1, "子步骤", "", "", "", "", ""],
        ["N1-1", "N1", 1, "步骤", "要做什么", "第一条\n第二条", "工具一", "d01；D04", "W02"],
        ["N1", "", 3, "新阶段", "", "", "", "", ""],
        ["P2-2", "P2", "", "接上一步", "", "", "", "", ""],
    ]
    report = cli_import(tmp_path, sheet(rows))
    assert report.ok and report.applied and report.created == 4, report.errors
    now = tree(process)
    assert now["N1"][:2] == (None, 3) and now["N1-1"][:2] == ("N1", 1) and now["N1-1a"][:2] == ("N1-1", 1)
    assert now["N1-1"][4:] == ("第一条\n第二条", "工具一", ("D01", "D04"), ("W02",))
    assert now["P2-2"][:2] == ("P2", 2) and now["P1"][:2] == (None, 1)
    event = AuditEvent.objects.filter(verb="knowledge.import_process_map").get()
    assert event.changes["created"] == 4


def test_it_updates_and_moves_steps_leaving_the_others_as_they_are(world, tmp_path, process):
    rows = [["P1-2", "P2", 1, "名单分级（改）", "", "", "", "", ""]]
    report = cli_import(tmp_path, sheet(rows))
    assert report.ok and report.updated == 1, report.errors
    now = tree(process)
    assert now["P1-2"][:3] == ("P2", 1, "名单分级（改）")
    assert now["P2-1"][:2] == ("P2", 2)  # renumbered around the moved step
    assert now["P1-1"][:2] == ("P1", 1) and now["P1-1a"][0] == "P1-1"
    again = cli_import(tmp_path, sheet(rows), name="again.xlsx")
    assert again.ok and (again.updated, again.unchanged) == (0, 1)


def test_it_keeps_values_of_columns_the_file_lacks(world, tmp_path, process):
    report = cli_import(tmp_path, sheet([["P1-1", "园区扫楼（新名）"]], header=["code", "name"]))
    assert report.ok and report.updated == 1, report.errors
    step = tree(process)["P1-1"]
    assert step[:3] == ("P1", 1, "园区扫楼（新名）") and step[6:] == (("D01", "D04"), ("W01",))


@pytest.mark.parametrize(
    ("rows", "where", "zh", "en"),
    [
        (
            [["A", "B", 1, "甲", "", "", "", "", ""], ["B", "A", 1, "乙", "", "", "", "", ""]],
            (2, "上级编码"),
            "自己的下级",
            "below it",
        ),
        ([["P1", "P1-1a", 1, "寻找目标客户", "", "", "", "", ""]], (2, "上级编码"), "自己的下级", "itself"),
        ([["X", "P1-1a", 1, "太深", "", "", "", "", ""]], (2, "上级编码"), "最多三层", "three levels"),
        ([["P1", "P2", 1, "寻找目标客户", "", "", "", "", ""]], (2, "上级编码"), "第 4 层", "level 4"),
        ([["X", "NOPE", 1, "无上级", "", "", "", "", ""]], (2, "上级编码"), "既不在文件中", "neither in"),
        ([["X", "", 1, "维度", "", "", "", "D01；D99", ""]], (2, "维度"), "D99", "competency model"),
        ([["X", "", 1, "工作", "", "", "", "", "W01；W77"]], (2, "工作编码"), "W77", "not in this CASS map"),
        (
            [["X", "", 1, "一", "", "", "", "", ""], ["X", "", 2, "二", "", "", "", "", ""]],
            (3, "步骤编码"),
            "与第 2 行重复",
            "repeats row 2",
        ),
        ([["X", "", 1, "", "", "", "", "", ""]], (2, "名称"), "必填", "Required"),
        ([["X", "", 1, "长", "目" * 5_001, "", "", "", ""]], (2, "目的"), "超过上限 5000", "limit of 5000"),
        ([["X", "", 1, "长", "", "技" * 5_001, "", "", ""]], (2, "关键技巧"), "上限 5000", "limit of 5000"),
    ],
    ids=[
        "cycle",
        "under-own-sub-step",
        "fourth-level",
        "subtree-too-deep",
        "unknown-parent",
        "unknown-dimension",
        "unknown-work-item",
        "duplicate",
        "blank-name",
        "purpose-too-long",
        "techniques-too-long",
    ],
)
def test_it_names_each_bad_row_and_column_and_writes_nothing(world, tmp_path, process, rows, where, zh, en):
    before = tree(process)
    report = cli_import(tmp_path, sheet([*rows, ["OK1", "", "", "一个好行", "", "", "", "", ""]]))
    assert not report.ok and not report.applied
    errors = {(e.row, e.column): e for e in report.errors}
    assert where in errors, report.errors
    assert zh in errors[where].reason_zh and en in errors[where].reason_en
    assert tree(process) == before


def test_it_takes_english_headers(world, tmp_path, process):
    header = [
        "step code",
        "parent code",
        "order",
        "name",
        "purpose",
        "key techniques",
        "tools",
        "dimensions",
        "work item codes",
    ]
    report = cli_import(
        tmp_path, sheet([["E1", "P2", 1, "英文表头", "", "", "", "D05", "W01"]], header=header)
    )
    assert report.ok and report.created == 1, report.errors
    assert tree(process)["E1"][:2] == ("P2", 1) and tree(process)["P2-1"][1] == 2


def test_it_writes_nothing_on_a_dry_run(world, tmp_path, process):
    report = cli_import(tmp_path, sheet([["D1", "", 1, "试运行", "", "", "", "", ""]]), "--dry-run")
    assert report.ok and report.created == 1 and not report.applied
    assert not ProcessStep.objects.filter(code="D1").exists()


def test_it_imports_the_templates_example_rows_as_they_stand(world, tmp_path, demo_map):
    importer = get("process")
    assert isinstance(importer, ProcessMapImporter)
    rows = [[example.get(column.key) for column in importer.columns] for example in importer.examples]
    assert [c.header_zh for c in importer.columns] == HEADER and rows[1][:2] == ["PM01-1", "PM01"]
    ProcessStep.objects.filter(cass_map=demo_map, code__startswith="PM01").delete()
    report = cli_import(tmp_path, sheet(rows))
    assert report.ok and report.created == 2, report.errors
    assert tree(demo_map)["PM01-1"][0] == "PM01"


def test_it_refuses_a_manager_and_another_citys_consultant(world, tmp_path, process):
    before = tree(process)
    path = tmp_path / "p.xlsx"
    path.write_bytes(sheet([["Z1", "", 1, "不许", "", "", "", "", ""]]))
    with pytest.raises(CommandError):
        call_command(
            "import",
            "process",
            str(path),
            "--option",
            "unit=GZ",
            "--as",
            "E0001",
            stdout=io.StringIO(),
            stderr=io.StringIO(),
        )
    report = cli_import(tmp_path, sheet([["Z1", "", 1, "不许", "", "", "", "", ""]]), who="consultant_b")
    assert not report.ok and report.file_error
    with pytest.raises(CommandError):
        cli_export(tmp_path, "p.xlsx", who="E0001")
    with pytest.raises(CommandError):
        cli_export(tmp_path, "p.xlsx", who="consultant_b")
    assert tree(process) == before


def test_it_lets_the_citys_training_admin_import(world, tmp_path, process):
    report = cli_import(tmp_path, sheet([["G1", "", "", "管理员加的", "", "", "", "", ""]]), who="gzadmin")
    assert report.ok and report.applied, report.errors
    assert tree(process)["G1"][:2] == (None, 3)


def test_it_lists_then_removes_the_steps_missing_from_the_file_when_asked(world, tmp_path, process):
    rows = [
        ["P1", "", 1, "寻找目标客户", "找到值得拜访的企业", "", "", "", ""],
        ["P1-1", "P2", 1, "园区扫楼", "", "", "", "", ""],  # moved to P2: stays; its sub-steps go
        ["P2", "", 2, "客户拜访", "", "", "", "", ""],
    ]
    dry = cli_import(tmp_path, sheet(rows), "--option", "remove_missing", "--dry-run")
    assert dry.ok and not dry.applied, dry.errors
    listed = " ".join(w.message_en for w in dry.warnings)
    for code in ("P1-2", "P2-1", "P1-1a", "P1-1b"):
        assert code in listed, code
    assert ProcessStep.objects.filter(cass_map=process).count() == 7
    report = cli_import(tmp_path, sheet(rows), "--option", "remove_missing", name="real.xlsx")
    assert report.ok and report.applied, report.errors
    now = tree(process)
    assert set(now) == {"P1", "P1-1", "P2"} and now["P1-1"][:2] == ("P2", 1)
    event = AuditEvent.objects.filter(verb="knowledge.import_process_map").get()
    assert event.changes["remove_missing"] is True and event.changes["removed"] == 4


def test_it_refuses_a_row_whose_parent_would_be_removed(world, tmp_path, process):
    report = cli_import(
        tmp_path, sheet([["P1-2", "P1", 1, "名单分级", "", "", "", "", ""]]), "--option", "remove_missing"
    )
    assert not report.ok
    error = next(e for e in report.errors if e.column == "上级编码")
    assert "P1" in error.reason_zh and "removed as missing" in error.reason_en
    assert ProcessStep.objects.filter(cass_map=process).count() == 7


def test_it_leaves_the_missing_steps_without_the_option(world, tmp_path, process):
    report = cli_import(tmp_path, sheet([["P2", "", 2, "客户拜访", "", "", "", "", ""]]))
    assert report.ok and not report.warnings and report.unchanged == 1
    assert ProcessStep.objects.filter(cass_map=process).count() == 7


def test_it_offers_the_import_page_and_template_to_an_editor_only(client, world, process):
    log_in(client, world.consultant_a)
    page = client.get("/imports/process/")
    assert page.status_code == 200 and "remove_missing" in page.content.decode()
    template = client.get("/imports/process/template.xlsx")
    assert template.status_code == 200
    assert openpyxl.load_workbook(io.BytesIO(template.content)).sheetnames[0] == "流程地图"
    log_in(client, world.manager)
    assert client.get("/imports/process/").status_code in (403, 404)
