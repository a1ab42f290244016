"""`casspath import performance FILE`: the three forms, money and months as files write
them, replacing months, scope and refusals."""

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes, xlsx_bytes
from casspath.performance.models import PerformanceRecord
from casspath.performance.queries import employee_months
from casspath.testing import make_employee


def _run(data, filename="performance.csv", *, user=None, dry_run=False):
    return run_import(registry.get("performance"), data, filename,
                      acting_user=user or SystemActor.cli(), dry_run=dry_run)


def _months(employee):
    return {month: (total, big) for month, total, big in employee_months(employee)}


def _read_as(report) -> str:
    return report.warnings[0].message_en


def test_it_imports_long_monthly_summaries_with_money_as_files_write_it(world):
    rows = [
        ["工号", "月份", "贡献", "大单金额"],
        ["E0001", "2026-01", "1,234.50", ""],
        ["E0001", "2026/2", "¥1234", "1000"],
        ["E0001", "2026年3月", "1.2万", ""],
        ["E0002", "２０２６－０１", "１２３", ""],
    ]
    report = _run(csv_bytes(rows))
    assert report.ok and report.applied and report.created == 4, report.as_dict()
    assert _read_as(report) == "Read as monthly summaries, long form (a person's month a row)."
    assert _months(world.manager_employee) == {
        date(2026, 1, 1): (Decimal("1234.50"), Decimal("0")),
        date(2026, 2, 1): (Decimal("1234"), Decimal("1000")),
        date(2026, 3, 1): (Decimal("12000"), Decimal("0")),
    }
    assert _months(world.colleague) == {date(2026, 1, 1): (Decimal("123"), Decimal("0"))}
    assert AuditEvent.objects.filter(verb="import.performance").count() == 1


def test_it_reads_excel_numbers_and_dates_and_says_it_read_the_wide_form(world):
    rows: list[list] = [
        ["工号", date(2026, 1, 1), "2026-02", "2026年3月"],
        ["E0001", 1500.25, 0, None],
        ["E0002", None, 800, 60000],
    ]
    report = _run(xlsx_bytes(rows), "performance.xlsx", dry_run=True)
    assert report.ok and not report.applied and report.created == 4, report.as_dict()
    assert _read_as(report) == "Read as monthly summaries, wide form (a person a row, a month a column)."
    assert not PerformanceRecord.objects.exists()
    report = _run(xlsx_bytes(rows), "performance.xlsx")
    assert report.ok and report.created == 4
    assert _months(world.manager_employee) == {
        date(2026, 1, 1): (Decimal("1500.25"), Decimal("0")), date(2026, 2, 1): (Decimal("0"), Decimal("0")),
    }
    # A blank cell is no figure for that month.
    assert set(_months(world.colleague)) == {date(2026, 2, 1), date(2026, 3, 1)}


def test_it_line_items_sum_per_month_and_big_deals_are_flagged_or_reach_the_threshold(world, settings):
    rows = [
        ["工号", "日期", "金额", "产品", "是否大单"],
        ["E0001", "2026-03-02", "300", "专线", ""],
        ["E0001", "2026-03-20", "50000", "云专网", ""],
        ["E0001", "2026-03-21", "2000", "物联网", "是"],
        ["E0001", "2026-04-01", "49999.99", "", "否"],
    ]
    report = _run(csv_bytes(rows))
    assert report.ok and report.created == 4, report.as_dict()
    assert _read_as(report) == "Read as line items (one sale a row)."
    assert _months(world.manager_employee) == {
        date(2026, 3, 1): (Decimal("52300"), Decimal("52000")),
        date(2026, 4, 1): (Decimal("49999.99"), Decimal("0")),
    }
    # The threshold is read when records are read: no re-import needed.
    settings.CASSPATH = {**settings.CASSPATH, "PERFORMANCE_BIG_DEAL_THRESHOLD": 40_000}
    assert _months(world.manager_employee)[date(2026, 4, 1)] == (Decimal("49999.99"), Decimal("49999.99"))
    record = PerformanceRecord.objects.get(product="专线")
    assert (record.day, record.month, record.kind) == (date(2026, 3, 2), date(2026, 3, 1), "item")


