"""`casspath export cases FILE`: a map's case library in the import's columns, as .xlsx or
.csv; re-importing it changes nothing; whoever may not edit the map is refused."""

import io

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from casspath.core.models import AuditEvent
from casspath.core.spreadsheets import read_back
from casspath.knowledge.actions.cases import do_submit_case
from casspath.knowledge.models import Case
from casspath.knowledge.tests.conftest import write_case
from casspath.knowledge.tests.test_cases_import import HEADER, ROW_A, ROW_B, cli_import, table

pytestmark = pytest.mark.django_db


def cli_export(tmp_path, name: str, who: str = "consultant_a", *args: str) -> bytes:
    out = tmp_path / name
    call_command("export", "cases", str(out), "--as", who, *args, stdout=io.StringIO(), stderr=io.StringIO())
    return out.read_bytes()


def csv_rows(data: bytes) -> list[list[str]]:
    import csv

    return [[read_back(cell) for cell in row] for row in csv.reader(io.StringIO(data.decode("utf-8-sig")))]


@pytest.fixture
def library(world, tagged, tmp_path):
    """ROW_A published, ROW_B a draft (both imported), and the manager's case in review."""
    assert cli_import(tmp_path, table(ROW_A, ROW_B)).applied
    return do_submit_case(
        write_case(tagged["gov"].cass_map, world.manager, title="还在审核"), acting_user=world.manager
    )


def test_it_exports_every_case_in_the_imports_columns(world, library, tmp_path):
    rows = csv_rows(cli_export(tmp_path, "cases.csv"))
    assert rows[0] == HEADER and len(rows) == 4
    by_title = {row[1]: row for row in rows[1:]}
    assert by_title["七楼的装修噪音"] == [*ROW_A[:9], "P1-1；P1-1a", "D01；D04", *ROW_A[11:]]
    assert by_title["第十二通电话"][16] == "草稿" and by_title["第十二通电话"][15] == "E0002"
    waiting = by_title["还在审核"]
    assert (waiting[0], waiting[16]) == (library.code, "")  # in review: a blank status keeps it
    book = openpyxl.load_workbook(io.BytesIO(cli_export(tmp_path, "cases.xlsx")))
    assert book.sheetnames == ["案例"]
    assert [[cell or "" for cell in row] for row in book["案例"].iter_rows(values_only=True)] == rows
    event = AuditEvent.objects.filter(verb="knowledge.export_cases").latest("pk")
    assert event.actor_id == world.consultant_a.pk


@pytest.mark.parametrize("suffix", [".csv", ".xlsx"])
def test_it_reimports_its_export_with_no_change(world, library, tmp_path, suffix):
    before = list(Case.objects.order_by("code").values_list("code", "status", "title", "author_id"))
    report = cli_import(tmp_path, cli_export(tmp_path, f"cases{suffix}"), name=f"again{suffix}")
    assert report.ok and report.applied
    assert (report.created, report.updated, report.unchanged) == (0, 0, 3)
    assert list(Case.objects.order_by("code").values_list("code", "status", "title", "author_id")) == before


def test_it_refuses_whoever_may_not_edit_the_map_and_a_file_it_cannot_write(world, library, tmp_path):
    for who in ("E0001", "outsider"):
        with pytest.raises(CommandError):
            cli_export(tmp_path, "cases.csv", who)
    with pytest.raises(CommandError, match="GZ"):
        cli_export(tmp_path, "cases.csv", "consultant_b", "--filter", "unit=GZ")
    with pytest.raises(CommandError, match=r"\.xlsx 或 \.csv"):
        cli_export(tmp_path, "cases.pdf")
    assert not (tmp_path / "cases.pdf").exists()
