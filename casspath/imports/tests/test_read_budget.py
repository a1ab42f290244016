"""A file is read within a budget of rows, columns and cells, checked before any sheet is
expanded; reports keep short values and the first errors, counting the rest."""

import io
import zipfile

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import Workbook

from casspath.imports.errors import ImportFileError, RowError
from casspath.imports.limits import column_letters
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


def test_it_finds_the_last_row_and_column_deep_in_a_large_sheet(settings):
    # Megabytes of plain cells (the fast scan); the farthest cells are in the last ones.
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_ROWS": 40_000, "IMPORT_MAX_COLUMNS": 12}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for i in range(40_000):
        sheet.append([f"E{i:06d}", "王伟", 13800000000 + i])
    sheet.append(["x"] * 13)
    buffer = io.BytesIO()
    workbook.save(buffer)
    with pytest.raises(ImportFileError) as caught:
        read_table(buffer.getvalue(), "wide.xlsx")
    assert "M40001" in caught.value.message_en and "13 columns" in caught.value.message_en
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_COLUMNS": 13, "IMPORT_MAX_ROWS": 39_999}
    with pytest.raises(ImportFileError, match="40001 rows"):
        read_table(buffer.getvalue(), "long.xlsx")


def _rewritten_sheet(data: bytes, old: bytes, new: bytes) -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, \
            zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                assert content.count(old) == 1
                content = content.replace(old, new)
            target.writestr(item, content)
    return out.getvalue()


