"""`casspath import qa-cards FILE` and `casspath export qa-cards FILE`."""

import io

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casspath.cass.models import CassMap, QACard, Resource
from casspath.cass.tests.workbooks import CARDS, card_file, workbook
from casspath.imports.models import ImportRun
from casspath.imports.report import ImportReport
from casspath.imports.tests.helpers import csv_bytes, example_rows

pytestmark = pytest.mark.usefixtures("cass_model")


def cli_import(tmp_path, kind: str, data: bytes, *args: str, name: str = "cards.xlsx") -> ImportReport:
    path = tmp_path / name
    path.write_bytes(data)
    try:
        call_command("import", kind, str(path), *args, stdout=io.StringIO(), stderr=io.StringIO())
    except CommandError:
        pass
    return ImportReport.from_dict(ImportRun.objects.latest("pk").report or {})


@pytest.fixture
def city_map(world, tmp_path):
    report = cli_import(
        tmp_path, "cass", workbook(), "--option", "unit=GZ", "--as", "consultant_a", name="map.xlsx"
    )
    assert report.ok
    return CassMap.objects.get()


def test_it_imports_cards_as_published_qa_card_resources(world, tmp_path, city_map):
    report = cli_import(tmp_path, "qa-cards", card_file(), "--option", "unit=GZ", "--as", "consultant_a")
    assert report.ok and report.applied and report.created == 3, report.errors
    card = QACard.objects.get(resource__code="QA001")
    assert card.resource.kind == "qa_card" and card.resource.status == "published"
    assert card.resource.duration_minutes == 1 and card.resource.devices == ["phone"]
    assert card.tags == ["专线", "宽带"] and card.product_code == "DL-100"
    assert [w.code for w in card.resource.work_items.all()] == ["W01"]
    assert dict(card.resource.skills.values_list("dimension_code", "level")) == {"D07": 1}
    second = QACard.objects.get(resource__code="QA002")
    assert dict(second.resource.skills.values_list("dimension_code", "level")) == {"D07": 2}
    assert card.resource.title == "专线和宽带有什么区别？"


def test_it_reimports_and_round_trips_with_no_change(world, tmp_path, city_map):
    cli_import(tmp_path, "qa-cards", card_file(), "--option", "unit=GZ", "--as", "consultant_a")
    for suffix in (".xlsx", ".csv"):
        out = tmp_path / f"cards{suffix}"
        call_command(
            "export",
            "qa-cards",
            str(out),
            "--filter",
            "unit=GZ",
            "--as",
            "consultant_a",
            stdout=io.StringIO(),
        )
        report = cli_import(
            tmp_path,
            "qa-cards",
            out.read_bytes(),
            "--option",
            "unit=GZ",
            "--as",
            "consultant_a",
            name=f"again{suffix}",
        )
        assert report.ok and (report.created, report.updated, report.unchanged) == (0, 0, 3), report.preview
        assert any(c.action == "unchanged" for c in report.preview)
    assert Resource.objects.filter(kind="qa_card").count() == 3


def test_it_keeps_a_cards_status_when_the_column_is_blank_and_takes_a_duration(world, tmp_path, city_map):
    rows = [[*CARDS[0], "状态", "时长"], [*CARDS[1], "草稿", 2]]
    report = cli_import(tmp_path, "qa-cards", card_file(rows), "--option", "unit=GZ", "--as", "consultant_a")
    assert report.ok
    resource = Resource.objects.get(code="QA001")
    assert (resource.status, resource.duration_minutes) == ("draft", 2)


def test_it_writes_nothing_on_a_dry_run(world, tmp_path, city_map):
    report = cli_import(
        tmp_path, "qa-cards", card_file(), "--option", "unit=GZ", "--dry-run", "--as", "consultant_a"
    )
    assert report.ok and report.created == 3 and not report.applied
    assert not QACard.objects.exists()


def test_it_names_the_row_and_column_of_a_bad_card_and_writes_nothing(world, tmp_path, city_map):
    rows = [row[:] for row in CARDS]
    rows[2][3] = "D99"
    rows[3][2] = ""
    report = cli_import(tmp_path, "qa-cards", card_file(rows), "--option", "unit=GZ", "--as", "consultant_a")
    assert not report.ok
    errors = {(e.row, e.column): e for e in report.errors}
    assert "D99" in errors[(3, "维度")].reason_zh and "competency model" in errors[(3, "维度")].reason_en
    assert (4, "回答") in errors
    assert not QACard.objects.exists()


def test_it_refuses_a_manager_and_another_citys_consultant(world, tmp_path, city_map):
    path = tmp_path / "cards.xlsx"
    path.write_bytes(card_file())
    with pytest.raises(CommandError):
        call_command(
            "import", "qa-cards", str(path), "--option", "unit=GZ", "--as", "E0001", stdout=io.StringIO()
        )
    report = cli_import(tmp_path, "qa-cards", card_file(), "--option", "unit=GZ", "--as", "consultant_b")
    assert not report.ok and report.file_error
    assert not QACard.objects.exists()


def test_it_refuses_a_cass_workbook_row_of_kind_qa_card(world, tmp_path, city_map):
    from casspath.cass.tests.workbooks import RESOURCES

    resources = [*RESOURCES, ["QX1", "问答卡", "一张卡", "", 1, "手机", "", "", "", "", "已发布"]]
    report = cli_import(
        tmp_path,
        "cass",
        workbook(resources=resources),
        "--option",
        "unit=GZ",
        "--as",
        "consultant_a",
        name="map2.xlsx",
    )
    assert not report.ok
    assert any(e.column == "学习资源!类型" and "qa-cards" in e.reason_en for e in report.errors)


def test_it_the_templates_example_card_imports_as_it_stands(world, tmp_path, city_map):
    rows = example_rows("qa-cards")
    report = cli_import(tmp_path, "qa-cards", csv_bytes(rows), "--option", "unit=GZ", "--as", "consultant_a",
                        name="cards.csv")
    assert report.ok and report.applied, report.as_dict()
    assert QACard.objects.filter(resource__code=rows[1][0]).exists()
