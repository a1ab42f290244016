"""The one way to read many rows of numbers at once: a query's result as numpy columns.

Django's rows (and the driver's tuples under them) cost about a microsecond a value: the
diagnosis of 100,000 managers reads 5.4 million evidence records and 2.4 million months,
seconds of Python for what is a few hundred megabytes of numbers.

On PostgreSQL the rows are packed by the server: each value in its binary form
(`int8send`, `float8send`: big-endian, fixed width), the rows of one value of the first
column concatenated into one bytea (`string_agg`), and the packs streamed by
`COPY ... TO STDOUT (FORMAT binary)` (PostgreSQL's documentation, "COPY", "Binary Format").
A block of packs is then one `numpy.frombuffer`: no number is formatted as text and parsed
back, and Python handles one message a pack (an employee's records), not one a row (the
driver yields COPY data a row at a time: 5.4 million rows were 12 s of Python alone).
The first column should be the one the query's rows come ordered by (an employee id on the
index's order), or PostgreSQL sorts them to pack them.

SQLite, in process, has no such stream: its rows are fetched in batches, each batch one
array made in C.

Columns must not be NULL (a NULL has no fixed width): the caller's SQL coalesces them, and a
NULL met anyway is an error, not a silent zero.
"""

from collections.abc import Callable, Sequence

import numpy as np
from django.db import connection, transaction

FETCH_BATCH = 50_000  # rows a fetchmany (SQLite)
BLOCK_BYTES = 8 << 20  # packed bytes parsed at a time (PostgreSQL): bounded memory

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
# numpy's type of each column → PostgreSQL's type, its send function and its packed layout.
_TYPES = {
    np.dtype(np.int64): ("int8", "int8send", ">i8"),
    np.dtype(np.int32): ("int4", "int4send", ">i4"),
    np.dtype(np.float64): ("float8", "float8send", ">f8"),
}


def read_columns(sql: str, params: Sequence, types: Sequence[type | np.dtype],
                 *, cursor_setup: Callable[[object], None] | None = None) -> list[np.ndarray]:
    """The result of `sql` (with `params`, as Django's `sql_with_params` gives them), one
    array a selected column, of numpy's `types` (int64, int32 or float64). `cursor_setup`
    runs on the cursor first, inside the same transaction (SET LOCAL planner settings)."""
    dtypes = [np.dtype(t) for t in types]
    if unknown := [str(t) for t in dtypes if t not in _TYPES]:
        raise ValueError(f"read_columns reads int64, int32 and float64 columns, not {unknown}")
    with transaction.atomic(), connection.cursor() as cursor:
        if cursor_setup is not None:
            cursor_setup(cursor)
        if connection.vendor == "postgresql":
            return _copy_packed(cursor, sql, params, dtypes)
        return _fetch(cursor, sql, params, dtypes)


def _fetch(cursor, sql: str, params: Sequence, dtypes: list[np.dtype]) -> list[np.ndarray]:
    cursor.execute(sql, params)
    parts = [np.zeros((0, len(dtypes)))]
    while batch := cursor.fetchmany(FETCH_BATCH):
        parts.append(np.array(batch, dtype=np.float64))
    table = np.concatenate(parts)
    if np.isnan(table).any():
        raise ValueError("read_columns: a column holds NULL")
    # float64 holds every integer below 2^53 exactly: ids, day numbers and counts.
    return [table[:, j].astype(dtype) for j, dtype in enumerate(dtypes)]


def _copy_packed(cursor, sql: str, params: Sequence, dtypes: list[np.dtype]) -> list[np.ndarray]:
    names = ", ".join(f"c{j}" for j in range(len(dtypes)))
    packed = " || ".join(f"{_TYPES[dtype][1]}(c{j}::{_TYPES[dtype][0]})" for j, dtype in enumerate(dtypes))
    # The select's columns renamed c0, c1, … by the alias list, whatever the caller named them.
    # count(*) beside each pack: string_agg skips a NULL row, which would go missing unseen.
    copy_sql = (f"COPY (SELECT count(*), string_agg({packed}, ''::bytea) "  # noqa: S608
                f"FROM ({sql}) AS q({names}) GROUP BY c0) TO STDOUT (FORMAT binary)")
    record = np.dtype([(f"c{j}", _TYPES[dtype][2]) for j, dtype in enumerate(dtypes)])
    parts: list[list[np.ndarray]] = [[] for _ in dtypes]
    packs: list[bytes] = []
    pending = counted = 0
    buffer = bytearray()
    at = -1  # where the next pack starts in buffer; −1 before the header
    ended = False
    # A packing group's hash table would hold every pack at once: they come sorted instead.
    cursor.execute("SET LOCAL enable_hashagg = off")
    with cursor.cursor.copy(copy_sql, params or None) as copy:
        for chunk in copy:
            buffer += chunk
            if at < 0:
                if len(buffer) < 19:
                    continue
                at = _header_length(buffer)
            while not ended and (row := _pack_at(buffer, at)) is not None:
                at, count, pack = row
                if pack is None:  # the trailer
                    ended = True
                    break
                packs.append(pack)
                pending += len(pack)
                counted += count
                if pending >= BLOCK_BYTES:
                    _take(packs, record, parts)
                    packs, pending = [], 0
            del buffer[:at]
            at = 0
    if not ended or buffer:
        raise ValueError("read_columns: the COPY stream does not end with its trailer")
    _take(packs, record, parts)
    found = [np.concatenate(columns) if columns else np.zeros(0, dtype=dtype)
             for columns, dtype in zip(parts, dtypes, strict=True)]
    if len(found[0]) != counted:
        raise ValueError("read_columns: a column holds NULL")
    return found


def _header_length(buffer: bytearray) -> int:
    if bytes(buffer[:11]) != SIGNATURE:
        raise ValueError("read_columns: not a binary COPY stream")
    extension = int.from_bytes(buffer[15:19], "big")
    return 19 + extension


def _pack_at(buffer: bytearray, at: int) -> tuple[int, int, bytes | None] | None:
    """The row of the COPY stream at `at` (count, pack) and where the next starts; the pack
    None for the trailer; None when the row is not all in `buffer` yet."""
    if len(buffer) < at + 2:
        return None
    fields = int.from_bytes(buffer[at:at + 2], "big", signed=True)
    if fields == -1:
        return at + 2, 0, None
    if fields != 2 or len(buffer) < at + 18:
        if fields != 2:
            raise ValueError("read_columns: a row of the COPY stream is out of step")
        return None
    count = int.from_bytes(buffer[at + 6:at + 14], "big")
    length = int.from_bytes(buffer[at + 14:at + 18], "big", signed=True)
    if length == -1:  # every row of the pack held a NULL
        return at + 18, count, b""
    if len(buffer) < at + 18 + length:
        return None
    return at + 18 + length, count, bytes(buffer[at + 18:at + 18 + length])


def _take(packs: list[bytes], record: np.dtype, parts: list[list[np.ndarray]]) -> None:
    """The packs' rows into `parts`, a column each, in this machine's byte order."""
    data = b"".join(packs)
    if len(data) % record.itemsize:
        raise ValueError("read_columns: a pack is not whole rows: a column holds NULL")
    block = np.frombuffer(data, dtype=record)
    for j, column in enumerate(parts):
        values = block[f"c{j}"]
        column.append(values.astype(values.dtype.newbyteorder("=")))
