"""How much an import may read: rows, columns and cells, checked before anything is expanded.

python-calamine turns a sheet into a dense grid from A1 to its last cell as soon as it
loads it: a 1.6 KB workbook with one cell at XFD1048576 asks for 512 GiB and aborts the
process (a Rust allocation failure is not an exception). So a zip workbook's sheet XML is
scanned first, streaming, for the last row and column that hold a cell, and a sheet whose
grid would pass the budget is refused. Legacy .xls (BIFF) cannot pass 65,536 × 256 cells;
its grid is checked once loaded, before it becomes Python lists.

The text the cells expand to is bounded too: calamine copies a shared string into every
cell that refers to it (one 4 MB string in 400 cells of an 8 KB file took 4.9 GB) and an
OpenDocument <text:s text:c="1000000000"/> is a billion spaces. So the shared strings are
measured (streaming), each cell's text is counted as it will be expanded, a cell longer than
Excel's own 32,767 characters is refused, and so is a workbook whose text passes the budget.

The budget is in settings (CASSPATH IMPORT_MAX_ROWS, IMPORT_MAX_COLUMNS, IMPORT_MAX_CELLS,
IMPORT_MAX_TEXT_CHARS); a kind may have its own (IMPORT_BUDGET_BY_KIND, `budget_of`).
"""

import codecs
import functools
import html
import io
import posixpath
import queue
import re
import threading
import zipfile
from array import array
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from contextvars import ContextVar
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


# The budget of the kind being read, when it has its own (`budget_of`).
_kind_budget: ContextVar[Mapping[str, int] | None] = ContextVar("import_kind_budget", default=None)


def _limit(name: str, default: int) -> int:
    own = _kind_budget.get()
    if own is not None and name in own:
        return int(own[name])
    return int(settings.CASSPATH.get(name, default))


@contextmanager
def budget_of(kind: str) -> Iterator[None]:
    """Read with the budget of `kind` where settings give it one (CASSPATH
    IMPORT_BUDGET_BY_KIND: a year of monthly performance for 100,000 managers is 1.2 million
    rows, beyond the default of 200,000); the default elsewhere."""
    token = _kind_budget.set(settings.CASSPATH.get("IMPORT_BUDGET_BY_KIND", {}).get(kind))
    try:
        yield
    finally:
        _kind_budget.reset(token)


def max_rows() -> int:
    return _limit("IMPORT_MAX_ROWS", 200_000)


def max_columns() -> int:
    return _limit("IMPORT_MAX_COLUMNS", 200)


def max_cells() -> int:
    return _limit("IMPORT_MAX_CELLS", 2_000_000)


def max_text_chars() -> int:
    return _limit("IMPORT_MAX_TEXT_CHARS", 50_000_000)


# Excel's own limit: a longer cell was not made by Excel (nor by LibreOffice for Excel).
CELL_CHARS_LIMIT = 32_767


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


def check_text(sheet: str, chars: int) -> None:
    """Refuse a workbook whose cells, once expanded, hold more than the text budget."""
    if chars <= max_text_chars():
        return
    raise ImportFileError(
        f"读到工作表“{sheet}”时，工作簿的单元格文本展开后已有至少 {chars} 个字符，"
        f"超过上限（{max_text_chars()} 个字符）。请拆分文件后分批导入。",
        f"By sheet '{sheet}' the workbook's cells expand to at least {chars} characters of text, "
        f"more than the limit ({max_text_chars()} characters). Split the file and import the parts.",
    )


def check_workbook(data: bytes) -> set[str]:
    """Scan a zip workbook (.xlsx, .xlsm, .ods) for its sheets' extent; refuse one past the
    budget, and a zip that cannot be scanned (it cannot be trusted to calamine either).
    Returns the members (sheet XML of an .xlsx) in which the scan saw what may be a formula's
    tag (<f, or a prefixed :f): the others hold none, and need no search for formulas."""
    formulas: set[str] = set()
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
            lengths = _shared_string_lengths(archive, names)
            text = 0
            for sheet, member in xlsx_sheets(archive, names):
                rows, columns, text, formula = _xlsx_extent(archive, member, sheet, lengths, text)
                check_area(sheet, rows, columns)
                if formula:
                    formulas.add(member)
    except ImportFileError:
        raise
    except Exception:  # noqa: BLE001 - zipfile and zlib raise many types on damaged input
        raise ImportFileError(
            "无法读取 Excel 文件：文件已损坏、加密或不是 Excel 工作簿。",
            "The Excel file could not be read: it is damaged, encrypted or not a workbook.",
        ) from None
    return formulas


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


