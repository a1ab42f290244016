"""Set-based writes for imports of many rows: INSERT by COPY (PostgreSQL) or one prepared
statement run over every row (SQLite).

`bulk_create` compiles every field of every row (~10 µs a cell: 12 s for 100,000 rows where
the database needs under 1 s). The importers' column parsers have validated the values
already; these only adapt them as Django would and stream them. The roster import keeps its
own writer (org/importers/writes.py), which also maintains the employee search.
"""

from collections.abc import Callable, Sequence
from datetime import date

from django.db import connection
from django.db.models import Field, Model

COPY_BATCH = 50_000  # rows a COPY statement (PostgreSQL)
WRITE_BATCH = 10_000  # rows an executemany (SQLite)


def _column(model: type[Model], name: str) -> str:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # own concrete fields only
    return field.column


def insert_rows(model: type[Model], fields: Sequence[str], columns: Sequence[Sequence],
                progress: Callable[[int], None] | None = None) -> int:
    """INSERT `len(columns[0])` rows into `model`'s table: `columns[j][i]` is field
    `fields[j]` (an attribute name: "employee_id") of row i. Dates stay dates, decimals
    decimals. `progress(done)` is called between statements, when the connection is free.
    Returns the number of rows."""
    count = len(columns[0]) if columns else 0
    if not count:
        return 0
    quote = connection.ops.quote_name
    table = quote(model._meta.db_table)
    names = ", ".join(quote(_column(model, name)) for name in fields)
    if connection.vendor == "postgresql":
        # COPY streams rows a batch a statement: ~20× executemany. It runs on psycopg's own
        # cursor, so its errors are made Django's here.
        copy_sql = f"COPY {table} ({names}) FROM STDIN"
        with connection.wrap_database_errors, connection.cursor() as cursor:
            for start in range(0, count, COPY_BATCH):
                stop = min(count, start + COPY_BATCH)
                with cursor.cursor.copy(copy_sql) as copy:
                    write = copy.write_row
                    for row in zip(*(column[start:stop] for column in columns), strict=True):
                        write(row)
                if progress is not None:
                    progress(stop)
        return count
    adapted = [_sqlite_values(column) for column in columns]
    sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(fields))})"  # noqa: S608 - names from the model
    with connection.cursor() as cursor:
        for start in range(0, count, WRITE_BATCH):
            stop = min(count, start + WRITE_BATCH)
            cursor.executemany(sql, list(zip(*(column[start:stop] for column in adapted), strict=True)))
            if progress is not None:
                progress(stop)
    return count


def _sqlite_values(column: Sequence) -> Sequence:
    # sqlite3's default date adapter is deprecated; Django stores dates as ISO text.
    sample = next((value for value in column if value is not None), None)
    if isinstance(sample, date):
        return [value.isoformat() if value is not None else None for value in column]
    return column
