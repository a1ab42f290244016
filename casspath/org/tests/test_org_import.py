import pytest
from django.core.management import CommandError, call_command

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes, xlsx_bytes
from casspath.org.models import OrgUnit

HEADERS = ["单位编码", "单位名称", "上级单位编码", "类型"]


def _run(rows, *, user=None, dry_run=False, filename="org.csv", data=None):
    data = data if data is not None else csv_bytes(rows)
    return run_import(
        registry.get("org"), data, filename, acting_user=user or SystemActor.cli(), dry_run=dry_run
    )


def test_it_creates_a_tree_with_parents_after_children(db):
    report = _run(
        [
            HEADERS,
            ["T1", "政企一班", "D1", "班组"],
            ["D1", "天河区", "C1", "区县公司"],
            ["C1", "广州分公司", "P", "地市公司"],
            ["P", "广东公司", "", "省公司"],
            ["HR", "培训学院", "P", "department"],
        ]
    )
    assert report.ok and report.created == 5, report.as_dict()
    team = OrgUnit.objects.get(code="T1")
    province = OrgUnit.objects.get(code="P")
    assert team.depth == 3 and team.kind == "team"
    assert team.is_within(province) and team.path.startswith(province.path)
    assert OrgUnit.objects.get(code="HR").kind == OrgUnit.Kind.DEPARTMENT
    assert AuditEvent.objects.filter(verb="import.org").count() == 1


def test_it_imports_a_national_company_above_its_provinces(db):
    report = _run(
        [
            HEADERS,
            ["HQ", "集团公司", "", "集团公司"],
            ["GD", "广东公司", "HQ", "省公司"],
            ["ZJ", "浙江公司", "HQ", "省公司"],
            ["HQ2", "总部", "", "总部"],
        ]
    )
    assert report.ok and report.created == 4, report.as_dict()
    assert OrgUnit.objects.get(code="HQ").kind == OrgUnit.Kind.NATIONAL
    assert OrgUnit.objects.get(code="HQ2").kind == OrgUnit.Kind.NATIONAL
    assert OrgUnit.objects.get(code="ZJ").depth == 1


def test_it_accepts_english_headers_and_kind_codes_from_xlsx(db):
    data = xlsx_bytes(
        [
            ["org_code", "Unit Name", "parent code", "KIND"],
            ["P", "Guangdong", None, "province"],
            ["C1", "Guangzhou", "P", "City"],
        ]
    )
    report = _run(None, data=data, filename="org.xlsx")
    assert report.ok and report.created == 2


def test_it_reimport_changes_nothing_and_moves_are_applied(world):
    rows = [
        HEADERS,
        ["GD", "广东公司", "", "省公司"],
        ["GZ", "广州分公司", "GD", "地市公司"],
        ["GZ-TH", "天河区", "GZ", "区县公司"],
        ["GZ-TH-01", "政企一班", "GZ-TH", "班组"],
    ]
    report = _run(rows)
    assert report.ok and report.unchanged == 4 and report.created == report.updated == 0
    moved = _run([HEADERS, ["GZ-TH", "天河区", "SZ", "区县公司"]])
    assert moved.ok and moved.updated == 1
    assert moved.preview[0].fields == {"parent": ["GZ", "SZ"]}
    team = OrgUnit.objects.get(code="GZ-TH-01")
    assert team.is_within(world.city_b) and not team.is_within(world.city_a)


def test_it_dry_run_writes_nothing(world):
    before = OrgUnit.objects.count()
    report = _run([HEADERS, ["NEW", "新单位", "GZ", "班组"]], dry_run=True)
    assert report.ok and report.created == 1 and not report.applied
    assert OrgUnit.objects.count() == before


def test_it_cycles_unknown_parents_duplicates_and_bad_kinds_are_row_errors(world):
    report = _run(
        [
            HEADERS,
            ["A", "甲", "B", "班组"],
            ["B", "乙", "A", "班组"],
            ["C", "丙", "NOPE", "班组"],
            ["D", "丁", "GZ", "车间"],
            ["A", "甲二", "GZ", "班组"],
            ["E", "戊", "E", "班组"],
            ["", "无编码", "GZ", "班组"],
        ]
    )
    assert not report.ok
    found = {(e.row, e.column) for e in report.errors}
    assert (4, "上级单位编码") in found  # unknown parent
    assert (5, "类型") in found  # bad kind
    assert (6, "单位编码") in found  # duplicate of row 2
    assert (7, "上级单位编码") in found  # own parent
    assert (8, "单位编码") in found  # blank code
    assert OrgUnit.objects.filter(code__in=["A", "B", "C", "D", "E"]).count() == 0


def test_it_a_cycle_through_existing_units_is_refused(world):
    report = _run([HEADERS, ["GZ", "广州分公司", "GZ-TH-01", "地市公司"]])
    assert not report.ok
    assert "cycle" in report.errors[0].reason_en and report.errors[0].row == 2


def test_it_a_city_admin_cannot_import_units_into_another_city(world):
    report = _run(
        [
            HEADERS,
            ["GZ-NEW", "新班", "GZ-TH", "班组"],
            ["SZ-NEW", "深圳新班", "SZ-NS", "班组"],
            ["SZ", "深圳改名", "GD", "地市公司"],
        ],
        user=world.city_admin_a,
    )
    assert not report.ok
    assert [(e.row, e.column) for e in report.errors] == [(3, "单位编码"), (4, "单位编码")]
    # Neutral reasons: another city's unit names never show, only the codes the file gave.
    assert report.errors[0].reason_en == "Parent unit 'SZ-NS' does not exist or is outside your import scope."
    assert report.errors[1].reason_en == "The unit code 'SZ' is used outside your import scope."
    assert not any("深圳" in e.reason_zh or "南山" in e.reason_zh for e in report.errors)
    assert not OrgUnit.objects.filter(code="GZ-NEW").exists()
    own = _run(
        [HEADERS, ["GZ-NEW", "新班", "GZ-TH", "班组"], ["GZ", "广州分公司", "GD", "地市公司"]],
        user=world.city_admin_a,
    )
    assert own.ok and own.created == 1 and own.unchanged == 1


def test_it_cli_imports_org_units_and_exits_non_zero_on_a_bad_file(world, tmp_path, capsys):
    good = tmp_path / "org.csv"
    good.write_bytes(csv_bytes([HEADERS, ["GZ-TH-02", "政企二班", "GZ-TH", "班组"]]))
    call_command("import", "org", str(good))
    assert OrgUnit.objects.get(code="GZ-TH-02").parent == world.district_a
    bad = tmp_path / "bad.csv"
    bad.write_bytes(csv_bytes([HEADERS, ["X1", "某", "NOPE", "班组"]]))
    with pytest.raises(CommandError):
        call_command("import", "org", str(bad))
    out = capsys.readouterr().out
    assert "NOPE" in out and "neither in the file nor in the system" in out and "第 2 行" in out