def xlsx_sheets(archive: zipfile.ZipFile, names: set[str]) -> list[tuple[str, str]]:
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


def _chunks(archive: zipfile.ZipFile, member: str) -> Iterator[bytes]:
    """A member's decompressed bytes, a megabyte at a time, read ahead in a thread: zlib and
    crc32 release the GIL, so the decompression of the next pieces runs on another core
    while this one searches a piece (a tenth to a fifth of the scan's time). A few pieces
    ahead at most; the thread stops when the reader does (a refusal stops it early)."""
    ahead: queue.Queue = queue.Queue(maxsize=3)
    stop = threading.Event()

    def put(item) -> bool:
        while not stop.is_set():
            try:
                ahead.put(item, timeout=0.05)
                return True
            except queue.Full:
                continue
        return False

    def read() -> None:
        try:
            with archive.open(member) as handle:
                while put(chunk := handle.read(_CHUNK)) and chunk:
                    pass
        except BaseException as exc:  # noqa: BLE001 - raised again in the reader's thread
            put(exc)

    reader = threading.Thread(target=read, name="casspath-import-scan", daemon=True)
    reader.start()
    try:
        while True:
            item = ahead.get()
            if isinstance(item, BaseException):
                raise item
            if not item:
                return
            yield item
    finally:
        stop.set()
        reader.join()


def _segments(archive: zipfile.ZipFile, member: str):
    """A member's bytes in pieces of about a megabyte, each cut after a '>' so that no tag
    is split between two pieces."""
    carry = b""
    for chunk in _chunks(archive, member):
        buffer = carry + chunk
        cut = buffer.rfind(b">") + 1
        if cut:
            yield buffer[:cut]
        carry = buffer[cut:]
        if len(carry) > _TAG_LIMIT:
            raise _long_tag()


def _tags(archive: zipfile.ZipFile, member: str, pattern: re.Pattern):
    for segment in _segments(archive, member):
        yield from pattern.finditer(segment)


# A cell's reference (r="B12"), and whether its tag closes itself (<c .../> holds no value).
# Searched from the literal ' r="' (fast); no other element in a sheet has such an attribute
# with such a value (rows have r="12", ranges are named ref or sqref).
_CELL_REF = re.compile(rb"""\sr=["']([A-Za-z]{1,4})([0-9]{1,9})["'][^>]*?(/?)>""")


def _cell_tags(segment: bytes) -> int:
    return sum(segment.count(tag) for tag in (b"<c ", b"<c>", b"<c/", b":c ", b":c>", b":c/"))


def _xlsx_extent(
    archive: zipfile.ZipFile, member: str, sheet: str, lengths: array, text: int
) -> tuple[int, int, int, bool]:
    """Rows and columns from A1 to the last cell that can hold a value, `text` plus the
    characters this sheet's cells expand to, and whether the sheet may hold a formula (a
    piece with <f or :f: no piece splits a tag). A self-closing <c/> holds none
    (python-calamine skips it, and styled blank cells are common).

    When every cell carries its reference, as Excel, WPS, LibreOffice and openpyxl write
    them, this is one regular-expression pass; otherwise cells are counted one by one."""
    last_row = last_col = 0
    counted = formula = False
    for segment in _cell_segments(archive, member, sheet):
        # A prefixed tag (x:c, x:t, x:f) needs a colon: one fast look spares three searches.
        prefixed = b":" in segment
        text += _segment_text(segment, lengths, sheet, prefixed)
        check_text(sheet, text)
        # A formula's tag needs an "f": one look in C spares a search of a two-byte needle.
        formula = formula or (b"f" in segment and (b"<f" in segment or (prefixed and b":f" in segment)))
        if counted:
            continue
        fast = _plain_extent(segment, last_col, prefixed)
        if fast is not None:
            rows, columns = fast
            last_row, last_col = max(last_row, rows), max(last_col, columns)
            if last_row > max_rows() + 1 or last_col > max_columns() or last_row * last_col > max_cells():
                return last_row, last_col, text, formula
            continue
        found = _CELL_REF.findall(segment)
        if len(found) != _cell_tags(segment):
            counted = True
            continue
        if not found:
            continue
        letters, numbers, closed = zip(*found, strict=True)
        if b"/" in closed:
            valued = [not slash for slash in closed]
            letters, numbers = tuple(compress(letters, valued)), tuple(compress(numbers, valued))
        if numbers:
            last_row = max(last_row, max(map(int, numbers)))
            last_col = max(last_col, max(_column_index(letter) + 1 for letter in set(letters)))
            if last_row > max_rows() + 1 or last_col > max_columns() or last_row * last_col > max_cells():
                return last_row, last_col, text, formula  # past the budget already: no need to read on
    if counted:
        last_row, last_col = _xlsx_extent_counted(archive, member)
    return last_row, last_col, text, formula


