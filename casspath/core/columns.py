"""The one way to read many rows of numbers at once: a query's result as numpy columns.

Django's rows (and the driver's tuples under them) cost about a microsecond a value: the
diagnosis of 100,000 managers reads 5.4 million evidence records and 2.4 million months,
seconds of Python for what is a few hundred megabytes of numbers.

On PostgreSQL the rows are packed by the server: the rows of one value of the first column
make one COPY row, that value once, their count, and the other columns of each row in their
binary form (`int8send`, `float8send`: big-endian, fixed width) concatenated into one bytea
(`string_agg`), streamed by `COPY ... TO STDOUT (FORMAT binary)` (PostgreSQL's
documentation, "COPY", "Binary Format"). A block of packs is then one `numpy.frombuffer`:
no number is formatted as text and parsed back, and Python handles one message a pack (an
employee's records), not one a row (the driver yields COPY data a row at a time: 5.4
million rows were 12 s of Python alone). The first column should be the one the query's
rows come ordered by (an employee id on the index's order), or PostgreSQL sorts them to
pack them.

SQLite, in process, has no such stream: its rows are fetched in batches, each batch one
array made in C.

Two ways to take the result: `read_columns`, whole arrays; `read_column_blocks`, a block of
rows at a time handed to a function, every row of one first-column value in one block (so a
caller that folds per first-column value, an employee's records, never holds them all).

Columns must not be NULL (a NULL has no fixed width): the caller's SQL coalesces them, and a
NULL met anyway is an error, not a silent zero.
"""

import struct
from collections.abc import Callable, Sequence

import numpy as np
from django.db import connection, transaction

FETCH_BATCH = 50_000  # rows a fetchmany (SQLite)
# Packed bytes parsed at a time (PostgreSQL): bounded memory, and small enough that a
# block's arrays come from memory the process has touched already (fresh pages are slow).
BLOCK_BYTES = 2 << 20

SIGNATURE = b"PGCOPY\n\xff\r\n\x00"
# numpy's type of each column → PostgreSQL's type, its send function and its packed layout.
_TYPES = {
    np.dtype(np.int64): ("int8", "int8send", ">i8"),
    np.dtype(np.int32): ("int4", "int4send", ">i4"),
    np.dtype(np.int16): ("int2", "int2send", ">i2"),
    np.dtype(np.float64): ("float8", "float8send", ">f8"),
}
TYPE_NAMES = "int64, int32, int16 and float64"

Block = list[np.ndarray]


def read_columns(sql: str, params: Sequence, types: Sequence[type | np.dtype],
                 *, cursor_setup: Callable[[object], None] | None = None) -> list[np.ndarray]:
    """The result of `sql` (with `params`, as Django's `sql_with_params` gives them), one
    array a selected column, of numpy's `types` (int64, int32, int16 or float64).
    `cursor_setup` runs on the cursor first, inside the same transaction (SET LOCAL planner
    settings)."""
    dtypes = _dtypes(types)
    blocks: list[Block] = []
    read_column_blocks(sql, params, dtypes, blocks.append, cursor_setup=cursor_setup)
    if len(blocks) == 1:
        return blocks[0]
    return [np.concatenate([block[j] for block in blocks]) if blocks else np.zeros(0, dtype=dtype)
            for j, dtype in enumerate(dtypes)]


def read_column_blocks(sql: str, params: Sequence, types: Sequence[type | np.dtype],
                       take: Callable[[Block], None], *,
                       cursor_setup: Callable[[object], None] | None = None) -> None:
    """`read_columns` a block at a time: `take(columns)` for each block of rows, in the order
    they come, never for an empty one. Every row of one value of the first column is in one
    block, in the order the database gave them."""
    dtypes = _dtypes(types)
    with transaction.atomic(), connection.cursor() as cursor:
        if cursor_setup is not None:
            cursor_setup(cursor)
        if connection.vendor == "postgresql":
            _copy_packed(cursor, sql, params, dtypes, take)
        else:
            _fetch(cursor, sql, params, dtypes, take)


def _dtypes(types: Sequence[type | np.dtype]) -> list[np.dtype]:
    dtypes = [np.dtype(t) for t in types]
    if unknown := [str(t) for t in dtypes if t not in _TYPES]:
        raise ValueError(f"read_columns reads {TYPE_NAMES} columns, not {unknown}")
    if not dtypes:
        raise ValueError("read_columns reads one column at least")
    return dtypes


def _fetch(cursor, sql: str, params: Sequence, dtypes: list[np.dtype], take: Callable[[Block], None]) -> None:
    cursor.execute(sql, params)
    parts = [np.zeros((0, len(dtypes)))]
    while batch := cursor.fetchmany(FETCH_BATCH):
        parts.append(np.array(batch, dtype=np.float64))
    table = np.concatenate(parts)
    if np.isnan(table).any():
        raise ValueError("read_columns: a column holds NULL")
    # One block: the rows of a first-column value may lie anywhere in SQLite's order.
    # float64 holds every integer below 2^53 exactly: ids, day numbers and counts.
    if len(table):
        take([table[:, j].astype(dtype) for j, dtype in enumerate(dtypes)])


