"""Read an uploaded spreadsheet into rows of stripped strings.

Excel (.xlsx, .xlsm, .xls, .ods) is read by python-calamine; CSV is decoded as UTF-8 (with
or without BOM), UTF-16 with BOM (Excel's "Unicode text"), else GB18030 (what Excel in China
writes), and its delimiter (comma, tab, semicolon) is sniffed. Every cell becomes a string:
dates → ISO ``YYYY-MM-DD``, integral numbers → ``"123"`` (so a phone number stored as a
number keeps its digits), empty → ``""``.

Whatever the bytes, the only exception that leaves this module is `ImportFileError`.
"""

import codecs
import csv
import io
import math
import operator
import re
import unicodedata
import zipfile
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from itertools import compress, repeat
from operator import itemgetter
from pathlib import PurePath
from typing import Any

from casspath.core.errors import InvalidValue
from casspath.core.spreadsheets import read_back
from casspath.imports.errors import ImportFileError
from casspath.imports.limits import (
    check_area,
    check_workbook,
    column_letters,
    max_cells,
    max_columns,
    max_rows,
    xlsx_sheets,
)

EXCEL_EXTENSIONS = {".xlsx", ".xlsm", ".xlsb", ".xls", ".ods"}
TEXT_EXTENSIONS = {".csv", ".txt", ".tsv"}
DELIMITERS = (",", "\t", ";")
_ZIP_MAGIC = b"PK\x03\x04"
_OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class Sheet:
    """One sheet: its name and its rows. Row i of `rows` is the spreadsheet's row i + 1.

    A sheet read from Excel keeps its cells column by column as well (`columns`), which is
    how the import framework parses them; `rows` is then built on first use.
    """

    def __init__(
        self, name: str, rows: list[list[str]] | None = None, columns: list[list[str]] | None = None,
        unsaved_formulas: set[tuple[int, int]] | None = None,
    ):
        self.name = name
        self._rows = rows
        self.columns = columns
        # Cells (row, column; 0-based) holding a formula whose result the file does not hold:
        # read as empty, they are not.
        self.unsaved_formulas = unsaved_formulas or set()

    def unsaved_formula(self, row: int, column: int) -> InvalidValue | None:
        """Why the empty cell at (row, column), 0-based, is not empty, if it is a formula
        without a saved value (a file written by a program, never opened in Excel)."""
        if (row, column) not in self.unsaved_formulas:
            return None
        cell = f"{column_letters(column)}{row + 1}"
        return InvalidValue(
            f"单元格 {cell} 是公式，文件中没有保存它的计算结果：请先用 Excel 打开并保存文件，再导入。",
            f"Cell {cell} holds a formula without a saved value: open the file in Excel and save it, "
            "then import it again.",
        )

    @property
    def rows(self) -> list[list[str]]:
        if self._rows is None:
            self._rows = list(map(list, zip(*self.columns, strict=True))) if self.columns else []
        return self._rows

    def __repr__(self) -> str:
        return f"Sheet({self.name!r}, {len(self.rows)} rows)"

    def __eq__(self, other) -> bool:
        return isinstance(other, Sheet) and (self.name, self.rows) == (other.name, other.rows)


def read_sheets(data: bytes, filename: str) -> list[Sheet]:
    """Every sheet of the file (a CSV file is one sheet named after the file)."""
    if not isinstance(data, bytes | bytearray | memoryview):
        raise ImportFileError("无法读取文件内容。", "The file content could not be read.")
    data = bytes(data)
    if not data.strip():
        raise ImportFileError("文件是空的。", "The file is empty.")
    if _is_excel(data, filename):
        return _read_workbook(data)
    return [Sheet(PurePath(filename or "data.csv").stem or "data", _read_csv(data))]


def read_table(data: bytes, filename: str, sheet: str | None = None) -> Sheet:
    """One sheet: the one named `sheet`, else the first sheet that holds any value."""
    sheets = read_sheets(data, filename)
    if sheet is not None:
        for candidate in sheets:
            if candidate.name == sheet:
                return candidate
        names = "、".join(s.name for s in sheets)
        raise ImportFileError(
            f"文件中没有名为“{sheet}”的工作表（现有：{names}）。",
            f"The file has no sheet named '{sheet}' (it has: {names}).",
        )
    for candidate in sheets:
        if candidate.columns is not None:
            if any(any(column) for column in candidate.columns):
                return candidate
        elif any(any(row) for row in candidate.rows):
            return candidate
    raise ImportFileError("文件中没有任何数据。", "The file holds no data.")


