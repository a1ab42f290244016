import codecs
import io
import zipfile
from datetime import date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casspath.imports.errors import ImportFileError
from casspath.imports.reader import read_sheets, read_table, sniff_delimiter
from casspath.imports.tests.helpers import csv_bytes, deterministic_xlsx, xlsx_bytes

ROWS = [["工号", "姓名", "单位编码"], ["E1", "王 经理 ", "GZ"], ["E2", "赵同事", "SZ"]]
EXPECTED = [["工号", "姓名", "单位编码"], ["E1", "王 经理", "GZ"], ["E2", "赵同事", "SZ"]]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "gb18030", "utf-16"])
def test_it_reads_csv_in_every_encoding_excel_writes(encoding):
    sheet = read_table(csv_bytes(ROWS, encoding), "roster.csv")
    assert sheet.rows == EXPECTED


@pytest.mark.parametrize("delimiter", [",", "\t", ";"])
def test_it_sniffs_the_delimiter(delimiter):
    assert read_table(csv_bytes(ROWS, delimiter=delimiter), "r.csv").rows == EXPECTED


def test_it_keeps_quoted_commas_and_newlines():
    data = b'a,b\n"x, y","line1\nline2"\n'
    assert read_table(data, "q.csv").rows == [["a", "b"], ["x, y", "line1\nline2"]]


def test_it_normalises_excel_cells():
    data = xlsx_bytes(
        [
            ["phone", "date", "stamp", "int", "float", "bool", "empty"],
            # Excel cells have no time zone.
            [13800138000, date(2023, 5, 6), datetime(2023, 5, 6, 9, 30), 42, 3.5, True, None],  # noqa: DTZ001
            [1.3800138e10, datetime(2020, 1, 2), "  padded  ", 7.0, -0.25, False, ""],  # noqa: DTZ001
        ]
    )
    rows = read_table(data, "x.xlsx").rows
    assert rows[1] == ["13800138000", "2023-05-06", "2023-05-06 09:30:00", "42", "3.5", "TRUE", ""]
    assert rows[2] == ["13800138000", "2020-01-02", "padded", "7", "-0.25", "FALSE", ""]


def test_it_keeps_row_numbers_as_excel_shows_them():
    data = xlsx_bytes([[None], ["h1", "h2"], ["a", "b"]])
    rows = read_table(data, "x.xlsx").rows
    assert rows[1] == ["h1", "h2"] and rows[2] == ["a", "b"]


def test_it_reads_every_sheet_and_picks_one_by_name():
    from openpyxl import Workbook

    workbook = Workbook()
    workbook.active.title = "one"
    workbook.active.append(["a"])
    second = workbook.create_sheet("two")
    second.append(["b"])
    buffer = io.BytesIO()
    workbook.save(buffer)
    data = buffer.getvalue()
    assert [s.name for s in read_sheets(data, "w.xlsx")] == ["one", "two"]
    assert read_table(data, "w.xlsx", sheet="two").rows == [["b"]]
    with pytest.raises(ImportFileError) as caught:
        read_table(data, "w.xlsx", sheet="three")
    assert "three" in caught.value.message_en and "three" in caught.value.message_zh


def test_it_an_xlsx_named_csv_is_still_read_as_excel():
    assert read_table(xlsx_bytes(ROWS), "misnamed.csv").rows == EXPECTED


@pytest.mark.parametrize(
    "data,filename",
    [
        (b"", "empty.csv"),
        (b"   \n\n", "blank.csv"),
        (b"hello,world\n", "not-really.xlsx"),
        (b"PK\x03\x04garbage", "broken.xlsx"),
        (b"\xff\xfe\x00", "odd.csv"),
        (b"\x81\x30", "bad-gb.csv"),
    ],
)
def test_it_refuses_unreadable_files_in_both_languages(data, filename):
    with pytest.raises(ImportFileError) as caught:
        read_table(data, filename)
    assert caught.value.message_zh and caught.value.message_en