# The common case: every cell is <c r="..."> (no prefix, no self-closing tag) and carries its
# reference, in capitals. The last cell's reference is read; one search (no object a cell)
# then looks for a reference beyond it, or one not of that form.
_LAST_REF = re.compile(rb"""<c r=["']([A-Z]{1,4})([0-9]{1,9})["']""")


def _plain_extent(segment: bytes, columns_seen: int = 0, prefixed: bool = True) -> tuple[int, int] | None:
    """Rows and columns from A1 to the last cell of a piece of sheet XML in which every tag
    that starts with "<c" is a cell whose first attribute is its reference, in capitals, no
    cell closes itself, and no reference lies past the row of the last cell nor past the
    column of the last full row's last cell or `columns_seen` (rows in order and of one
    width, as every writer writes them); None for any other piece (`_xlsx_extent` then
    looks at each cell). Several times faster than reading every reference."""
    if prefixed and b":c" in segment:
        return None  # a prefixed cell is counted apart
    start = segment.rfind(b"<c r=")
    if start < 0:
        return None if b"<c" in segment else (0, 0)
    last = _LAST_REF.match(segment, start)
    if last is None:
        return None
    row, columns = int(last.group(2)), _column_index(last.group(1)) + 1
    row_end = segment.rfind(b"</row>")
    if row_end > 0:  # the piece may end in a row's first cells: its last full row is wider
        full = _LAST_REF.match(segment, max(segment.rfind(b"<c r=", 0, row_end), 0))
        if full is None:
            return None
        columns = max(columns, _column_index(full.group(1)) + 1)
    columns = max(columns, columns_seen)
    if _beyond(column_letters(columns - 1).encode(), row).search(segment):
        # A reference out of order, in lower case, or not a reference; a cell that closes
        # itself (it holds no value); a "<c" tag that is no such cell (<cols>, <c s="1">).
        return None
    return row, columns


@functools.lru_cache(maxsize=64)
def _beyond(letters: bytes, row: int) -> re.Pattern:
    """A "<c" that is not a cell tag <c r="..."> whose reference is capitals and digits
    within `letters` and `row` (a longer number is past it: leading zeros are read as such)
    and which does not close itself: a reference out of bounds or of another form, a
    self-closing cell, any other tag that starts with "<c".

    Written as a reference *not* within the bounds (a negative look-ahead of the columns up
    to `letters` and the rows up to `row`): the engine tries one short alternation a cell,
    where the list of ways to be past them took twice as long over a sheet. The same search
    stands for three looks over the piece that took longer together (counting "<c" and
    "<c r=", looking for "/>")."""
    digits = str(row).encode()
    columns = [rb"[A-Z]{1,%d}+" % (len(letters) - 1)] if len(letters) > 1 else []
    columns += [letters[:i] + rb"[A-%c]" % (letters[i] - 1) + rb"[A-Z]" * (len(letters) - i - 1)
                for i in range(len(letters)) if letters[i] > ord("A")]
    rows = [rb"[0-9]{1,%d}+" % (len(digits) - 1)] if len(digits) > 1 else []
    rows += [digits[:i] + rb"[0-%c]" % (digits[i] - 1) + rb"[0-9]" * (len(digits) - i - 1)
             for i in range(len(digits)) if digits[i] > ord("0")]
    within = (rb"(?:" + rb"|".join([*columns, letters]) + rb")(?:" + rb"|".join([*rows, digits])
              + rb""")["']""")
    return re.compile(rb"""<c(?! r=["']""" + within + rb"""[^>/]*>)""")


# --- text ----------------------------------------------------------------------------

