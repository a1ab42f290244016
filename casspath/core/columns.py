"""The one way to read many rows of numbers at once: a query's result as numpy columns.

Django's rows (and the driver's tuples under them) cost about a microsecond a value: the
diagnosis of 100,000 managers reads 5.4 million evidence records and 2.4 million months,
seconds of Python for what is a few hundred megabytes of numbers. On PostgreSQL the query
runs inside `COPY (...) TO STDOUT (FORMAT binary)`, every column cast to a fixed-width type,
so that each row of the stream has the same layout and a block of rows is one
`numpy.frombuffer` (the format: PostgreSQL's documentation, "COPY", "Binary Format"); no
number is ever formatted as text and parsed back. SQLite, in process, has no such stream:
its rows are fetched in batches, each batch one array made in C.

Columns must not be NULL (a NULL has no fixed width): the caller's SQL coalesces them, and a
NULL met anyway is an error, not a silent zero.
"""

from collections.abc import Callable, Sequence

import numpy as np
from django.db import connection, transaction

FETCH_BATCH = 50_000  # rows a fetchmany (SQLite)
BLOCK_BYTES = 8 << 20  # bytes of the COPY stream parsed at a time (PostgreSQL): bounded memory

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
# numpy's type of each column → PostgreSQL's fixed-width type and its big-endian layout.
_TYPES = {
    np.dtype(np.int64): ("int8", ">i8"),
    np.dtype(np.int32): ("int4", ">i4"),
    np.dtype(np.float64): ("float8", ">f8"),
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
            return _copy_binary(cursor, sql, params, dtypes)
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


def _copy_binary(cursor, sql: str, params: Sequence, dtypes: list[np.dtype]) -> list[np.ndarray]:
    names = ", ".join(f"c{j}" for j in range(len(dtypes)))
    casts = ", ".join(f"c{j}::{_TYPES[dtype][0]}" for j, dtype in enumerate(dtypes))
    # The select's columns renamed c0, c1, … by the alias list, whatever the caller named them.
    copy_sql = f"COPY (SELECT {casts} FROM ({sql}) AS q({names})) TO STDOUT (FORMAT binary)"  # noqa: S608
    # A row: int16 field count, then per field an int32 length and the value.
    fields: list[tuple[str, str]] = [("count", ">i2")]
    for j, dtype in enumerate(dtypes):
        fields += [(f"length{j}", ">i4"), (f"value{j}", _TYPES[dtype][1])]
    row = np.dtype(fields)
    sizes = [dtype.itemsize for dtype in dtypes]
    parts: list[list[np.ndarray]] = [[] for _ in dtypes]
    buffer = bytearray()
    header_done = False
    with cursor.cursor.copy(copy_sql, params or None) as copy:
        for chunk in copy:
            buffer += chunk
            if not header_done and len(buffer) >= 19:
                del buffer[:_header_length(buffer)]
                header_done = True
            if header_done and len(buffer) >= BLOCK_BYTES:
                _take_rows(buffer, row, sizes, parts, len(buffer) // row.itemsize)
    if not header_done:
        raise ValueError("read_columns: the COPY stream ended before its header")
    if bytes(buffer[-2:]) != b"\xff\xff" or (len(buffer) - 2) % row.itemsize:
        # A NULL (length −1, no value) makes its row shorter than the others.
        raise ValueError("read_columns: the COPY stream does not end on a whole row: a column "
                         "holds NULL")
    _take_rows(buffer, row, sizes, parts, (len(buffer) - 2) // row.itemsize)
    return [np.concatenate(columns) if columns else np.zeros(0, dtype=dtype)
            for columns, dtype in zip(parts, dtypes, strict=True)]


def _header_length(buffer: bytearray) -> int:
    if bytes(buffer[:11]) != SIGNATURE:
        raise ValueError("read_columns: not a binary COPY stream")
    extension = int.from_bytes(buffer[15:19], "big")
    return 19 + extension


def _take_rows(buffer: bytearray, row: np.dtype, sizes: list[int], parts: list[list[np.ndarray]],
               count: int) -> None:
    """Parse the first `count` rows of `buffer` into `parts` and drop them from it."""
    if not count:
        return
    block = np.frombuffer(bytes(buffer[:count * row.itemsize]), dtype=row, count=count)
    if (block["count"] != len(sizes)).any():
        raise ValueError("read_columns: a row of the COPY stream is out of step: a column holds NULL")
    for j, size in enumerate(sizes):
        lengths = block[f"length{j}"]
        if (lengths != size).any():
            raise ValueError(f"read_columns: column {j} holds NULL" if (lengths == -1).any()
                             else f"read_columns: column {j} is not {size} bytes wide")
        parts[j].append(block[f"value{j}"].astype(block[f"value{j}"].dtype.newbyteorder("=")))
    del buffer[:count * row.itemsize]