def _is_excel(data: bytes, filename: str) -> bool:
    suffix = PurePath(filename or "").suffix.lower()
    if data.startswith(_ZIP_MAGIC) or data.startswith(_OLE_MAGIC):
        return True  # an Excel file saved under a .csv name is still an Excel file
    if suffix in EXCEL_EXTENSIONS:
        # Every Excel format is a zip or OLE container; these bytes are neither.
        raise ImportFileError(
            f"文件扩展名为 {suffix}，但内容不是有效的 Excel 工作簿。请用 Excel 重新保存为 .xlsx 或 .csv。",
            f"The file is named {suffix} but is not a valid Excel workbook. "
            "Save it again from Excel as .xlsx or .csv.",
        )
    return False


# --- Excel ---------------------------------------------------------------------------


def _read_workbook(data: bytes) -> list[Sheet]:
    from python_calamine import CalamineWorkbook

    unsaved: dict[str, set[tuple[int, int]]] = {}
    if data.startswith(_ZIP_MAGIC):
        formulas = check_workbook(data)  # before calamine expands any sheet (limits.py)
        if formulas:
            unsaved = _unsaved_formulas(data, formulas)
    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            sheet = workbook.get_sheet_by_name(name)
            end = sheet.end
            check_area(str(name), end[0] + 1 if end else 0, end[1] + 1 if end else 0)
            values = sheet.to_python(skip_empty_area=False)
            sheets.append(Sheet(str(name), columns=_normalise_columns(values),
                                unsaved_formulas=unsaved.get(str(name))))
        workbook.close()
    except ImportFileError:
        raise
    except (KeyboardInterrupt, SystemExit):
        raise
    except BaseException as exc:  # noqa: BLE001 - calamine raises its own types and Rust panics
        raise ImportFileError(
            "无法读取 Excel 文件：文件已损坏、加密或不是 Excel 工作簿。",
            "The Excel file could not be read: it is damaged, encrypted or not a workbook "
            f"({type(exc).__name__}).",
        ) from None
    if not sheets:
        raise ImportFileError("Excel 文件中没有工作表。", "The Excel file has no sheets.")
    return sheets


# A cell with its content: <c r="B2" ...>...</c> (any prefix); its reference and type; and
# inside it a formula, and a value that is not empty (<v>4</v>, or an inline string).
_CELL = re.compile(rb"""<(?:[A-Za-z_][\w.-]*:)?c\s([^>]*?)(?<!/)>(.*?)</(?:[A-Za-z_][\w.-]*:)?c>""",
                   re.DOTALL)
_CELL_REF = re.compile(rb"""(?:^|\s)r=["']([A-Za-z]{1,4})([0-9]{1,9})["']""")
_STRING_TYPE = re.compile(rb"""(?:^|\s)t=["']str["']""")
_FORMULA = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?f[\s/>]")
_SAVED = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?v(?:\s[^>]*)?>[^<]|<(?:[A-Za-z_][\w.-]*:)?is[\s>]")


def _unsaved_formulas(data: bytes, members: set[str]) -> dict[str, set[tuple[int, int]]]:
    """The cells of each sheet of an .xlsx that hold a formula and no value (0-based row
    and column), by sheet name. Excel saves a formula's result beside it, and calamine reads
    the result; a program that writes formulas (openpyxl, a script) saves none, and calamine
    reads an empty cell. Only the sheets `members` (those check_workbook saw a formula's tag
    in, having bounded their size) are read again and searched."""
    found: dict[str, set[tuple[int, int]]] = {}
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            for name, member in xlsx_sheets(archive, set(archive.namelist())):
                if member not in members:
                    continue
                xml = archive.read(member)
                if not _FORMULA.search(xml):
                    continue
                cells = set()
                for attributes, inner in _CELL.findall(xml):
                    # A formula whose result is an empty string is saved as <v></v>, typed "str".
                    if (_FORMULA.search(inner) and not _SAVED.search(inner)
                            and not _STRING_TYPE.search(attributes)
                            and (ref := _CELL_REF.search(attributes))):
                        cells.add((int(ref.group(2)) - 1, _column_index(ref.group(1).decode())))
                if cells:
                    found[name] = cells
    except (zipfile.BadZipFile, OSError, ValueError):
        return {}  # calamine says what is wrong with the file
    return found