def test_it_replaces_a_month_for_the_files_employees_only_and_the_same_file_is_unchanged(world):
    first = [["工号", "月份", "贡献"], ["E0001", "2026-01", "100"], ["E0001", "2026-02", "200"],
             ["E0002", "2026-01", "300"]]
    assert _run(csv_bytes(first)).created == 3
    again = _run(csv_bytes(first))
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 3)
    # Line items for E0001's January replace its summary; February and E0002 stay.
    items = [["工号", "月份", "金额"], ["E0001", "2026-01", "40"], ["E0001", "2026-01", "60.5"]]
    report = _run(csv_bytes(items))
    assert report.ok and (report.created, report.updated, report.unchanged) == (0, 2, 0), report.as_dict()
    assert report.preview[0].fields == {"amount": ["100.00", "100.5"]}
    assert _months(world.manager_employee) == {
        date(2026, 1, 1): (Decimal("100.50"), Decimal("0")), date(2026, 2, 1): (Decimal("200"), Decimal("0")),
    }
    assert _months(world.colleague) == {date(2026, 1, 1): (Decimal("300"), Decimal("0"))}
    january = PerformanceRecord.objects.filter(employee=world.manager_employee, month=date(2026, 1, 1))
    assert january.count() == 2
    # The same line items in another order: nothing changes.
    shuffled = [items[0], items[2], items[1]]
    assert (_run(csv_bytes(shuffled)).unchanged, PerformanceRecord.objects.count()) == (2, 4)


def test_it_bad_rows_name_their_row_and_column_in_both_languages_and_nothing_is_written(world):
    rows = [
        ["工号", "月份", "贡献", "大单金额"],
        ["E0001", "2026-13", "100", ""],
        ["E0001", "2026-01", "12.345", ""],
        ["NOBODY", "2026-01", "100", ""],
        ["E0002", "2026-01", "100", "200"],
        ["E0002", "2026-02", "abc", ""],
        ["E0002", "2026-02", "", ""],
        ["E0001", "2026-03", "1", ""],
        ["E0001", "2026-03", "2", ""],
        ["E0100", "2026-05", "5", ""],
    ]
    report = _run(csv_bytes(rows))
    assert not report.ok and not report.applied
    found = {(e.row, e.column): (e.reason_zh, e.reason_en) for e in report.errors}
    # Row 7 is both blank and a second February of E0002's.
    assert set(found) == {(2, "月份"), (3, "贡献"), (4, "工号"), (5, "大单金额"), (6, "贡献"), (7, "贡献"),
                          (7, "月份"), (9, "月份")}
    assert found[(2, "月份")] == ("月份应在 1 到 12 之间。", "The month must be between 1 and 12.")
    assert found[(3, "贡献")][1] == "An amount has at most two decimals (fen)."
    assert found[(9, "月份")] == ("该员工的这个月已在第 8 行。", "This employee's month is already in row 8.")
    assert not PerformanceRecord.objects.exists()
    assert not AuditEvent.objects.filter(verb="import.performance").exists()


def test_it_line_items_need_a_date_or_a_month_in_it(world):
    rows = [["工号", "日期", "月份", "金额"], ["E0001", "2026-03-02", "2026-04", "1"], ["E0001", "", "", "2"]]
    report = _run(csv_bytes(rows))
    assert [(e.row, e.column) for e in report.errors] == [(2, "日期"), (3, "日期")]
    no_month = _run(csv_bytes([["工号", "金额"], ["E0001", "2"]]))
    assert no_month.file_error is not None and "日期" in no_month.file_error["message_zh"]


def test_it_a_city_admin_imports_his_citys_employees_only(world):
    rows = [["工号", "月份", "贡献"], ["E0001", "2026-01", "100"], ["E0100", "2026-01", "100"]]
    report = _run(csv_bytes(rows), user=world.city_admin_a)
    assert not report.ok
    assert [(e.row, e.column, e.value) for e in report.errors] == [(3, "工号", "E0100")]
    assert not PerformanceRecord.objects.exists()
    ours = _run(csv_bytes(rows[:2]), user=world.city_admin_a)
    assert ours.ok and ours.applied and PerformanceRecord.objects.count() == 1
    event = AuditEvent.objects.get(verb="import.performance")
    assert event.org_unit_id == world.city_a.pk


