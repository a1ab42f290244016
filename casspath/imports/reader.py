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
from collections.abc import Callable
from datetime import date, datetime, time, timedelta
from pathlib import PurePath
from typing import Any

from django.conf import settings

from casspath.core.spreadsheets import read_back
from casspath.imports.errors import ImportFileError

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
        self, name: str, rows: list[list[str]] | None = None, columns: list[list[str]] | None = None
    ):
        self.name = name
        self._rows = rows
        self.columns = columns

    @property
    def rows(self) -> list[list[str]]:
        if self._rows is None:
            self._rows = list(map(list, zip(*self.columns, strict=True))) if self.columns else []
        return self._rows

    def __repr__(self) -> str:
        return f"Sheet({self.name!r}, {len(self.rows)} rows)"

    def __eq__(self, other) -> bool:
        return isinstance(other, Sheet) and (self.name, self.rows) == (other.name, other.rows)


def max_rows() -> int:
    return int(settings.CASSPATH.get("IMPORT_MAX_ROWS", 200_000))


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

    try:
        workbook = CalamineWorkbook.from_filelike(io.BytesIO(data))
        sheets = []
        for name in workbook.sheet_names:
            values = workbook.get_sheet_by_name(name).to_python(skip_empty_area=False)
            if len(values) > max_rows() + 1:
                raise _too_many_rows(len(values) - 1)
            sheets.append(Sheet(str(name), columns=_normalise_columns(values)))
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


def _normalise_columns(values: list[list]) -> list[list[str]]:
    """Cells to stripped strings, column by column: a column of text only (most of them) is
    one C-level `map(str.strip)`; other columns pick a converter per cell by type.
    Trailing empty rows are dropped."""
    if not values:
        return []
    width = max(map(len, values))
    if any(len(row) != width for row in values):
        values = [list(row) + [None] * (width - len(row)) for row in values]
    convert, cell = _CONVERTERS, _cell
    columns = []
    for column in zip(*values, strict=True):
        kinds = set(map(type, column))
        if kinds == {str}:
            columns.append(list(map(str.strip, column)))
        elif kinds <= {str, type(None)}:
            columns.append([v.strip() if v is not None else "" for v in column])
        else:
            columns.append([convert.get(type(v), cell)(v) for v in column])
    height = len(values)
    while height and not any(column[height - 1] for column in columns):
        height -= 1
    if height < len(values):
        columns = [column[:height] for column in columns]
    return columns


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
    try:
        text = data.decode("gb18030")
    except UnicodeDecodeError:
        raise _undecodable() from None
    if "\x00" in text:
        raise _undecodable()
    return text


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
    limit = max_rows() + 1
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            rows.append([read_back(cell.strip()) for cell in row])  # our own CSV's ' quotes
            if len(rows) > limit:
                raise _too_many_rows(len(rows) - 1)
    except csv.Error as exc:
        raise ImportFileError(
            f"CSV 文件格式有误（第 {len(rows) + 1} 行附近）：引号不配对或单元格过长。",
            f"The CSV file is malformed near line {len(rows) + 1}: unbalanced quotes or a cell too long "
            f"({exc}).",
        ) from None
    while rows and not any(rows[-1]):
        rows.pop()
    return rows


def _too_many_rows(count: int) -> ImportFileError:
    return ImportFileError(
        f"文件有 {count} 行，超过上限 {max_rows()} 行，请拆分后分批导入。",
        f"The file has {count} rows, more than the limit of {max_rows()}: split it and import the parts.",
    )
