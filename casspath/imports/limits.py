"""How much an import may read: rows, columns and cells, checked before anything is expanded.

python-calamine turns a sheet into a dense grid from A1 to its last cell as soon as it
loads it: a 1.6 KB workbook with one cell at XFD1048576 asks for 512 GiB and aborts the
process (a Rust allocation failure is not an exception). So a zip workbook's sheet XML is
scanned first, streaming, for the last row and column that hold a cell, and a sheet whose
grid would pass the budget is refused. Legacy .xls (BIFF) cannot pass 65,536 × 256 cells;
its grid is checked once loaded, before it becomes Python lists.

The budget is in settings (CASSPATH IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS).
"""

import html
import io
import posixpath
import re
import zipfile
from itertools import compress

from django.conf import settings

from casspath.imports.errors import ImportFileError

# Members read whole (workbook.xml, its relationships) are small in any real workbook.
_SMALL_PART_LIMIT = 5 * 2**20
# A tag longer than this (attributes padded to hide a cell reference) is not a workbook's.
_TAG_LIMIT = 2**20
_CHUNK = 2**20
_XLSX_TAG = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(row|c)(?=[\s/>])([^>]*)>")
_ODS_TAG = re.compile(
    rb"<(/?)table:(table-row|table-cell|covered-table-cell|table)(?=[\s/>])([^>]*)>"
)
_REF = re.compile(rb"""(?:^|\s)r\s*=\s*["']([A-Za-z]*)([0-9]*)["']""")
_ROWS_REPEATED = re.compile(rb"""table:number-rows-repeated\s*=\s*["']([0-9]+)["']""")
_COLUMNS_REPEATED = re.compile(rb"""table:number-columns-repeated\s*=\s*["']([0-9]+)["']""")
_VALUE_TYPE = re.compile(rb"office:value-type\s*=")
_ELEMENT = re.compile(rb"<(?:[A-Za-z_][\w.-]*:)?(Relationship|sheet)(?=[\s/>])([^>]*)>")
_ATTRIBUTE = re.compile(rb"""(?:([A-Za-z_][\w.-]*):)?([A-Za-z_][\w.-]*)\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def max_rows() -> int:
    return int(settings.CASSPATH.get("IMPORT_MAX_ROWS", 200_000))


def max_columns() -> int:
    return int(settings.CASSPATH.get("IMPORT_MAX_COLUMNS", 200))


def max_cells() -> int:
    return int(settings.CASSPATH.get("IMPORT_MAX_CELLS", 2_000_000))


def column_letters(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


def check_area(sheet: str, rows: int, columns: int) -> None:
    """Refuse a sheet whose grid from A1 spans `rows` × `columns` past the budget."""
    if rows <= max_rows() + 1 and columns <= max_columns() and rows * columns <= max_cells():
        return
    corner = f"{column_letters(max(columns - 1, 0))}{rows}"
    raise ImportFileError(
        f"工作表“{sheet}”的数据区域从 A1 到 {corner}，"
        f"共 {rows} 行 × {columns} 列（{rows * columns} 个单元格），"
        f"超过上限（{max_rows()} 行数据、{max_columns()} 列、{max_cells()} 个单元格）。"
        "请删除远处多余的单元格，或拆分文件后分批导入。",
        f"Sheet '{sheet}' spans A1 to {corner}: {rows} rows × {columns} columns ({rows * columns} cells), "
        f"more than the limit ({max_rows()} data rows, {max_columns()} columns, {max_cells()} cells). "
        "Delete the stray cells far from the data, or split the file and import the parts.",
    )


def check_workbook(data: bytes) -> None:
    """Scan a zip workbook (.xlsx, .xlsm, .ods) for its sheets' extent; refuse one past the
    budget, and a zip that cannot be scanned (it cannot be trusted to calamine either)."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
        if "content.xml" in names and "xl/workbook.xml" not in names:
            _check_ods(archive)
        elif "xl/workbook.bin" in names:
            raise ImportFileError(
                "不支持 Excel 二进制工作簿（.xlsb），请在 Excel 中另存为 .xlsx 后再导入。",
                "Excel binary workbooks (.xlsb) are not accepted: save the file as .xlsx in Excel "
                "and import that.",
            )
        else:
            for sheet, member in _xlsx_sheets(archive, names):
                rows, columns = _xlsx_extent(archive, member)
                check_area(sheet, rows, columns)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - zipfile and zlib raise many types on damaged input
        raise ImportFileError(
            "无法读取 Excel 文件：文件已损坏、加密或不是 Excel 工作簿。",
            "The Excel file could not be read: it is damaged, encrypted or not a workbook.",
        ) from None


def _read_small(archive: zipfile.ZipFile, name: str) -> bytes:
    with archive.open(name) as handle:
        content = handle.read(_SMALL_PART_LIMIT + 1)
    if len(content) > _SMALL_PART_LIMIT:
        raise ImportFileError(
            f"工作簿的 {name} 部分过大，不是正常的 Excel 文件。",
            f"The workbook's part {name} is too large for an Excel file.",
        )
    return content


def _attributes(raw: bytes) -> dict[str, str]:
    """A tag's attributes by local name (r:id → id), entities decoded."""
    found = {}
    for match in _ATTRIBUTE.finditer(raw):
        value = match.group(3) or match.group(4) or b""
        found[match.group(2).decode()] = html.unescape(value.decode("utf-8", "replace"))
    return found


def _xlsx_sheets(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
    """(sheet name, member) for every worksheet the workbook names, then any other member
    under xl/worksheets/ (a reader may find it by its path)."""
    found: list[tuple[str, str]] = []
    if "xl/workbook.xml" in names and "xl/_rels/workbook.xml.rels" in names:
        targets = {}
        for match in _ELEMENT.finditer(_read_small(archive, "xl/_rels/workbook.xml.rels")):
            attributes = _attributes(match.group(2))
            if match.group(1) == b"Relationship" and attributes.get("Type", "").endswith("/worksheet"):
                target = attributes.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                targets[attributes.get("Id")] = posixpath.normpath(path)
        for match in _ELEMENT.finditer(_read_small(archive, "xl/workbook.xml")):
            attributes = _attributes(match.group(2))
            member = targets.get(attributes.get("id"))
            if match.group(1) == b"sheet" and member in names:
                found.append((attributes.get("name", member), member))
    seen = {member for _, member in found}
    found += [
        (name, name)
        for name in sorted(names)
        if name.startswith("xl/worksheets/") and name.endswith(".xml") and name not in seen
    ]
    return found


def _segments(archive: zipfile.ZipFile, member: str):
    """A member's bytes in pieces of about a megabyte, each cut after a '>' so that no tag
    is split between two pieces."""
    carry = b""
    with archive.open(member) as handle:
        while chunk := handle.read(_CHUNK):
            buffer = carry + chunk
            cut = buffer.rfind(b">") + 1
            if cut:
                yield buffer[:cut]
            carry = buffer[cut:]
            if len(carry) > _TAG_LIMIT:
                raise ImportFileError(
                    "工作簿中有异常的超长标记，不是正常的 Excel 文件。",
                    "The workbook holds an abnormally long tag: it is not a normal Excel file.",
                )


def _tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern):
    for segment in _segments(archive, member):
        yield from pattern.finditer(segment)


# A cell's reference (r="B12"), and whether its tag closes itself (<c .../> holds no value).
# Searched from the literal ' r="' (fast); no other element in a sheet has such an attribute
# with such a value (rows have r="12", ranges are named ref or sqref).
_CELL_REF = re.compile(rb"""\sr=["']([A-Za-z]{1,4})([0-9]{1,9})["'][^>]*?(/?)>""")


def _cell_tags(segment: bytes) -> int:
    return sum(segment.count(tag) for tag in (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/"))


def _xlsx_extent(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """Rows and columns from A1 to the last cell that can hold a value. A self-closing
    <c/> holds none (python-calamine skips it, and styled blank cells are common).

    When every cell carries its reference, as Excel, WPS, LibreOffice and openpyxl write
    them, this is one regular-expression pass; otherwise cells are counted one by one."""
    last_row = last_col = 0
    for segment in _segments(archive, member):
        found = _CELL_REF.findall(segment)
        if len(found) != _cell_tags(segment):
            return _xlsx_extent_counted(archive, member)
        if not found:
            continue
        letters, numbers, closed = zip(*found, strict=True)
        if b"/" in closed:
            valued = [not slash for slash in closed]
            letters, numbers = tuple(compress(letters, valued)), tuple(compress(numbers, valued))
        if numbers:
            last_row = max(last_row, max(map(int, numbers)))
            last_col = max(last_col, max(_column_index(text) + 1 for text in set(letters)))
            if last_row > max_rows() + 1 or last_col > max_columns() or last_row * last_col > max_cells():
                break  # past the budget already: no need to read the rest
    return last_row, last_col


def _xlsx_extent_counted(archive: zipfile.ZipFile, member: str) -> tuple[int, int]:
    """The extent of a sheet some of whose cells carry no reference: each such cell is the
    one after the previous, each such row the one after the previous."""
    row = col = -1
    last_row = last_col = -1
    for match in _tags(archive, member, _XLSX_TAG):
        name, attributes = match.group(1), match.group(2)
        ref = _REF.search(attributes)
        if name == b"row":
            row = int(ref.group(2)) - 1 if ref and ref.group(2) else row + 1
            col = -1
            continue
        if ref and ref.group(1):
            col = _column_index(ref.group(1))
            if ref.group(2):
                row = int(ref.group(2)) - 1
        else:
            col += 1
        if not attributes.rstrip().endswith(b"/"):
            last_row, last_col = max(last_row, row), max(last_col, col)
    return last_row + 1, last_col + 1


def _column_index(letters: bytes) -> int:
    index = 0
    for letter in letters.upper()[:8]:
        index = index * 26 + letter - 64
    return index - 1


def _check_ods(archive: zipfile.ZipFile) -> None:
    """OpenDocument repeats rows and cells by count (number-rows-repeated): a cell with a
    value repeated 16,384 times is as large as 16,384 cells."""
    sheet, row, col, row_repeat = "", -1, -1, 1
    last_row = last_col = -1
    for match in _tags(archive, "content.xml", _ODS_TAG):
        closing, name, attributes = match.group(1), match.group(2), match.group(3)
        if name == b"table":
            if closing:
                check_area(sheet, last_row + 1, last_col + 1)
            else:
                found = re.search(rb"""table:name\s*=\s*["']([^"']*)["']""", attributes)
                sheet = found.group(1).decode("utf-8", "replace") if found else ""
                row, row_repeat, last_row, last_col = -1, 1, -1, -1
            continue
        if closing:
            continue
        if name == b"table-row":
            repeated = _ROWS_REPEATED.search(attributes)
            row += row_repeat
            row_repeat = int(repeated.group(1)) if repeated else 1
            col = -1
            continue
        repeated = _COLUMNS_REPEATED.search(attributes)
        count = int(repeated.group(1)) if repeated else 1
        first = col + 1
        col += count
        if _VALUE_TYPE.search(attributes) or not attributes.rstrip().endswith(b"/"):
            last_row = max(last_row, row + row_repeat - 1)
            last_col = max(last_col, first + count - 1)
        if (last_row + 1) * (last_col + 1) > max_cells():
            check_area(sheet, last_row + 1, last_col + 1)