@pytest.mark.parametrize(("old", "new", "corner"), [
    (b'r="C20000"', b'r="C900000"', "C900000"),  # a row far past the rows after it
    (b'r="C20000"', b'r="AC20000"', "× 29 columns"),  # a column past the last full row's
    (b'r="C20000"', b'r="ac20000"', "× 29 columns"),  # in lower case
    # beside a cell that closes itself (no value: the piece is read cell by cell)
    (b'<c r="C20000"', b'<c r="B20000" s="1"/><c r="AC20000"', "× 29 columns"),
])
def test_it_finds_a_far_cell_out_of_order_amid_plain_cells(settings, old, new, corner):
    # The far cell in the middle of megabytes of plain, ordered cells, not last of its piece.
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_ROWS": 50_000, "IMPORT_MAX_COLUMNS": 12}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for i in range(40_000):
        sheet.append([f"E{i:06d}", "王伟", 13800000000 + i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    read_table(buffer.getvalue(), "plain.xlsx")  # within the budget as written
    with pytest.raises(ImportFileError) as caught:
        read_table(_rewritten_sheet(buffer.getvalue(), old, new), "far.xlsx")
    assert corner in caught.value.message_en


def test_it_a_far_blank_cell_amid_plain_cells_does_not_count(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_ROWS": 50_000, "IMPORT_MAX_COLUMNS": 12}
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("名单")
    for i in range(40_000):
        sheet.append([f"E{i:06d}", "王伟", 13800000000 + i])
    buffer = io.BytesIO()
    workbook.save(buffer)
    far = _rewritten_sheet(buffer.getvalue(), b'<c r="C20000"', b'<c r="Z900000" s="1"/><c r="C20000"')
    assert len(read_table(far, "styled.xlsx").rows) == 40_000


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


def test_it_styled_blank_cells_far_away_do_not_count(settings):
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


def test_it_a_report_keeps_the_first_errors_and_counts_the_rest(settings):
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


def test_it_a_file_of_many_bad_rows_and_unknown_headers_makes_a_small_report(world, client, settings):
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


# --- text: what the cells expand to (shared strings, inline strings, ODS spaces) -----------

_MAIN = "http://schemas.openxmlformats.org/spreadsheetml/2006/main"
_RELS = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"


def _xlsx_by_hand(cells: str, shared: list[str] | None = None, sheet: str = "名单") -> bytes:
    """A minimal .xlsx written with zipfile: `cells` is the sheetData's XML, `shared` the
    shared strings (each an <si><t>)."""
    office = "application/vnd.openxmlformats-officedocument.spreadsheetml"
    types = (
        '<?xml version="1.0" encoding="UTF-8"?>'
        '<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">'
        '<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>'
        '<Default Extension="xml" ContentType="application/xml"/>'
        f'<Override PartName="/xl/workbook.xml" ContentType="{office}.sheet.main+xml"/>'
        f'<Override PartName="/xl/worksheets/sheet1.xml" ContentType="{office}.worksheet+xml"/>'
        f'<Override PartName="/xl/sharedStrings.xml" ContentType="{office}.sharedStrings+xml"/>'
        "</Types>"
    )
    root_rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/officeDocument" Target="xl/workbook.xml"/></Relationships>'
    )
    workbook = (
        f'<?xml version="1.0" encoding="UTF-8"?><workbook xmlns="{_MAIN}" xmlns:r="{_RELS}">'
        f'<sheets><sheet name="{sheet}" sheetId="1" r:id="rId1"/></sheets></workbook>'
    )
    rels = (
        '<?xml version="1.0" encoding="UTF-8"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">'
        f'<Relationship Id="rId1" Type="{_RELS}/worksheet" Target="worksheets/sheet1.xml"/>'
        f'<Relationship Id="rId2" Type="{_RELS}/sharedStrings" Target="sharedStrings.xml"/></Relationships>'
    )
    worksheet = (
        f'<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="{_MAIN}">'
        f"<sheetData>{cells}</sheetData></worksheet>"
    )
    strings = "".join(f"<si><t>{text}</t></si>" for text in shared or [])
    count = len(shared or [])
    sst = f'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="{_MAIN}" count="{count}">{strings}</sst>'
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        archive.writestr("[Content_Types].xml", types)
        archive.writestr("_rels/.rels", root_rels)
        archive.writestr("xl/workbook.xml", workbook)
        archive.writestr("xl/_rels/workbook.xml.rels", rels)
        archive.writestr("xl/worksheets/sheet1.xml", worksheet)
        archive.writestr("xl/sharedStrings.xml", sst)
    return buffer.getvalue()


def _shared_cells(rows: int, columns: int = 1, index: int = 0) -> str:
    return "".join(
        f'<row r="{row}">'
        + "".join(f'<c r="{column_letters(col)}{row}" t="s"><v>{index}</v></c>' for col in range(columns))
        + "</row>"
        for row in range(1, rows + 1)
    )


@pytest.fixture
def no_calamine(monkeypatch):
    """The refusal must come from the scan: calamine is never asked to open the file."""
    import python_calamine

    class Refused:
        @staticmethod
        def from_filelike(*args, **kwargs):
            raise AssertionError("calamine was called on a file the scan should have refused")

    monkeypatch.setattr(python_calamine, "CalamineWorkbook", Refused)


def test_it_refuses_a_shared_string_bomb_before_calamine(no_calamine):
    """8 KB: one 4 MB shared string in 400 cells (calamine copies it per cell: 4.9 GB)."""
    data = _xlsx_by_hand(_shared_cells(400), ["x" * 4_000_000])
    assert len(data) < 10_000
    with pytest.raises(ImportFileError) as caught:
        read_sheets(data, "bomb.xlsx")
    assert "32767" in caught.value.message_en and "32767" in caught.value.message_zh


def test_it_refuses_shared_strings_that_expand_past_the_text_budget(settings, no_calamine):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_TEXT_CHARS": 100_000}
    data = _xlsx_by_hand(_shared_cells(2_000), ["名" * 30_000])  # 60 M characters by default
    with pytest.raises(ImportFileError) as caught:
        read_sheets(data, "bomb.xlsx")
    assert "名单" in caught.value.message_zh and "名单" in caught.value.message_en
    assert "100000 characters" in caught.value.message_en and "100000" in caught.value.message_zh


def test_it_the_text_budget_counts_each_cell_that_refers_to_a_shared_string(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_TEXT_CHARS": 1_000}
    fits = _xlsx_by_hand(_shared_cells(100), ["王宁" * 5])  # 100 cells × 10 characters
    assert read_table(fits, "fits.xlsx").rows == [["王宁" * 5]] * 100
    with pytest.raises(ImportFileError, match="1000 characters"):
        read_table(_xlsx_by_hand(_shared_cells(101), ["王宁" * 5]), "over.xlsx")


def test_it_refuses_a_shared_string_table_past_the_budget_even_unreferenced(settings, no_calamine):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_TEXT_CHARS": 1_000}
    with pytest.raises(ImportFileError, match="1000 characters"):
        read_table(_xlsx_by_hand(_shared_cells(1), ["a"] + ["b" * 100] * 20), "sst.xlsx")


def test_it_refuses_inline_strings_longer_than_excel_allows_or_past_the_budget(settings, no_calamine):
    long_cell = f'<row r="1"><c r="A1" t="inlineStr"><is><t>{"x" * 32_768}</t></is></c></row>'
    with pytest.raises(ImportFileError, match="32767"):
        read_table(_xlsx_by_hand(long_cell), "long.xlsx")
    formula = f'<row r="1"><c r="A1" t="str"><f>REPT("x",40000)</f><v>{"x" * 40_000}</v></c></row>'
    with pytest.raises(ImportFileError, match="32767"):
        read_table(_xlsx_by_hand(formula), "formula.xlsx")
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_TEXT_CHARS": 100_000}
    many = "".join(
        f'<row r="{row}"><c r="A{row}" t="inlineStr"><is><t>{"y" * 20_000}</t></is></c></row>'
        for row in range(1, 7)
    )
    with pytest.raises(ImportFileError, match="100000 characters"):
        read_table(_xlsx_by_hand(many), "many.xlsx")


def _ods_cell(cell: str, rows_repeated: int = 1) -> bytes:
    data = _ods(1, 1)
    archive = zipfile.ZipFile(io.BytesIO(data))
    content = archive.read("content.xml").decode()
    start = content.index('<table:table-row table:number-rows-repeated="1">')
    end = content.index("</table:table>")
    content = (
        content[:start]
        + f'<table:table-row table:number-rows-repeated="{rows_repeated}">{cell}</table:table-row>'
        + content[end:]
    )
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as out:
        for name in archive.namelist():
            out.writestr(name, content if name == "content.xml" else archive.read(name))
    return buffer.getvalue()


def test_it_refuses_an_opendocument_space_bomb_before_calamine(no_calamine):
    """835 bytes: <text:s text:c="1000000000"/> is a 1 GB string (4 GB peak)."""
    cell = (
        '<table:table-cell office:value-type="string"><text:p>a<text:s text:c="1000000000"/>b'
        "</text:p></table:table-cell>"
    )
    data = _ods_cell(cell)
    assert len(data) < 2_000
    with pytest.raises(ImportFileError) as caught:
        read_sheets(data, "bomb.ods")
    assert "名单" in caught.value.message_zh and "32767" in caught.value.message_en


def test_it_refuses_repeated_opendocument_text_past_the_budget(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_TEXT_CHARS": 100_000}
    cell = (
        '<table:table-cell table:number-columns-repeated="10" office:value-type="string">'
        '<text:p>王<text:s text:c="999"/></text:p></table:table-cell>'
    )
    assert len(read_table(_ods_cell(cell, rows_repeated=9), "fits.ods").rows) == 10  # 90,000
    with pytest.raises(ImportFileError, match="100000 characters") as caught:
        read_table(_ods_cell(cell, rows_repeated=11), "over.ods")
    assert "名单" in caught.value.message_zh


def test_it_a_roster_export_of_chinese_names_still_reads():
    """casspath's own export (inline strings) and a shared-strings workbook, 1,000 rows each."""
    from casspath.core.spreadsheets import append_row, new_workbook
    from casspath.core.spreadsheets import xlsx_bytes as save

    rows = [ROSTER_HEADERS_ZH] + [
        [f"E{i:05}", "欧阳" + "王李张刘陈杨黄赵"[i % 8] * 2, f"138{i:08}", f"user{i}@example.com",
         "GZ-TH-01", "客户经理", "2023-05-06", "初级", "在职"]
        for i in range(1000)
    ]
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet("花名册")
    for row in rows:
        append_row(sheet, row)
    exported = read_table(save(workbook), "roster.xlsx")
    assert exported.rows[1][:2] == ["E00000", "欧阳王王"] and len(exported.rows) == 1001
    shared = ROSTER_HEADERS_ZH[:2]
    cells = _shared_cells(1000, columns=2, index=1)
    assert read_table(_xlsx_by_hand(cells, shared), "shared.xlsx").rows == [["姓名", "姓名"]] * 1000


def _past(ref: bytes, letters: bytes, row: int) -> bool:
    """The oracle of limits._beyond: not capitals then digits, or a column or row past the bounds."""
    import re

    shape = re.fullmatch(rb"([A-Z]{1,4})([0-9]{1,9})", ref)
    if shape is None:
        return True
    column, digits = shape.groups()
    return (len(column), column) > (len(letters), letters) or (len(digits), digits) > (
        len(str(row)), str(row).encode())


@settings(max_examples=400, deadline=None)
@given(st.text("ABCXYZab019'", min_size=0, max_size=11), st.text("ABCXZ", min_size=1, max_size=4),
       st.integers(0, 999_999_999), st.sampled_from(['"', "'"]))
def test_it_a_reference_is_past_the_last_cell_exactly_when_it_lies_beyond_it(ref, letters, row, quote):
    from casspath.imports.limits import _beyond

    tag = f"<c r={quote}{ref}{quote}>".encode()
    read = ref.replace('"', "'").split("'")[0]  # the reference ends at the first quote
    found = _beyond(letters.encode(), row).search(tag) is not None
    assert found is _past(read.encode(), letters.encode(), row)