_PREFIX = rb"(?:[A-Za-z_][\w.-]*:)?"
# A cell that refers to a shared string, as every writer puts it: <c r="B2" t="s"><v>12</v>.
# Patterns lead with a literal (t=, <t) so that the regular-expression engine skips ahead.
_SHARED_TYPE = re.compile(rb"""t=["']s["']""")
_SHARED_VALUE = re.compile(rb"""t=["']s["'][^>]*>\s*<""" + _PREFIX + rb"""v>\s*([0-9]+)\s*<""")
_VALUE = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>\s*([0-9]*)")
_CELL_CLOSE = re.compile(rb"</" + _PREFIX + rb"c>")
_INLINE_TEXT = re.compile(rb"<t(?:\s[^>]*)?>([^<]*)")
_PREFIXED_TEXT = re.compile(rb"<[A-Za-z_][\w.-]*:t(?:\s[^>]*)?>([^<]*)")
_ALL_VALUES = re.compile(rb"<" + _PREFIX + rb"v(?:\s[^>]*)?>([^<]*)")
_SST_TOKEN = re.compile(r"<(/?)(?:[A-Za-z_][\w.-]*:)?(si|t|rPh)(?=[\s/>])[^>]*?(/?)>")
_MARKUP = re.compile(rb"<[^>]*>")


def _chars(raw: bytes) -> int:
    """Characters of XML text (entities decoded); never fewer than the text will hold."""
    if raw.isascii() and b"&" not in raw:
        return len(raw)  # a byte a character, no entity
    text = raw.decode("utf-8", "replace")
    return len(html.unescape(text)) if "&" in text else len(text)


def _text_refusal(place_zh: str, place_en: str) -> ImportFileError:
    return ImportFileError(
        f"{place_zh}中有一段文本超过 Excel 单元格的上限（{CELL_CHARS_LIMIT} 个字符）："
        "这不是 Excel 保存的文件。",
        f"{place_en} holds a text longer than an Excel cell allows ({CELL_CHARS_LIMIT} characters): "
        "the file was not saved by Excel.",
    )


def _cell_text_refusal(sheet: str) -> ImportFileError:
    return _text_refusal(f"工作表“{sheet}”", f"Sheet '{sheet}'")


def _shared_string_lengths(archive: zipfile.ZipFile, names: set[str]) -> array:
    """The length of every shared string, by index: of the part the workbook's relationships
    name and of xl/sharedStrings.xml (a reader may take either), the longer at each index."""
    members = {"xl/sharedStrings.xml"} & names
    if "xl/_rels/workbook.xml.rels" in names:
        for match in _ELEMENT.finditer(_read_small(archive, "xl/_rels/workbook.xml.rels")):
            attributes = _attributes(match.group(2))
            if match.group(1) == b"Relationship" and attributes.get("Type", "").endswith("/sharedStrings"):
                target = attributes.get("Target", "")
                path = target.lstrip("/") if target.startswith("/") else posixpath.join("xl", target)
                members |= {posixpath.normpath(path)} & names
    lengths = array("q")
    for member in sorted(members):
        found = _shared_strings(archive, member)
        for index in range(min(len(found), len(lengths))):
            lengths[index] = max(lengths[index], found[index])
        lengths.extend(found[len(lengths):])
    return lengths


def _shared_strings(archive: zipfile.ZipFile, member: str) -> array:
    """Stream the shared strings table: each <si>'s length (its <t> texts, phonetic runs
    aside). Refuse one longer than a cell may be, more entries than the cell budget, or a
    table whose text alone passes the text budget (calamine holds all of it)."""
    lengths = array("q")
    total = current = phonetic = 0
    in_text = False
    place = (f"共享字符串表 {member} ", f"The shared strings table {member}")
    decoder = codecs.getincrementaldecoder("utf-8")("replace")
    carry = ""
    with archive.open(member) as handle:
        while True:
            chunk = handle.read(_CHUNK)
            buffer = carry + decoder.decode(chunk, final=not chunk)
            last = buffer.rfind("<")
            cut = len(buffer) if not chunk or last < 0 or buffer.find(">", last) >= 0 else last
            piece, carry = buffer[:cut], buffer[cut:]
            if len(carry) > _TAG_LIMIT:
                raise _long_tag()
            position = 0
            for match in _SST_TOKEN.finditer(piece):
                if in_text and not phonetic:
                    between = piece[position:match.start()]
                    current += len(html.unescape(between)) if "&" in between else len(between)
                position = match.end()
                closing, name, empty = match.group(1), match.group(2), match.group(3)
                if name == "t":
                    in_text = not closing and not empty
                elif name == "rPh":
                    phonetic = max(phonetic - 1, 0) if closing else phonetic + (not empty)
                elif closing or empty:
                    lengths.append(current)
                    total += current
                    current, in_text, phonetic = 0, False, 0
                    if len(lengths) > max_cells() or total > max_text_chars():
                        raise _shared_table_refusal(member, len(lengths), total)
                else:
                    current, in_text, phonetic = 0, False, 0
                if current > CELL_CHARS_LIMIT:
                    raise _text_refusal(*place)
            if in_text and not phonetic:
                current += len(piece) - position
            if current > CELL_CHARS_LIMIT:
                raise _text_refusal(*place)
            if not chunk:
                return lengths