def test_it_refuses_a_truncated_workbook():
    data = xlsx_bytes(ROWS)
    with pytest.raises(ImportFileError):
        read_table(data[: len(data) // 2], "cut.xlsx")


def test_it_refuses_too_many_rows(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_ROWS": 3}
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes([["a"]] * 10), "many.csv")
    assert "3" in caught.value.message_en


def test_it_sniffing_prefers_the_delimiter_that_splits_evenly():
    assert sniff_delimiter("a;b;c\n1;2,5;3\n") == ";"
    assert sniff_delimiter("single\ncolumn\n") == ","


# --- no input makes the parser raise anything but ImportFileError ----------------------


def _only_file_errors(data: bytes, filename: str) -> None:
    try:
        for sheet in read_sheets(data, filename):
            assert all(isinstance(cell, str) for row in sheet.rows for cell in row)
    except ImportFileError as error:
        assert error.message_zh and error.message_en


FILENAMES = st.sampled_from(["a.csv", "a.xlsx", "a.xls", "a.txt", "a", "a.ods", "a.tsv", "a.json"])
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@FUZZ
@given(st.binary(max_size=2000), FILENAMES)
def test_it_random_bytes_only_ever_raise_import_file_error(data, filename):
    _only_file_errors(data, filename)


cells = st.text(alphabet=st.characters(blacklist_categories=["Cs"]), max_size=20)


@FUZZ
@given(
    st.lists(st.lists(cells, max_size=6), max_size=12),
    st.sampled_from(["utf-8", "utf-8-sig", "gb18030"]),
    st.sampled_from([",", "\t", ";"]),
)
def test_it_random_csv_text_reads_or_fails_cleanly(rows, encoding, delimiter):
    try:
        data = csv_bytes(rows, encoding=encoding, delimiter=delimiter)
    except UnicodeEncodeError:
        return  # a character GB18030 cannot hold is not a file anyone can write
    _only_file_errors(data, "fuzz.csv")


@FUZZ
@given(st.lists(st.text(max_size=200), max_size=30), st.sampled_from(["utf-8", "gb18030"]))
def test_it_random_text_lines_read_or_fail_cleanly(lines, encoding):
    text = "\n".join(lines)
    try:
        data = text.encode(encoding)
    except UnicodeEncodeError:
        return
    _only_file_errors(data, "lines.csv")


excel_cells = st.one_of(
    st.none(),
    st.integers(-(10**12), 10**12),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.dates(min_value=date(1900, 3, 1), max_value=date(9999, 12, 31)),
    st.text(alphabet=st.characters(blacklist_categories=("Cs", "Cc")), max_size=30),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.lists(excel_cells, min_size=1, max_size=5), min_size=1, max_size=8), st.data())
def test_it_random_workbooks_truncated_or_corrupted_fail_cleanly(rows, data):
    try:
        content = deterministic_xlsx(rows)
    except Exception:  # noqa: BLE001 - openpyxl refusing a value is not what is tested
        return
    _only_file_errors(content, "fuzz.xlsx")
    cut = data.draw(st.integers(0, len(content)))
    _only_file_errors(content[:cut], "fuzz.xlsx")
    position = data.draw(st.integers(0, len(content) - 1))
    flipped = bytearray(content)
    flipped[position] ^= 0xFF
    _only_file_errors(bytes(flipped), data.draw(FILENAMES))


def test_it_a_zip_that_is_not_a_workbook_fails_cleanly():
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    with pytest.raises(ImportFileError):
        read_table(buffer.getvalue(), "zip.xlsx")


def test_it_bom_only_file_is_empty():
    with pytest.raises(ImportFileError):
        read_table(codecs.BOM_UTF8, "bom.csv")


def test_it_refuses_a_csv_of_utf8_and_gbk_rows_naming_them():
    header = "工号,姓名\n".encode()
    utf8_row = "E0001,王宁\n".encode()
    gbk_row = "E0002,李四\n".encode("gbk")
    with pytest.raises(ImportFileError) as caught:
        read_table(header + utf8_row + gbk_row + gbk_row, "mixed.csv")
    assert "lines 1, 2 are UTF-8 and lines 3, 4 are GBK" in caught.value.message_en
    assert "第 1, 2 行是 UTF-8" in caught.value.message_zh and "第 3, 4 行是 GBK" in caught.value.message_zh


def test_it_refuses_utf8_lines_without_chinese_beside_gbk_lines_naming_them():
    # UTF-8 lines whose only non-ASCII is Latin (é, ü), a symbol (№) or full-width digits:
    # read as GB18030 they would become "Jos茅" and "鈩"; the GBK line holds Chinese.
    header = b"employee no,name,note\n"
    latin = "E0001,José,ok\n".encode()
    symbol = "E0002,Ann,№ 3\n".encode()
    umlaut = "E0003,Zoë Müller,\n".encode()
    full_width = "E0004,Bo,１２３\n".encode()
    gbk = "E0005,王宁,\n".encode("gbk")
    with pytest.raises(ImportFileError) as caught:
        read_table(header + latin + symbol + umlaut + full_width + gbk, "mixed.csv")
    assert "lines 2, 3, 4, 5 are UTF-8 and lines 6 are GBK" in caught.value.message_en
    assert "第 2, 3, 4, 5 行是 UTF-8" in caught.value.message_zh


def test_it_a_gbk_roster_of_names_that_happen_to_be_valid_utf8_still_reads():
    # Each of these names, in GBK, is also valid UTF-8 (叶片园 reads "ҶƬ\u0530"): about one
    # GBK name in 55 is. Only text that reads as a plausible language counts as UTF-8.
    names = ["叶片园", "袁壹", "魏陆栈", "韦惟", "钱辖", "莫装", "石摊", "证", "李四"]
    lines = ["工号,姓名"] + [f"E{i:04d},{name}" for i, name in enumerate(names)]
    data = ("\n".join(lines) + "\n").encode("gbk")
    assert read_table(data, "gbk.csv").rows[1:] == [[f"E{i:04d}", name] for i, name in enumerate(names)]


def test_it_a_gbk_file_whose_bytes_look_like_utf8_here_and_there_still_reads():
    # 证 in GBK is D6 A4: a valid two-byte UTF-8 sequence (Ԥ), not a CJK character.
    data = "工号,姓名\nE0001,证\nE0002,李四\n".encode("gbk")
    assert read_table(data, "gbk.csv").rows == [["工号", "姓名"], ["E0001", "证"], ["E0002", "李四"]]


def _with_saved_value(data: bytes, formula: bytes, value: bytes) -> bytes:
    """The workbook as Excel saves it: the formula's result stored beside it."""
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(data)) as source, zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item)
            if item.filename.startswith("xl/worksheets/"):
                cell = b"<f>" + formula + b"</f>"
                content = content.replace(cell + b"<v />", cell + b"<v>" + value + b"</v>")
            target.writestr(item, content)
    return out.getvalue()


