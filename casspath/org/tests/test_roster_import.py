from datetime import date, timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import run_import, sha256_of
from casspath.imports.tests.helpers import (
    ROSTER_HEADERS_EN,
    ROSTER_HEADERS_ZH,
    csv_bytes,
    roster_rows,
    roster_xlsx_rows,
    xlsx_bytes,
)
from casspath.org.models import Employee, Grade, OrgUnit, Position
from casspath.testing import make_employee, make_unit


def _run(data, filename="roster.csv", *, user=None, dry_run=False, **options):
    return run_import(
        registry.get("roster"),
        data,
        filename,
        acting_user=user or SystemActor.cli(),
        dry_run=dry_run,
        options=options,
    )


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030"])
@pytest.mark.parametrize("headers", [ROSTER_HEADERS_ZH, ROSTER_HEADERS_EN])
def test_it_imports_csv_in_each_encoding_with_chinese_or_english_headers(world, encoding, headers):
    report = _run(csv_bytes(roster_rows(headers), encoding))
    assert report.ok and report.created == 2, report.as_dict()
    new = Employee.objects.get(employee_no="E0003")
    assert (new.name, new.phone, new.email, new.org_unit, new.hire_date) == (
        "钱新人",
        "13800138001",
        "qian@example.com",
        world.team_a,
        date(2023, 5, 6),
    )
    assert new.position is not None and new.grade is not None
    assert new.position.code == "account_manager" and new.grade.code == "junior" and new.status == "active"
    other = Employee.objects.get(employee_no="E0004")
    assert other.grade is not None
    # +86 and dashes dropped; found by full path; English values; YYYY/MM/DD
    assert (other.phone, other.org_unit, other.grade.code, other.hire_date) == (
        "13900000004",
        world.team_a,
        "senior",
        date(2021, 1, 2),
    )


def test_it_imports_xlsx_with_numbers_and_excel_dates(world):
    report = _run(xlsx_bytes(roster_xlsx_rows()), "roster.xlsx")
    assert report.ok and report.created == 2
    assert Employee.objects.get(employee_no="E0004").phone == "13900000004"
    assert Employee.objects.get(employee_no="E0003").hire_date == date(2023, 5, 6)


def test_it_dry_run_writes_nothing_but_says_what_would_change(world):
    rows = roster_rows() + [
        ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "班组长", "2022-03-01", "", "在职"]
    ]
    before = list(Employee.objects.values_list("employee_no", "position_id", "updated_at"))
    report = _run(csv_bytes(rows), dry_run=True)
    assert report.ok and not report.applied
    assert (report.created, report.updated) == (2, 1)
    update = next(c for c in report.preview if c.key == "E0001")
    assert update.fields == {"position": ["客户经理", "班组长"]}
    assert list(Employee.objects.values_list("employee_no", "position_id", "updated_at")) == before
    assert not AuditEvent.objects.filter(verb="import.roster").exists()


def test_it_one_bad_row_writes_nothing_and_every_bad_row_is_reported(world):
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    rows = [
        ROSTER_HEADERS_ZH,
        ["E0010", "好人", "13800000010", "", "GZ-TH-01", "客户经理", "2020-01-01", "初级", "在职"],
        ["E0011", "坏手机", "1234", "not-an-email", "GZ-TH-01", "客户经理", "2020-01-01", "初级", "在职"],
        [],
        ["E0012", "", "", "", "NOPE", "厨师", future, "宗师", "退休"],
        ["E0010", "重复", "", "", "GZ-TH-01", "", "2020年2月30日", "", ""],
    ]
    report = _run(csv_bytes(rows))
    assert not report.ok and not report.applied
    assert not Employee.objects.filter(employee_no__in=["E0010", "E0011", "E0012"]).exists()
    got = {(e.row, e.column) for e in report.errors}
    assert got == {
        (3, "手机号"),
        (3, "邮箱"),
        (5, "姓名"),
        (5, "单位编码"),
        (5, "岗位"),
        (5, "入职日期"),
        (5, "职级"),
        (5, "状态"),
        (6, "工号"),
        (6, "入职日期"),
    }
    by_cell = {(e.row, e.column): e for e in report.errors}
    assert by_cell[(6, "工号")].reason_en == "Duplicate employee number: the same as row 2."
    assert by_cell[(5, "入职日期")].value == future and "after today" in by_cell[(5, "入职日期")].reason_en
    assert by_cell[(3, "手机号")].value == "1234" and by_cell[(3, "手机号")].reason_zh
    assert [e.row for e in report.errors] == sorted(e.row for e in report.errors)