def _shared_table_refusal(member: str, count: int, total: int) -> ImportFileError:
    return ImportFileError(
        f"工作簿的共享字符串表 {member} 超过上限（{max_cells()} 个字符串、{max_text_chars()} 个字符），"
        "请拆分文件后分批导入。",
        f"The workbook's shared strings table {member} holds more than the limit "
        f"({max_cells()} strings, {max_text_chars()} characters). Split the file and import the parts.",
    )


def _segment_text(segment: bytes, lengths: array, sheet: str, prefixed: bool = True) -> int:
    """Characters the cells of a piece of sheet XML (whole cells only) expand to: the shared
    string each t="s" cell refers to (calamine copies it into the cell), inline strings and
    the values of formula strings (t="str"). One longer than Excel allows is refused."""
    shared = _shared_types(segment)
    refs = _SHARED_VALUE.findall(segment) if shared else []  # a pass spared where none is
    if len(refs) != shared:
        refs = _shared_refs_one_by_one(segment)
    chars = sum(map(lengths.__getitem__, map(int, refs))) if refs else 0
    # A pass of the engine only where an inline string can be (most sheets have none).
    texts = _INLINE_TEXT.findall(segment) if b"<t" in segment else []
    if prefixed and (b":t>" in segment or b":t " in segment):
        texts += _PREFIXED_TEXT.findall(segment)
    if b't="str"' in segment or (b"'" in segment and b"t='str'" in segment):
        texts += _ALL_VALUES.findall(segment)
    if texts:
        if max(map(len, texts)) > CELL_CHARS_LIMIT and max(map(_chars, texts)) > CELL_CHARS_LIMIT:
            raise _cell_text_refusal(sheet)
        chars += _chars(b"".join(texts))
    return chars


def _shared_types(segment: bytes) -> int:
    """How many times `_SHARED_TYPE` matches: its four spellings counted in C (they cannot
    overlap), without the engine's pass over the segment; the three odd ones only where a
    first look finds the quote they hold."""
    count = segment.count(b't="s"')
    if b"'" in segment:  # one look in C (memchr) for what every odd spelling holds
        count += segment.count(b"t='s'") + segment.count(b"t='s\"") + segment.count(b"t=\"s'")
    return count


def _shared_refs_one_by_one(segment: bytes) -> list[bytes]:
    """The shared-string index of each t="s" cell however its XML is laid out."""
    refs = []
    for match in _SHARED_TYPE.finditer(segment):
        end = segment.find(b">", match.end())
        if end < 0 or segment[end - 1:end] == b"/":
            continue  # a self-closing cell holds no value
        close = _CELL_CLOSE.search(segment, end)
        value = _VALUE.search(segment, end, close.start() if close else len(segment))
        if value and value.group(1):
            refs.append(value.group(1))
    return refs


def _long_tag() -> ImportFileError:
    return ImportFileError(
        "工作簿中有异常的超长标记，不是正常的 Excel 文件。",
        "The workbook holds an abnormally long tag: it is not a normal Excel file.",
    )


def _cell_segments(archive: zipfile.ZipFile, member: str, sheet: str):
    """A sheet's XML in pieces of about a megabyte, each cut after a '>' or before a cell's
    tag, so that no cell is split between two pieces. A cell longer than a megabyte is refused."""
    carry = b""
    for chunk in _chunks(archive, member):
        buffer = carry + chunk
        cut = buffer.rfind(b">") + 1
        start = _last_cell_start(buffer)
        if start >= 0 and not _cell_closed(buffer, start):
            cut = start
        if cut:
            yield buffer[:cut]
        carry = buffer[cut:]
        if len(carry) > _TAG_LIMIT:
            raise _cell_text_refusal(sheet)
    if carry:
        yield carry


