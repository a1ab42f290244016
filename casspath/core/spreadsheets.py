"""Every spreadsheet casspath writes for Excel (.xlsx and .csv) goes through this module, so
that no text a user typed (a name, a unit, a dimension) can come out as a live formula
beside other people's data (CSV / formula injection, OWASP "CSV Injection").

A text cell is formula-like when it starts with = + - @ TAB or CR: Excel and LibreOffice
evaluate such a cell of a CSV file, and openpyxl writes a str starting with "=" as a
formula. So:

- .xlsx: every such cell is written as a string (`data_type` "s", an inline string in the
  file, never an `<f>` element) and flagged `quotePrefix`, Excel's own "typed with a leading
  apostrophe" mark, which keeps it text when the cell is edited. The value is unchanged.
- .csv: such a cell gets a leading single quote, which Excel and LibreOffice show as text.
  `read_back` removes exactly that quote, so casspath reads its own export back unchanged;
  a text that itself starts with quotes before such a character gets one more quote, which
  keeps the two functions exact inverses.

Workbooks are made with `new_workbook()` and turned into bytes with `xlsx_bytes()` (or
`save_xlsx()`), which neutralises every cell of every sheet on the way out; rows of a
write-only (streamed) sheet go through `append_row()`, since its cells cannot be revisited.
"""

import csv
import io
import itertools
from datetime import date
from pathlib import Path
from typing import BinaryIO

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
CSV_QUOTE = "'"


def is_formula_like(text: str) -> bool:
    """Whether a spreadsheet program could take this text for a formula."""
    return text.startswith(FORMULA_STARTS)


def _needs_quote(text: str) -> bool:
    return text.lstrip(CSV_QUOTE).startswith(FORMULA_STARTS)


def csv_text(text: str) -> str:
    """The text as it goes into a CSV cell: quoted with ' when a formula could start it."""
    return CSV_QUOTE + text if _needs_quote(text) else text


def read_back(text: str) -> str:
    """The inverse of `csv_text`: the value of a cell read from a CSV file."""
    if text.startswith(CSV_QUOTE) and _needs_quote(text[1:]):
        return text[1:]
    return text


def new_workbook(*, write_only: bool = False) -> Workbook:
    return Workbook(write_only=write_only)


def _mark_text(cell) -> None:
    cell.data_type = "s"
    cell.quotePrefix = True


def append_row(sheet, values) -> None:
    """Append a row. On a write-only (streamed) sheet, formula-like text is made a plain
    string here, since the sweep at save cannot reach cells already streamed."""
    if not sheet.parent.write_only:
        sheet.append(values)
        return
    row = []
    for value in values:
        if isinstance(value, str) and is_formula_like(value):
            value = WriteOnlyCell(sheet, value=value)
            _mark_text(value)
        row.append(value)
    sheet.append(row)


def _neutralise(workbook: Workbook) -> None:
    """Every formula-like text cell of a (not write-only) workbook becomes a plain string:
    casspath writes values, never formulas (drop-down lists live in data validations)."""
    if workbook.write_only:
        return
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if isinstance(cell.value, str) and is_formula_like(cell.value):
                    _mark_text(cell)


def xlsx_bytes(workbook: Workbook) -> bytes:
    _neutralise(workbook)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def save_xlsx(workbook: Workbook, path: Path | BinaryIO) -> None:
    """Save to a path or a binary file (a streamed download's temporary file)."""
    _neutralise(workbook)
    workbook.save(path)


def _csv_value(value) -> str:
    if value is None:
        return ""
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, str):
        return csv_text(value)
    return str(value)


def write_csv(rows, out: BinaryIO) -> None:
    """Rows as CSV in UTF-8 with a BOM (so Excel opens it as UTF-8), every cell quoted
    (OWASP) and formula-like text quoted with ', written to a binary file as they come (a
    generator of 100,000 rows never sits in memory)."""
    text = io.TextIOWrapper(out, encoding="utf-8-sig", newline="", write_through=True)
    writer = csv.writer(text, quoting=csv.QUOTE_ALL)
    for row in rows:
        writer.writerow([_csv_value(value) for value in row])
    text.flush()
    text.detach()  # leave `out` open for the caller


def csv_bytes(rows) -> bytes:
    """`write_csv` into memory."""
    out = io.BytesIO()
    write_csv(rows, out)
    return out.getvalue()


def write_table(suffix: str, out: BinaryIO, sheet_name: str, headers, rows) -> int:
    """One sheet of `headers` then `rows` (any iterable: streamed, never held whole) to `out`
    as CSV (`suffix` ".csv") or .xlsx (anything else); the number of rows written. The one
    way an export writes its table, whatever it exports."""
    count = 0

    def counted():
        nonlocal count
        for row in rows:
            count += 1
            yield row

    if suffix.lower() == ".csv":
        write_csv(itertools.chain([headers], counted()), out)
        return count
    workbook = new_workbook(write_only=True)
    sheet = workbook.create_sheet(sheet_name)
    append_row(sheet, headers)
    try:
        for row in counted():
            append_row(sheet, row)
    except BaseException:
        # The sheet's writer closed now, while its temporary file is open: left to the
        # interpreter's exit, it prints a traceback after the command's own answer.
        sheet.close()
        raise
    save_xlsx(workbook, out)
    return count