def test_it_reimporting_the_same_file_changes_nothing(world):
    data = csv_bytes(roster_rows())
    assert _run(data).created == 2
    stamp = Employee.objects.get(employee_no="E0003").updated_at
    again = _run(data)
    assert again.ok and (again.created, again.updated, again.unchanged) == (0, 0, 2)
    assert Employee.objects.get(employee_no="E0003").updated_at == stamp


def test_it_an_update_changes_only_the_columns_in_the_file(world):
    report = _run(
        csv_bytes(
            [
                ["工号", "姓名", "单位编码", "入职日期", "手机"],
                ["E0001", "王经理", "GZ-TH-01", "2022-03-01", "13911112222"],
            ]
        )
    )
    assert report.ok and report.updated == 1
    assert report.preview[0].fields == {"phone": ["13912345678", "13911112222"]}
    world.manager_employee.refresh_from_db()
    assert world.manager_employee.phone == "13911112222"
    assert world.manager_employee.position.code == "account_manager"  # no position column: kept


def test_it_one_audit_row_per_applied_import_with_counts_and_hash(world):
    data = csv_bytes(roster_rows())
    _run(data)
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.changes["created"] == 2 and event.changes["sha256"] == sha256_of(data)
    assert event.actor_label.startswith("cli:")


def test_it_missing_employees_are_listed_then_marked_left_only_when_asked(world):
    rows = [
        ROSTER_HEADERS_ZH,
        ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "客户经理", "2022-03-01", "", ""],
    ]
    listed = _run(csv_bytes(rows), dry_run=True, deactivate_missing=True)
    assert [m["key"] for m in listed.missing] == ["E0002", "T0001"]  # E0100 is in another unit
    assert listed.missing_total == 2
    kept = _run(csv_bytes(rows))
    assert kept.deactivated == 0
    assert Employee.objects.get(employee_no="E0002").status == "active"
    applied = _run(csv_bytes(rows), deactivate_missing=True)
    assert applied.ok and applied.deactivated == 2
    assert Employee.objects.get(employee_no="E0002").status == "left"
    assert Employee.objects.get(employee_no="T0001").status == "left"
    assert Employee.objects.get(employee_no="E0100").status == "active"
    assert Employee.objects.get(employee_no="E0001").status == "active"


def test_it_a_blank_status_keeps_a_left_employee_left(world):
    Employee.objects.filter(employee_no="E0002").update(status="left")
    report = _run(
        csv_bytes(
            [
                ROSTER_HEADERS_ZH,
                ["E0002", "赵同事", "13700001111", "", "GZ-TH-01", "客户经理", "2022-03-01", "", ""],
            ]
        )
    )
    assert report.ok and report.unchanged == 1


def test_it_unknown_columns_are_warnings_and_missing_required_columns_a_file_error(world):
    report = _run(
        csv_bytes(
            [[*ROSTER_HEADERS_ZH, "备注"], ["E0003", "钱", "", "", "GZ-TH-01", "", "2020-01-01", "", "", "x"]]
        )
    )
    assert report.ok and "备注" in report.warnings[0].message_zh and "备注" in report.warnings[0].message_en
    refused = _run(csv_bytes([["工号", "姓名"], ["E0003", "钱"]]))
    assert not refused.ok and refused.file_error
    assert "单位编码" in refused.file_error["message_zh"] and "hire date" in refused.file_error["message_en"]


def test_it_synonym_headers_and_spacing_are_accepted(world):
    report = _run(
        csv_bytes(
            [
                ["员工编号", " 姓 名 ", "手机号码", "部门编码", "Hire_Date"],
                ["E0003", "钱", "13800000000", "GZ-TH-01", "2020年1月5日"],
            ]
        )
    )
    assert report.ok and report.created == 1
    assert Employee.objects.get(employee_no="E0003").hire_date == date(2020, 1, 5)