def _copy_packed(cursor, sql: str, params: Sequence, dtypes: list[np.dtype],
                 take: Callable[[Block], None]) -> None:
    names = ", ".join(f"c{j}" for j in range(len(dtypes)))
    key_type = _TYPES[dtypes[0]][0]
    packed = " || ".join(f"{_TYPES[dtype][1]}(c{j}::{_TYPES[dtype][0]})"
                         for j, dtype in enumerate(dtypes) if j) or "''::bytea"
    # The select's columns renamed c0, c1, … by the alias list, whatever the caller named them.
    # count(*) beside each pack: string_agg skips a NULL row, which would go missing unseen.
    copy_sql = (f"COPY (SELECT c0::{key_type}, count(*), string_agg({packed}, ''::bytea) "  # noqa: S608
                f"FROM ({sql}) AS q({names}) GROUP BY c0) TO STDOUT (FORMAT binary)")
    record = np.dtype([(f"c{j}", _TYPES[dtype][2]) for j, dtype in enumerate(dtypes) if j] or [])
    row = _Rows(dtypes[0], record.itemsize)
    # A packing group's hash table would hold every pack at once: they come sorted instead.
    cursor.execute("SET LOCAL enable_hashagg = off")
    with cursor.cursor.copy(copy_sql, params or None) as copy:
        for chunk in copy:
            if row.feed(chunk) >= BLOCK_BYTES:
                _take(row, dtypes, record, take)
    row.end()
    _take(row, dtypes, record, take)


class _Rows:
    """The COPY stream's rows (key, count, pack), parsed as the driver hands them over: one
    message a row but the first (the header before it), which `feed` takes whole without a
    copy; a row cut across messages (not what PostgreSQL sends, but allowed) is joined."""

    def __init__(self, key: np.dtype, width: int):
        self.head = struct.Struct(f">hi{'q' if key.itemsize == 8 else 'i' if key.itemsize == 4 else 'h'}iqi")
        self.key_size, self.width = key.itemsize, width
        self.keys: list[int] = []
        self.counts: list[int] = []
        self.packs: list[memoryview] = []
        self.pending = 0
        self.rest = b""  # bytes of a row not all arrived yet
        self.started = self.ended = False

    def feed(self, chunk) -> int:
        """The rows whole in `chunk` (after what was left before): the pack bytes pending."""
        data = memoryview(self.rest + bytes(chunk) if self.rest else chunk)
        at = 0
        if not self.started:
            if len(data) < 19:
                self.rest = bytes(data)
                return self.pending
            if bytes(data[:11]) != SIGNATURE:
                raise ValueError("read_columns: not a binary COPY stream")
            at = 19 + int.from_bytes(data[15:19], "big")
            self.started = True
        head, size = self.head, self.head.size
        end = len(data)
        while at < end:
            if self.ended:
                raise ValueError("read_columns: the COPY stream goes on after its trailer")
            if end - at >= 2 and data[at:at + 2] == b"\xff\xff":  # the trailer: −1 fields
                self.ended = True
                at += 2
                continue
            if end - at < size:
                break
            fields, key_length, key, count_length, count, length = head.unpack_from(data, at)
            if fields != 3 or count_length != 8:
                raise ValueError("read_columns: a row of the COPY stream is out of step")
            if key_length != self.key_size:  # −1: the first column held NULL
                raise ValueError("read_columns: a column holds NULL")
            # A NULL in another column: string_agg skipped its row (or every row: NULL, −1).
            if length != count * self.width:
                raise ValueError("read_columns: a column holds NULL")
            if end - at - size < length:
                break
            self.keys.append(key)
            self.counts.append(count)
            if length:
                self.packs.append(data[at + size:at + size + length])
            self.pending += length
            at += size + length
        self.rest = bytes(data[at:]) if at < end else b""
        return self.pending

    def end(self) -> None:
        if not self.ended or self.rest:
            raise ValueError("read_columns: the COPY stream does not end with its trailer")


def _take(rows: _Rows, dtypes: list[np.dtype], record: np.dtype, take: Callable[[Block], None]) -> None:
    """The packs held by `rows` as one block of columns, in this machine's byte order."""
    if not rows.keys:
        return
    counts = np.array(rows.counts, dtype=np.int64)
    key = np.repeat(np.array(rows.keys, dtype=dtypes[0]), counts)
    columns = [key]
    if record.names:
        block = np.frombuffer(b"".join(rows.packs), dtype=record)
        for name in record.names:
            values = block[name]
            columns.append(values.astype(values.dtype.newbyteorder("=")))
    rows.keys, rows.counts, rows.packs, rows.pending = [], [], [], 0
    take(columns)