def _column_index(letters: str) -> int:
    index = 0
    for letter in letters.upper():
        index = index * 26 + ord(letter) - ord("A") + 1
    return index - 1


def _normalise_columns(values: list[list]) -> list[list[str]]:
    """Cells to stripped strings, column by column: a column of text only (most of them) is
    one C-level `map(str.strip)`; other columns pick a converter per cell by type.
    Trailing empty rows are dropped."""
    if not values:
        return []
    width = max(map(len, values))
    if min(map(len, values)) != width:
        values = [list(row) + [None] * (width - len(row)) for row in values]
    convert, cell = _CONVERTERS, _cell
    columns = []
    # Column by column, each one C-level map over the rows (twice as fast as zip(*values)).
    for column in (list(map(itemgetter(j), values)) for j in range(width)):
        kinds = set(map(type, column))
        if kinds == {str}:
            columns.append(list(map(str.strip, column)))
        elif kinds <= {str, type(None)}:
            columns.append([v.strip() if v is not None else "" for v in column])
        elif kinds == {float} and all(map(float.is_integer, column)):
            columns.append(list(map(str, map(int, column))))  # phone numbers: one C-level map
        elif kinds == {datetime} and set(map(datetime.time, column)) == {_MIDNIGHT}:
            columns.append(list(map(date.isoformat, map(datetime.date, column))))  # dates of Excel
        elif kinds <= {float, str, type(None)} and float in kinds:
            columns.append(_numbers_under_text(column))  # amounts, under their header
        else:
            columns.append([convert.get(type(v), cell)(v) for v in column])
    height = len(values)
    while height and not any(column[height - 1] for column in columns):
        height -= 1
    if height < len(values):
        columns = [column[:height] for column in columns]
    return columns


_MIDNIGHT = time(0, 0)


def _numbers_under_text(column: list) -> list[str]:
    """A column of floats, texts and blanks, each as `_CONVERTERS` or `_cell` writes it,
    in C-level maps: the floats' repr (an integral float's, below 1e16, is its digits and
    ".0": as `_float` writes it once the ".0" is cut), the few others apart, then both
    merged in the column's order by each cell's own iterator (no Python loop a cell)."""
    floating = list(map(operator.is_, map(type, column), repeat(float)))
    floats = list(compress(column, floating))
    if not all(map(math.isfinite, floats)):
        return [_CONVERTERS.get(type(value), _cell)(value) for value in column]
    shown = list(map(repr, floats))
    if not floats or max(map(abs, floats)) < 1e16:
        shown = list(map(str.removesuffix, shown, repeat(".0")))
        if "-0" in shown:  # -0.0 is an integral float: "0", as str(int(-0.0))
            shown = ["0" if text == "-0" else text for text in shown]
    else:  # past 1e16 repr takes an exponent; an integral float keeps its digits
        shown = [str(int(value)) if value.is_integer() else text
                 for value, text in zip(floats, shown, strict=True)]
    others = [value.strip() if value.__class__ is str else ""
              for value in compress(column, map(operator.not_, floating))]
    nexts = (iter(others).__next__, iter(shown).__next__)
    return list(map(operator.call, map(nexts.__getitem__, floating)))