def test_it_a_path_matching_two_units_is_refused(world):
    make_unit("GZ-TH-02", "政企一班", OrgUnit.Kind.TEAM, world.district_a)
    report = _run(
        csv_bytes(
            [
                ["工号", "姓名", "单位编码", "入职日期"],
                ["E0003", "钱", "广东公司/广州分公司/天河区/政企一班", "2020-01-01"],
            ]
        )
    )
    assert not report.ok and "2 units" in report.errors[0].reason_en


@pytest.mark.parametrize("path", ["广州分公司/天河区/政企一班", "天河区/政企一班", "/天河区／政企一班/"])
def test_it_a_path_may_start_from_the_admins_city_or_any_unit_above(world, path):
    rows = [["工号", "姓名", "单位编码", "入职日期"], ["E0003", "钱", path, "2020-01-01"]]
    report = _run(csv_bytes(rows), user=world.city_admin_a)
    assert report.ok, report.errors
    assert Employee.objects.get(employee_no="E0003").org_unit == world.team_a


def test_it_a_single_name_is_no_path_and_another_citys_path_reads_as_absent(world):
    other_district = make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    make_unit("GZ-YX-01", "政企一班", OrgUnit.Kind.TEAM, other_district)
    make_unit("SZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_b)  # Shenzhen's, out of his scope
    rows = [["工号", "姓名", "单位编码", "入职日期"], ["E0003", "钱", "政企一班", "2020-01-01"],
            ["E0004", "孙", "越秀区/政企一班", "2020-01-01"],
            ["E0005", "李", "深圳分公司/南山区/政企二班", "2020-01-01"]]
    report = _run(csv_bytes(rows), user=world.city_admin_a)
    assert not report.ok
    # A single name is no path; another city's unit reads as absent, the same as one that does not exist.
    assert [e.row for e in report.errors] == [2, 4]
    assert "does not exist or is outside your import scope" in report.errors[1].reason_en
    rows = [["工号", "姓名", "单位编码", "入职日期"], ["E0004", "孙", "越秀区/政企一班", "2020-01-01"]]
    assert _run(csv_bytes(rows), user=world.city_admin_a).ok


def test_it_positions_and_grades_by_code_or_english_name(world):
    report = _run(
        csv_bytes(
            [
                ["工号", "姓名", "单位编码", "入职日期", "岗位", "职级"],
                ["E0003", "钱", "GZ-TH-01", "2020-01-01", "industry_manager", "Expert"],
            ]
        )
    )
    assert report.ok
    employee = Employee.objects.get(employee_no="E0003")
    assert employee.position == Position.objects.get(code="industry_manager")
    assert employee.grade == Grade.objects.get(code="expert")


def test_it_a_city_admin_cannot_import_rows_into_another_city(world):
    rows = [
        ROSTER_HEADERS_ZH,
        ["E0003", "钱", "", "", "GZ-TH-01", "", "2020-01-01", "", ""],
        ["E0200", "深圳新人", "", "", "SZ-NS-01", "", "2020-01-01", "", ""],
        ["E0100", "深圳员工", "", "", "GZ-TH-01", "", "2020-01-01", "", ""],
    ]
    report = _run(csv_bytes(rows), user=world.city_admin_a)
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "单位编码"), (4, "工号")]
    # Neutral reasons, naming no unit of another city: the same as for a unit that does not exist.
    assert report.errors[0].reason_en == ("Unit 'SZ-NS-01' does not exist or is outside your import scope "
                                          "(import new units first).")
    assert report.errors[1].reason_en == ("Employee number E0100 belongs to an employee outside your scope: "
                                          "a training admin of a unit holding both units (the province, say) "
                                          "can move him.")
    assert not any("政企二班" in e.reason_zh + e.reason_en for e in report.errors)
    assert not Employee.objects.filter(employee_no__in=["E0003", "E0200"]).exists()
    assert Employee.objects.get(employee_no="E0100").org_unit == world.team_b


