"""A file is read within a budget of rows, columns and cells, checked before any sheet is
expanded; reports keep short values and the first errors, counting the rest."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.models import ImportRun
from casspath.imports.reader import read_sheets, read_table
from casspath.imports.report import ImportReport
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes, roster_rows


def _workbook_with_cells(*refs: str) -> bytes:
    workbook = Workbook()
    for ref in refs:
        workbook.active[ref] = "x"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _ods(rows_repeated: int, columns_repeated: int) -> bytes:
    """An OpenDocument sheet whose second row repeats a valued cell (hand-written XML)."""
    ns = (
        'xmlns:office="urn:oasis:names:tc:opendocument:xmlns:office:1.0" '
        'xmlns:table="urn:oasis:names:tc:opendocument:xmlns:table:1.0" '
        'xmlns:text="urn:oasis:names:tc:opendocument:xmlns:text:1.0"'
    )
    cell = '<table:table-cell office:value-type="string"><text:p>a</text:p></table:table-cell>'
    repeated = (
        f'<table:table-row table:number-rows-repeated="{rows_repeated}">'
        f'<table:table-cell table:number-columns-repeated="{columns_repeated}" office:value-type="string">'
        "<text:p>x</text:p></table:table-cell></table:table-row>"
    )
    content = (
        f'<?xml version="1.0" encoding="UTF-8"?><office:document-content {ns} office:version="1.2">'
        f'<office:body><office:spreadsheet><table:table table:name="名单"><table:table-row>{cell}'
        f"</table:table-row>{repeated}</table:table></office:spreadsheet></office:body></office:document-content>"
    )
    manifest = (
        '<?xml version="1.0" encoding="UTF-8"?><manifest:manifest '
        'xmlns:manifest="urn:oasis:names:tc:opendocument:xmlns:manifest:1.0" manifest:version="1.2">'
        '<manifest:file-entry manifest:full-path="/" '
        'manifest:media-type="application/vnd.oasis.opendocument.spreadsheet"/>'
        '<manifest:file-entry manifest:full-path="content.xml" manifest:media-type="text/xml"/>'
        "</manifest:manifest>"
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("mimetype", "application/vnd.oasis.opendocument.spreadsheet")
        archive.writestr("META-INF/manifest.xml", manifest)
        archive.writestr("content.xml", content)
    return buffer.getvalue()


def test_it_refuses_a_tiny_workbook_whose_last_cell_is_xfd1048576():
    data = _workbook_with_cells("A1", "XFD1048576")
    assert len(data) < 10_000
    with pytest.raises(ImportFileError) as caught:
        read_sheets(data, "bomb.xlsx")
    assert "XFD1048576" in caught.value.message_en and "XFD1048576" in caught.value.message_zh
    message = caught.value.message_en
    assert "2000000 cells" in message and "1048576 rows × 16384 columns" in message


def test_it_refuses_a_sheet_past_the_cell_budget_before_expanding_it(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_CELLS": 1000}
    with pytest.raises(ImportFileError) as caught:
        read_table(_workbook_with_cells("A1", "Z100"), "wide.xlsx")
    assert "Z100" in caught.value.message_en and "1000" in caught.value.message_zh


def test_it_refuses_too_many_columns_and_too_many_rows_in_a_workbook(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_COLUMNS": 10, "IMPORT_MAX_ROWS": 50}
    with pytest.raises(ImportFileError, match="11 columns"):
        read_table(_workbook_with_cells("A1", "K1"), "wide.xlsx")
    with pytest.raises(ImportFileError, match="52 rows"):
        read_table(_workbook_with_cells("A1", "A52"), "long.xlsx")
    assert len(read_table(_workbook_with_cells("A1", "J51"), "fits.xlsx").rows) == 51


def test_styled_blank_cells_far_away_do_not_count(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_CELLS": 1000}
    workbook = Workbook()
    workbook.active["A1"] = "name"
    workbook.active["A2"] = "王宁"
    workbook.active["Z5000"].number_format = "0.00"  # written as a self-closing <c/>
    buffer = io.BytesIO()
    workbook.save(buffer)
    assert read_table(buffer.getvalue(), "styled.xlsx").rows == [["name"], ["王宁"]]


def test_it_refuses_repeated_opendocument_cells_past_the_budget():
    assert read_table(_ods(3, 4), "small.ods").rows[1:] == [["x"] * 4] * 3
    with pytest.raises(ImportFileError) as caught:
        read_sheets(_ods(1_000_000, 16_000), "bomb.ods")
    assert "名单" in caught.value.message_zh and "16000 columns" in caught.value.message_en


def test_it_refuses_a_csv_too_wide(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_COLUMNS": 5, "IMPORT_MAX_CELLS": 20}
    with pytest.raises(ImportFileError, match="Line 1 .* 6 columns"):
        read_table(csv_bytes([list("abcdef")]), "wide.csv")
    with pytest.raises(ImportFileError, match="Line 5 "):
        read_table(csv_bytes([list("abcde")] * 5), "many.csv")


def test_a_report_keeps_the_first_errors_and_counts_the_rest(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_REPORT_MAX_ITEMS": 3}
    report = ImportReport(kind="roster", filename="x.csv", dry_run=True)
    report.errors.extend(RowError(row, "姓名", "v" * 10_000_000, "错", "bad") for row in range(2, 12))
    assert len(report.errors) == 3 and report.error_count == 10 and report.errors_more == 7
    assert len(report.errors[0].value) == 200 and report.errors[0].value.endswith("…")
    text = report.to_json()
    assert len(text) < 5_000
    again = ImportReport.from_dict(report.as_dict())
    assert again.error_count == 10 and len(again.errors) == 3
    assert "and 7 more errors" in "\n".join(again.lines())


def test_a_file_of_many_bad_rows_and_unknown_headers_makes_a_small_report(world, client, settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_REPORT_MAX_ITEMS": 50}
    headers = ROSTER_HEADERS_ZH + [f"未知{i}" for i in range(150)]
    good = roster_rows()[1]
    rows = [headers] + [["E00000", "名" * 100_000, *good[2:4], "NOPE", *good[5:]]]
    rows += [[f"E{i:05}", "名", *good[2:4], "NOPE", *good[5:]] for i in range(1, 3000)]
    client.force_login(world.city_admin_a)
    client.post(
        reverse("imports:kind", args=["roster"]),
        {"file": SimpleUploadedFile("bad.csv", csv_bytes(rows)), "dry_run": "on"},
    )
    run = ImportRun.objects.get()
    assert run.status == "failed" and run.report is not None
    assert len(run.report["errors"]) == 50 and run.report["errors_more"] >= 2950
    assert len(run.report["warnings"]) == 50 and run.report["warnings_more"] == 100
    assert len(ImportReport.from_dict(run.report).to_json()) < 100_000
    page = client.get(reverse("imports:run", args=[run.pk])).content.decode()
    assert 'id="errors-more"' in page and 'id="warnings-more"' in page