def _cell(value) -> str:
    """A non-string cell as the text a user would type for it."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "TRUE" if value else "FALSE"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if math.isfinite(value) and value.is_integer() and abs(value) < 1e17:
            return str(int(value))
        return repr(value) if math.isfinite(value) else ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.isoformat(sep=" ", timespec="seconds")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.isoformat(timespec="seconds")
    if isinstance(value, timedelta):
        return str(value)
    return str(value).strip()


def _float(value: float) -> str:
    # Integral floats (phone numbers, counts) keep their digits; inf and nan are not numbers.
    if value.is_integer():
        return str(int(value))
    return repr(value) if value == value and abs(value) != math.inf else ""


def _datetime(value: datetime) -> str:
    if not (value.hour or value.minute or value.second or value.microsecond):
        return value.date().isoformat()
    return value.isoformat(sep=" ", timespec="seconds")


_CONVERTERS: dict[type, Callable[[Any], str]] = {
    str: str.strip, float: _float, int: str, date: date.isoformat, datetime: _datetime
}


# --- CSV -----------------------------------------------------------------------------


def decode_text(data: bytes) -> str:
    """UTF-8 (BOM or not), UTF-16 with BOM, else GB18030; refuse anything else."""
    if data.startswith(codecs.BOM_UTF8):
        try:
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        except UnicodeDecodeError:
            raise _undecodable() from None
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise _undecodable() from None
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    _refuse_mixed_encodings(data)
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _undecodable() from None
    if "\x00" in text:
        raise _undecodable()
    return text


def _refuse_mixed_encodings(data: bytes) -> None:
    """Refuse a file whose lines are partly UTF-8 and partly GBK (rows pasted from two
    files): decoded as GB18030 whole, its UTF-8 rows would become mojibake (王宁 → 鐜嬪畞,
    José → Jos茅) without any error. A GBK line is one that is not UTF-8; a UTF-8 line is
    one that decodes so and reads as text (`_reads_as_utf8_text`), in any script."""
    utf8_lines, gbk_lines = [], []
    for number, line in enumerate(_byte_lines(data), start=1):
        if line.isascii():
            continue
        try:
            text = line.decode("utf-8")
        except UnicodeDecodeError:
            gbk_lines.append(number)
            continue
        if _reads_as_utf8_text(text):
            utf8_lines.append(number)
    if utf8_lines and gbk_lines:
        utf8, gbk = _line_list(utf8_lines), _line_list(gbk_lines)
        raise ImportFileError(
            f"文件混用了两种编码：第 {utf8} 行是 UTF-8，第 {gbk} 行是 GBK（GB18030），"
            "按任一种读取都会有乱码。"
            "请把整个文件另存为同一种编码（建议 UTF-8）后再导入。",
            f"The file mixes two encodings: lines {utf8} are UTF-8 and lines {gbk} are GBK (GB18030); "
            "read either way, some rows would be garbled. Save the whole file in one encoding "
            "(UTF-8 preferred) and import it again.",
        )


# Blocks whose characters, decoded from UTF-8, say the line is UTF-8: general punctuation
# (“ ” — …), letterlike symbols and number forms (№ ℃ Ⅱ), currency (€), enclosed numbers
# (①), CJK punctuation, kana, CJK ideographs, full-width forms (１２３ ，).
_UTF8_EVIDENCE = ((0x2000, 0x218F), (0x2460, 0x24FF), (0x3000, 0x30FF), (0x3400, 0x4DBF),
                  (0x4E00, 0x9FFF), (0xFF00, 0xFFEF))
_WORD = re.compile(r"[^\W\d_]+")


def _letter_block(char: str) -> str:
    code = ord(char)
    if code < 0x80:
        return "ascii"
    if 0xC0 <= code <= 0x17F:  # Latin-1 letters and Latin Extended-A: é ü ñ ß ł š
        return "latin"
    if 0x370 <= code <= 0x3FF:
        return "greek"
    if 0x400 <= code <= 0x4FF:
        return "cyrillic"
    if any(low <= code <= high for low, high in _UTF8_EVIDENCE):
        return "evidence"
    return "other"


def _reads_as_utf8_text(text: str) -> bool:
    """Whether a line that decodes as UTF-8 (and holds non-ASCII) reads as text, rather
    than being GBK whose bytes happen to be valid UTF-8.

    Such accidents are common: about one GBK name in 55 (叶片园 → "ҶƬ\u0530"), one roster
    line in 250, is valid UTF-8, and what it decodes to is a jumble of scripts (Cyrillic,
    Armenian, IPA, combining marks, unassigned code points), never words. So a line counts
    as UTF-8 when none of its characters is of that jumble, and something in it could not
    come from one: a character of `_UTF8_EVIDENCE` (Chinese, №, “”, full-width digits), or
    a Latin word with accented letters (José, Müller: accents beside ASCII letters). Words
    wholly Greek or Cyrillic, or accented letters alone (é between commas: GBK's 门 has
    the same two bytes), prove nothing either way; Latin-1 symbols (° · ×) neither.
    Measured on two million generated GBK roster lines (names, positions, some "Amy王"),
    this mistakes 15 in a million for UTF-8; looking for Chinese characters only (as before)
    mistook 34, and taking every line that decodes as UTF-8 would mistake 5,800: a GBK
    roster of a few hundred rows would almost always be refused."""
    evidence = False
    for char in text:
        if char.isascii():
            continue
        block = _letter_block(char)
        if unicodedata.category(char)[0] in "CM":
            return False  # controls, unassigned, private use, combining marks
        if block == "evidence":
            evidence = True
        elif block == "other" and not (0xA0 <= ord(char) <= 0xBF or char in "×÷"):
            return False
    for word in _WORD.findall(text):
        blocks = {_letter_block(char) for char in word} - {"evidence"}
        if blocks <= {"ascii"} or blocks in ({"latin"}, {"greek"}, {"cyrillic"}):
            continue
        if blocks == {"ascii", "latin"}:
            evidence = True
        else:
            return False  # a word of two scripts (Amyƥǽ): an accident
    return evidence


def _byte_lines(data: bytes):
    """The lines of `data` one at a time (a list of them all would be millions of objects)."""
    start = 0
    while start < len(data):
        end = data.find(b"\n", start)
        end = len(data) if end < 0 else end + 1
        yield data[start:end]
        start = end


_LINE = re.compile(r"[^\r\n]*(?:\r\n|\r|\n)|[^\r\n]+$")


def _text_lines(text: str):
    """The lines of `text`, ends kept, one at a time: what csv.reader needs, without the
    copy of the whole text that io.StringIO makes (four bytes a character past Latin-1)."""
    return (match.group() for match in _LINE.finditer(text))


def _line_list(numbers: list[int]) -> str:
    shown = ", ".join(map(str, numbers[:10]))
    return shown + (f" … (+{len(numbers) - 10})" if len(numbers) > 10 else "")


def _undecodable() -> ImportFileError:
    return ImportFileError(
        "无法识别文件编码：CSV 文件须为 UTF-8 或 GB18030（GBK）编码。",
        "The file's encoding is not recognised: a CSV file must be UTF-8 or GB18030 (GBK).",
    )


def sniff_delimiter(text: str) -> str:
    """The delimiter among comma, tab and semicolon that splits the first lines most evenly."""
    sample = text[:20_000].splitlines()[:20]
    best, best_score = ",", (-1, -1)
    for delimiter in DELIMITERS:
        try:
            rows = [row for row in csv.reader(sample, delimiter=delimiter) if any(row)]
        except csv.Error:
            continue
        if not rows:
            continue
        width = len(rows[0])
        if width < 2:
            continue
        consistent = sum(1 for row in rows if len(row) == width)
        score = (consistent, width)
        if score > best_score:
            best, best_score = delimiter, score
    return best


def _read_csv(data: bytes) -> list[list[str]]:
    text = decode_text(data)
    if "\x00" in text:
        raise ImportFileError(
            "文件含有二进制内容，不是文本 CSV 文件。",
            "The file holds binary content: it is not a CSV text file.",
        )
    delimiter = sniff_delimiter(text)
    rows: list[list[str]] = []
    limit, width_limit, cells_left = max_rows() + 1, max_columns(), max_cells()
    try:
        reader = csv.reader(_text_lines(text), delimiter=delimiter)
        for row in reader:
            rows.append([read_back(cell.strip()) for cell in row])  # our own CSV's ' quotes
            cells_left -= len(row)
            if len(rows) > limit:
                raise _too_many_rows(_data_rows(rows, reader))
            if len(row) > width_limit or cells_left < 0:
                raise _too_wide(len(rows), len(row))
    except csv.Error as exc:
        raise ImportFileError(
            f"CSV 文件格式有误（第 {len(rows) + 1} 行附近）：引号不配对或单元格过长。",
            f"The CSV file is malformed near line {len(rows) + 1}: unbalanced quotes or a cell too long "
            f"({exc}).",
        ) from None
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _too_wide(line: int, width: int) -> ImportFileError:
    return ImportFileError(
        f"CSV 文件第 {line} 行有 {width} 列，超过上限（{max_columns()} 列、共 {max_cells()} 个单元格），"
        "请删除多余的列或拆分文件后分批导入。",
        f"Line {line} of the CSV file has {width} columns, more than the limit ({max_columns()} columns, "
        f"{max_cells()} cells in all): delete the extra columns or split the file and import the parts.",
    )


def _data_rows(read: list[list[str]], rest) -> int:
    """The file's data rows (the header and blank rows not counted): those read, then the
    rest counted without keeping them (the file's size is capped already)."""
    count = sum(1 for row in read if any(row)) - 1
    try:
        count += sum(1 for row in rest if any(cell.strip() for cell in row))
    except csv.Error:  # past the limit anyway: the rows read so far are the count
        pass
    return count


def _too_many_rows(count: int) -> ImportFileError:
    return ImportFileError(
        f"文件有 {count} 行数据，超过上限 {max_rows()} 行，请拆分后分批导入。",
        f"The file has {count} data rows, more than the limit of {max_rows()}: split it and import the "
        "parts.",
    )