def test_it_cli_as_a_city_admin_refuses_another_city_and_exits_non_zero(world, tmp_path, capsys):
    path = tmp_path / "roster.csv"
    path.write_bytes(
        csv_bytes([ROSTER_HEADERS_ZH, ["E0200", "深圳新人", "", "", "SZ-NS-01", "", "2020-01-01", "", ""]])
    )
    with pytest.raises(CommandError):
        call_command("import", "roster", str(path), "--as", "gzadmin")
    out = capsys.readouterr().out
    assert "第 2 行" in out and "SZ-NS-01" in out and "outside your import scope" in out
    assert not Employee.objects.filter(employee_no="E0200").exists()
    call_command("import", "roster", str(path), "--as", "szadmin")
    assert Employee.objects.get(employee_no="E0200").org_unit == world.team_b
    event = AuditEvent.objects.get(verb="import.roster")
    assert event.actor == world.city_admin_b


def test_it_cli_refuses_a_user_without_the_permission(world, tmp_path):
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(roster_rows()))
    with pytest.raises(CommandError):
        call_command("import", "roster", str(path), "--as", "E0001")
    with pytest.raises(CommandError):
        call_command("import", "roster", str(path), "--as", "nobody")


def test_it_cli_dry_run_and_deactivate_missing(world, tmp_path, capsys):
    path = tmp_path / "roster.xlsx"
    path.write_bytes(
        xlsx_bytes(
            [
                ROSTER_HEADERS_ZH,
                ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "客户经理", date(2022, 3, 1), "", ""],
            ]
        )
    )
    call_command("import", "roster", str(path), "--dry-run", "--deactivate-missing")
    out = capsys.readouterr().out
    assert "E0002" in out and "dry run" in out
    assert Employee.objects.get(employee_no="E0002").status == "active"
    call_command("import", "roster", str(path), "--deactivate-missing")
    assert Employee.objects.get(employee_no="E0002").status == "left"


ONE_ROW = [
    ROSTER_HEADERS_ZH,
    ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "客户经理", "2022-03-01", "", ""],
]


def test_it_lists_no_missing_employees_when_none_will_be_marked_left(world):
    report = _run(csv_bytes(ONE_ROW), dry_run=True)
    assert report.ok and report.missing == [] and report.missing_total == 0
    assert not any("missing" in line for line in report.lines())


def test_it_says_and_n_more_after_the_first_50_missing_in_the_cli(world, tmp_path, capsys):
    for i in range(60):
        make_employee(f"M{i:04d}", f"缺席{i}", world.team_a)
    path = tmp_path / "roster.csv"
    path.write_bytes(csv_bytes(ONE_ROW))
    call_command("import", "roster", str(path), "--dry-run")
    assert "missing" not in capsys.readouterr().out
    call_command("import", "roster", str(path), "--dry-run", "--deactivate-missing")
    out = capsys.readouterr().out
    assert "active employees missing from the file: 62" in out
    listed = [line for line in out.splitlines() if line.startswith("  ") and "…" not in line]
    assert len(listed) == 50
    assert "and 12 more" in out and "另有 12 人" in out


def test_it_names_a_formula_cell_without_a_saved_value_instead_of_calling_it_empty(world):
    # openpyxl, like any program that writes formulas, saves no result: calamine reads "".
    rows = roster_xlsx_rows()
    rows[1][1] = '=CONCAT("钱", "新人")'  # 姓名, column B of row 2
    rows[2][5] = '=IF(TRUE, "客户经理", "")'  # 岗位 (optional), column F of row 3
    report = _run(xlsx_bytes(rows), "roster.xlsx")
    assert not report.ok and not report.applied
    by_cell = {(e.row, e.column): e for e in report.errors}
    assert set(by_cell) == {(2, "姓名"), (3, "岗位")}
    assert "B2" in by_cell[(2, "姓名")].reason_zh and "公式" in by_cell[(2, "姓名")].reason_zh
    assert by_cell[(2, "姓名")].reason_en.startswith("Cell B2 holds a formula without a saved value")
    assert "save it" in by_cell[(3, "岗位")].reason_en and "F3" in by_cell[(3, "岗位")].reason_en
    assert "Required" not in by_cell[(2, "姓名")].reason_en