def _last_cell_start(buffer: bytes) -> int:
    # The last of several tags: looked for in the buffer's tail first (a tag there is later
    # than any before it), the whole buffer only when the tail has none.
    start = _last_of(buffer, (b"<c ", b"<c>", b"<c/", b"<c\n"))
    prefixed = _last_of(buffer, (b":c ", b":c>"))
    if prefixed > start:
        opening = buffer.rfind(b"<", 0, prefixed)
        if opening >= 0 and buffer[opening + 1:opening + 2] != b"/":
            start = max(start, opening)
    return start


_TAIL = 2**12  # a few cells (each rfind of a needle that is not there reads all of it)


def _last_of(buffer: bytes, needles: tuple[bytes, ...]) -> int:
    """Where the last of any of `needles` starts in `buffer`, or -1."""
    tail = max(len(buffer) - _TAIL, 0)
    found = max(buffer.rfind(needle, tail) for needle in needles)
    if found < 0 and tail:
        found = max(buffer.rfind(needle) for needle in needles)
    return found


def _cell_closed(buffer: bytes, start: int) -> bool:
    end = buffer.find(b">", start)
    if end < 0:
        return False
    return buffer[end - 1:end] == b"/" or _CELL_CLOSE.search(buffer, end) is not None


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


_ODS_TEXT_TAG = re.compile(
    rb"<(/?)(?:table|text):(table-row|table-cell|covered-table-cell|table|s|tab|line-break)(?=[\s/>])([^>]*)>"
)
_SPACES = re.compile(rb"""text:c\s*=\s*["']([0-9]+)["']""")
_STRING_VALUE = re.compile(rb"""office:string-value\s*=\s*(?:"([^"]*)"|'([^']*)')""")


def _check_ods(archive: zipfile.ZipFile) -> None:
    """OpenDocument repeats rows and cells by count (number-rows-repeated): a cell with a
    value repeated 16,384 times is as large as 16,384 cells, and its text as long as 16,384
    copies of it. <text:s text:c="N"/> is N spaces."""
    sheet, row, col, row_repeat = "", -1, -1, 1
    last_row = last_col = -1
    text = cell_text = cell_count = 0
    in_cell = False
    budget = max_text_chars()
    for segment in _segments(archive, "content.xml"):
        position = 0
        for match in _ODS_TEXT_TAG.finditer(segment):
            closing, name, attributes = match.group(1), match.group(2), match.group(3)
            if in_cell and match.start() > position:
                cell_text += _visible_chars(segment[position:match.start()])
            position = match.end()
            if name in (b"s", b"tab", b"line-break"):
                if in_cell and not closing:
                    spaces = _SPACES.search(attributes) if name == b"s" else None
                    cell_text += int(spaces.group(1)) if spaces else 1
                    if cell_text > CELL_CHARS_LIMIT:
                        raise _cell_text_refusal(sheet)
                continue
            if name == b"table":
                if closing:
                    check_area(sheet, last_row + 1, last_col + 1)
                else:
                    found = re.search(rb"""table:name\s*=\s*["']([^"']*)["']""", attributes)
                    sheet = found.group(1).decode("utf-8", "replace") if found else ""
                    row, row_repeat, last_row, last_col = -1, 1, -1, -1
                continue
            if closing:
                if name != b"table-row" and in_cell:
                    in_cell = False
                    if cell_text > CELL_CHARS_LIMIT:
                        raise _cell_text_refusal(sheet)
                    text += cell_text * cell_count * row_repeat
                    if text > budget:
                        check_text(sheet, text)
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
            value = _STRING_VALUE.search(attributes)
            cell_text = _chars(value.group(1) or value.group(2) or b"") if value else 0
            cell_count = count
            in_cell = not attributes.rstrip().endswith(b"/")
            if not in_cell and cell_text:
                text += cell_text * count * row_repeat
                if cell_text > CELL_CHARS_LIMIT:
                    raise _cell_text_refusal(sheet)
                if text > budget:
                    check_text(sheet, text)
        if in_cell and len(segment) > position:
            cell_text += _visible_chars(segment[position:])
            if cell_text > CELL_CHARS_LIMIT:
                raise _cell_text_refusal(sheet)


def _visible_chars(raw: bytes) -> int:
    """Characters of a piece of a cell's XML once its markup (<text:p>, <text:span>) is gone."""
    return _chars(_MARKUP.sub(b"", raw) if b"<" in raw else raw)