def test_it_a_manager_cannot_import(world, tmp_path):
    path = tmp_path / "performance.csv"
    path.write_bytes(csv_bytes([["工号", "月份", "贡献"], ["E0001", "2026-01", "100"]]))
    with pytest.raises(CommandError):
        call_command("import", "performance", str(path), "--as", world.manager.username)
    assert not PerformanceRecord.objects.exists()
    assert not registry.get("performance").scope.allows(world.manager)


def test_it_the_command_imports_a_file_and_the_records_name_their_run(world, tmp_path, capsys):
    path = tmp_path / "performance.csv"
    path.write_bytes(csv_bytes([["工号", "月份", "贡献"], ["E0001", "2026-01", "100"]]))
    call_command("import", "performance", str(path))
    record = PerformanceRecord.objects.get()
    assert record.import_run is not None and record.import_run.kind == "performance"


def test_it_the_template_is_the_long_form_with_instructions_for_all_three(world):
    book = load_workbook(__import__("io").BytesIO(registry.get("performance").template()))
    headers = [cell.value for cell in book.worksheets[0][1]]
    assert headers == ["工号", "月份", "贡献", "大单金额"]
    text = " ".join(str(c.value) for row in book["说明 Instructions"].iter_rows() for c in row if c.value)
    assert "宽表" in text and "明细" in text


def test_it_an_employee_who_left_keeps_his_months(world):
    gone = make_employee("E0200", "离职员工", world.team_a)
    gone.status = "left"
    gone.save()
    report = _run(csv_bytes([["工号", "月份", "贡献"], ["E0200", "2026-01", "5"]]))
    assert report.ok and PerformanceRecord.objects.filter(employee=gone).exists()


def test_it_refuses_months_and_days_to_come_and_takes_this_months_figures_so_far(world):
    from django.utils import timezone

    today = timezone.localdate()
    this_month = today.replace(day=1)
    next_month = (this_month + timedelta(days=32)).replace(day=1)
    rows = [["工号", "月份", "贡献"], ["E0001", f"{this_month:%Y-%m}", "100"],
            ["E0001", f"{next_month:%Y-%m}", "100"], ["E0002", "2099-03", "5"]]
    report = _run(csv_bytes(rows))
    assert not report.applied and {(e.row, e.column) for e in report.errors} == {(3, "月份"), (4, "月份")}
    assert "not yet made" in report.errors[0].reason_en and "尚未发生" in report.errors[0].reason_zh
    tomorrow = today + timedelta(days=1)
    items = [["工号", "日期", "金额"], ["E0001", today.isoformat(), "10"],
             ["E0001", tomorrow.isoformat(), "10"]]
    assert {(e.row, e.column) for e in _run(csv_bytes(items)).errors} == {(3, "日期")}
    wide = _run(csv_bytes([["工号", f"{this_month:%Y-%m}", f"{next_month:%Y-%m}"], ["E0001", "1", "2"]]))
    assert not wide.applied and "a month to come" in wide.file_error["message_en"]
    assert not PerformanceRecord.objects.exists()
    assert _run(csv_bytes(rows[:2])).applied


def test_it_imports_months_before_the_hire_date_and_says_the_diagnosis_leaves_them_out(world):
    make_employee("E0300", "新员工", world.team_a, hire_date=date(2026, 3, 15))
    rows = [["工号", "月份", "贡献"], ["E0300", "2026-01", "10"], ["E0300", "2026-02", "20"],
            ["E0300", "2026-03", "30"], ["E0001", "2021-12", "40"], ["E0001", "2022-03", "50"]]
    for report in (_run(csv_bytes(rows), dry_run=True), _run(csv_bytes(rows))):
        early = [w for w in report.warnings if "hire month" in w.message_en]
        assert len(early) == 1, report.as_dict()
        # Rows 2, 3 (E0300 before March) and 5 (E0001, hired 2022-03-01); the hire month counts.
        assert early[0].message_en.startswith("3 record(s)")
        assert "row 2, E0300, 2026-01 (hired 2026-03-15)" in early[0].message_en
        assert "row 5, E0001, 2021-12 (hired 2022-03-01)" in early[0].message_en
        assert "入职当月起" in early[0].message_zh
    assert report.applied and PerformanceRecord.objects.count() == 5
    line_items = [["工号", "日期", "金额"], ["E0300", "2026-03-01", "5"]]
    assert not [w for w in _run(csv_bytes(line_items)).warnings if "hire month" in w.message_en]