def test_it_marks_formula_cells_without_a_saved_value_only():
    data = xlsx_bytes([["a", "b", "c"], ["1", "=1+1", "=2+2"]])
    data = _with_saved_value(data, b"2+2", b"4")
    sheet = read_table(data, "f.xlsx")
    assert sheet.rows[1] == ["1", "", "4"]  # what calamine reads
    assert sheet.unsaved_formulas == {(1, 1)}
    refusal = sheet.unsaved_formula(1, 1)
    assert refusal is not None and "B2" in refusal.message_zh and "B2" in refusal.message_en
    assert sheet.unsaved_formula(1, 2) is None and sheet.unsaved_formula(1, 0) is None


def test_it_names_the_row_limit_and_the_file_s_real_row_count(settings):
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_MAX_ROWS": 3}
    with pytest.raises(ImportFileError) as caught:
        read_table(csv_bytes([["工号"], *[[f"E{i}"] for i in range(10)], [""]]), "many.csv")
    assert "The file has 10 data rows, more than the limit of 3" in caught.value.message_en
    assert "文件有 10 行数据，超过上限 3 行" in caught.value.message_zh
    fits = read_table(csv_bytes([["工号"], ["E1"], ["E2"], ["E3"]]), "fits.csv")
    assert len(fits.rows) == 4  # the header and the limit's 3 rows
