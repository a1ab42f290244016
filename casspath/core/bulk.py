"""The one way to insert many rows at once: COPY (PostgreSQL) or multi-row INSERTs of one
prepared statement (SQLite), for the roster, the performance import and any other.

`bulk_create` compiles every field of every row (~10 µs a cell: 12 s for 100,000 rows where
the database needs under 1 s). The importers' column parsers have validated the values
already; this only adapts them as Django would and streams them.

On PostgreSQL the foreign keys stay declared, but for a big load they are checked set-based
rather than by PostgreSQL's trigger row by row (one lookup a row and a key: half the
server's time), when the connection may switch those triggers off (`_keys_at_once`): every
distinct key the rows refer to is looked up and locked FOR KEY SHARE, as the triggers would
lock it, before the COPY runs with session_replication_role = replica; a key not found
leaves the triggers on (they refuse the row, as ever).

A load at least as big as what the table holds already (a first import), when its caller
allows it, builds the table's plain indexes after the COPY rather than maintaining them row
by row (`_set_indexes_aside`): for 1.2 million rows the (employee, month) index cost the
server 1.7 s of CPU during the COPY against 0.4 s built at the end.
"""

from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from itertools import chain, islice, repeat

from django.db import OperationalError, connection, connections, transaction
from django.db.models import Field, ForeignKey, Model, QuerySet
from django.db.models.sql.constants import MULTI

COPY_BATCH = 10_000  # rows a COPY statement (PostgreSQL): progress between statements
WRITE_BATCH = 10_000  # rows an executemany (SQLite)
ROWS_A_STATEMENT = 100  # rows of one INSERT (SQLite): a third less time than one a statement
# From this many rows the foreign keys are checked at once, when the connection may (below,
# the row-by-row triggers cost less than the locking and the check).
KEYS_AT_ONCE_FROM = 20_000
# From this many rows (PostgreSQL, in a transaction), a load no smaller than the rows already
# in the table builds its plain indexes afterwards (`_set_indexes_aside`).
INDEXES_AFTER_FROM = 100_000


@dataclass(frozen=True)
class Same:
    """A column whose every row holds `value` (a default, the run's id, a time stamp)."""

    value: object


Column = Sequence | Same


def _field(model: type[Model], name: str) -> Field:
    field = model._meta.get_field(name)
    assert isinstance(field, Field) and field.column is not None  # own concrete fields only
    return field


def _column(field: Field) -> str:
    assert field.column is not None  # concrete fields only
    return field.column


def insert_rows(model: type[Model], fields: Sequence[str], columns: Sequence[Column],
                progress: Callable[[int], None] | None = None, *, keys_at_once: bool | None = None,
                indexes_after: bool = False) -> int:
    """INSERT rows into `model`'s table: `columns[j][i]` is field `fields[j]` (a name or an
    attribute name: "employee_id") of row i, or `Same(value)` for every row; at least one
    column is a sequence. Dates stay dates, decimals decimals. `progress(done)` is called
    between statements, when the connection is free. `keys_at_once` (PostgreSQL): check the
    foreign keys set-based when allowed; by default from KEYS_AT_ONCE_FROM rows. `indexes_after`
    (PostgreSQL): a load the size of a first import may build the plain indexes afterwards
    (`_set_indexes_aside`; the caller accepts that readers of the table then wait for its
    transaction). Returns the
    number of rows; a missing key raises IntegrityError (the caller's transaction rolls back)."""
    count = next((len(column) for column in columns if not isinstance(column, Same)), 0)
    if not count:
        return 0
    if keys_at_once is None:
        keys_at_once = count >= KEYS_AT_ONCE_FROM
    columns = _constants_as_same(columns)
    if connection.vendor == "postgresql":
        _copy_rows(model, fields, columns, count, progress, keys_at_once, indexes_after)
    else:
        _insert_sqlite(model, fields, columns, count, progress)
    return count


def _constants_as_same(columns: Sequence[Column]) -> list[Column]:
    """Each sequence of one value repeated (a kind, an empty product, a flag of every row) as
    `Same`: adapted once, bound once a statement instead of once a row (SQLite spends as long
    binding a parameter as storing it). One sequence stays a sequence all the same: the rows
    are as many as it is long (every column `Same` would be rows without end: a COPY of them
    filled the memory). Equal values of one type are written alike; floats are left as they
    are (0.0 == -0.0)."""
    converted = [_same_if_constant(column) for column in columns]
    if all(isinstance(column, Same) for column in converted):
        first = next(j for j, column in enumerate(columns) if not isinstance(column, Same))
        converted[first] = columns[first]
    return converted


def _same_if_constant(column: Column) -> Column:
    if isinstance(column, Same) or not column:
        return column
    first = column[0]
    if column[-1] != first or column[len(column) // 2] != first:
        return column  # (a glance before counting: most columns vary)
    if isinstance(first, float) or column.count(first) != len(column):
        return column
    if len(set(map(type, column))) != 1:
        return column  # 1 == 1.0 == True: equal, written differently
    return Same(first)


def _names(model: type[Model], fields: Sequence[str]) -> tuple[str, str]:
    quote = connection.ops.quote_name
    return quote(model._meta.db_table), ", ".join(quote(_column(_field(model, name))) for name in fields)


def _insert_sqlite(model, fields, columns, count, progress) -> None:
    """Multi-row INSERTs with numbered parameters: the constant columns are ?1, ?2, ... in
    every row of a statement, bound once for it; the other columns' values follow row by row."""
    table, names = _names(model, fields)
    constants = tuple(_sqlite_value(c.value) for c in columns if isinstance(c, Same))
    varying = [_sqlite_values(c) for c in columns if not isinstance(c, Same)]
    width = len(varying)

    def statement(rows: int) -> str:
        slots = []
        for row in range(rows):
            same = varied = 0
            parts = []
            for column in columns:
                if isinstance(column, Same):
                    same += 1
                    parts.append(f"?{same}")
                else:
                    varied += 1
                    parts.append(f"?{len(constants) + row * width + varied}")
            slots.append(f"({', '.join(parts)})")
        return f"INSERT INTO {table} ({names}) VALUES {', '.join(slots)}"  # noqa: S608 - names from the model

    flat = list(chain.from_iterable(zip(*varying, strict=True)))  # row after row
    many = statement(ROWS_A_STATEMENT)
    step = ROWS_A_STATEMENT * width
    with connection.cursor() as cursor:
        for start in range(0, count, WRITE_BATCH):
            end = min(count, start + WRITE_BATCH)
            whole = start + (end - start) // ROWS_A_STATEMENT * ROWS_A_STATEMENT
            if whole > start:  # SQLite steps one statement a hundred rows instead of a hundred
                cursor.executemany(many, [constants + tuple(flat[at : at + step])
                                          for at in range(start * width, whole * width, step)])
            if whole < end:
                # (executemany of one: Django's query log would format numbered parameters as %s)
                rest = constants + tuple(flat[whole * width : end * width])
                cursor.executemany(statement(end - whole), [rest])
            if progress is not None:
                progress(end)


def _sqlite_value(value):
    # sqlite3's default date adapters are deprecated; Django stores dates as ISO text, and
    # decimals as their text (its adapter is str).
    if isinstance(value, datetime):
        return connection.ops.adapt_datetimefield_value(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    return value


def _sqlite_values(column: Sequence) -> Sequence:
    """A column adapted as `_sqlite_value` would each value, a C-level map where it is of one type."""
    kinds = set(map(type, column))
    if kinds == {date}:
        return dates_as_text(column)
    if kinds == {Decimal}:
        return list(map(str, column))
    if any(issubclass(kind, date | Decimal) for kind in kinds):
        return [_sqlite_value(value) for value in column]
    return column


def dates_as_text(column: Sequence[date]) -> list[str]:
    """A column of dates as ISO text (what SQLite stores and COPY reads), each distinct date
    formatted once: a column of dates repeats few (a year of months is twelve; a century of
    days under 37,000), and a dictionary's look-up is several times faster than isoformat."""
    texts = {day: day.isoformat() for day in set(column)}
    return list(map(texts.__getitem__, column))


# COPY's text format: these characters are written escaped.
_COPY_ESCAPES = str.maketrans({"\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r"})
# Types whose str() holds none of those characters (and that PostgreSQL reads back as is).
_PLAIN_TYPES = {int, bool, date, Decimal}


def _copy_text(column: Sequence) -> list[str]:
    """A column's values as COPY text (None is \\N), converted once for the whole column:
    building the text column by column is several times faster than psycopg's row writer."""
    if not column:
        return []
    kinds = set(map(type, column))
    if kinds == {str}:
        joined = "".join(column)
        if any(char in joined for char in "\\\t\n\r"):
            return [value.translate(_COPY_ESCAPES) for value in column]
        return list(column)
    if kinds <= {str, type(None)}:
        return [value.translate(_COPY_ESCAPES) if value is not None else "\\N" for value in column]
    if kinds == {date}:
        return dates_as_text(column)
    if kinds <= _PLAIN_TYPES:  # ids, dates, decimals, flags: nothing to escape
        return list(map(str, column))
    if kinds == {int, type(None)}:
        return ["\\N" if value is None else str(value) for value in column]
    return ["\\N" if value is None else str(value).translate(_COPY_ESCAPES) for value in column]


def _copy_rows(model, fields, columns, count, progress, keys_at_once: bool, indexes_after: bool) -> None:
    """COPY the rows, a batch a statement. Each batch's text is built while the server reads
    the one before (it reads a COPY as it arrives: the two cores work at once). COPY runs
    on psycopg's own cursor: its errors are made Django's (an IntegrityError) here."""
    table, names = _names(model, fields)
    copy_sql = f"COPY {table} ({names}) FROM STDIN"
    same = {j: _copy_text([c.value])[0] for j, c in enumerate(columns) if isinstance(c, Same)}

    def batch(start: int) -> str:
        end = min(count, start + COPY_BATCH)
        texts: list[Iterable[str]] = [repeat(same[j]) if j in same else _copy_text(c[start:end])
                                      for j, c in enumerate(columns)]
        # (islice: never more rows than the batch holds, whatever the columns)
        return "\n".join(map("\t".join, islice(zip(*texts, strict=False), end - start))) + "\n"

    with connection.wrap_database_errors, connection.cursor() as cursor:
        replica = _keys_at_once(cursor, model, fields, columns) if keys_at_once else False
        # (only with the triggers off: a trigger's pending event would forbid the build)
        indexes = _set_indexes_aside(cursor, model, count) if indexes_after and replica else []
        text = batch(0)
        for start in range(0, count, COPY_BATCH):
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(text)
                if start + COPY_BATCH < count:
                    text = batch(start + COPY_BATCH)
            if progress is not None:
                progress(min(count, start + COPY_BATCH))
        for definition in indexes:
            cursor.execute(definition)
        if replica:
            cursor.execute("SET LOCAL session_replication_role = origin")


def _set_indexes_aside(cursor, model: type[Model], count: int) -> list[str]:
    """For a big load into a table holding no more rows than it brings (this transaction's
    own deletions not counted), drop the table's plain indexes (not its primary key, nor a
    unique or constraint's index) and return their definitions, to be created again after
    the COPY, in the same transaction: a rollback restores them as they were. Dropping them
    takes the table's ACCESS EXCLUSIVE lock until the transaction ends; it is asked for
    without waiting (NOWAIT, in a savepoint), so that no reader queues behind a waiting
    import and two imports never deadlock over it: when another transaction holds any lock
    on the table, the indexes stay and the COPY maintains them. Readers of the table wait
    for this transaction to end (the COPY and the indexes' build, seconds at a million
    rows): the table held fewer rows than the load, a first import or nearly. Called with
    the foreign-key triggers off (`_keys_at_once`): the COPY leaves no trigger event pending,
    which would forbid the build."""
    if count < INDEXES_AFTER_FROM or not connection.in_atomic_block:
        return []
    meta = model._meta
    cursor.execute(
        "SELECT pg_get_indexdef(i.indexrelid), i.indexrelid::regclass::text FROM pg_index i"
        " WHERE i.indrelid = %s::regclass AND NOT i.indisprimary AND NOT i.indisunique AND i.indisvalid"
        " AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)"
        " ORDER BY 2",
        [meta.db_table],
    )
    indexes = cursor.fetchall()
    if not indexes:
        return []
    table = connection.ops.quote_name(meta.db_table)
    # (rows up to one more than the load: enough to tell, without counting a big table)
    cursor.execute(f"SELECT count(*) FROM (SELECT 1 FROM {table} LIMIT %s) AS held", [count + 1])  # noqa: S608
    if cursor.fetchone()[0] > count:
        return []
    try:
        with transaction.atomic():
            cursor.execute(f"LOCK TABLE {table} IN ACCESS EXCLUSIVE MODE NOWAIT")
            for _definition, name in indexes:
                cursor.execute(f"DROP INDEX {name}")  # (regclass's text: quoted as needed)
    except OperationalError:
        # Another transaction uses the table now, or this one left trigger events pending
        # on it (PostgreSQL then refuses to drop or build an index).
        return []
    return [definition for definition, _name in indexes]


def _checked_keys(model: type[Model]) -> list[ForeignKey]:
    # The keys the database enforces (a trigger each on PostgreSQL).
    fields = model._meta.concrete_fields
    return [f for f in fields if isinstance(f, ForeignKey) and getattr(f, "db_constraint", True)]


def _keys_at_once(cursor, model, fields, columns) -> bool:
    """Switch the row-by-row foreign-key triggers off for this transaction's COPY, having
    locked the rows the new ones refer to as those triggers would (FOR KEY SHARE: no one may
    delete them or change their key until the transaction ends, and reads go on): each
    distinct key is found and locked, so every row copied refers to a row that exists and
    stays (the rows are the columns given; no check after the COPY is needed). Returns
    whether the triggers are off: not outside a transaction, when the rows bring
    their own primary keys, when the connection may not set session_replication_role, when
    the table has triggers of its own (replica mode would skip them too), or when a row
    referred to is gone (the triggers will refuse it, as ever)."""
    meta = model._meta
    keys = _checked_keys(model)
    supplied = {_field(model, name).column: column for name, column in zip(fields, columns, strict=True)}
    if not keys or not connection.in_atomic_block or meta.pk.column in supplied:
        return False
    may_set = (  # granted by GRANT SET ON PARAMETER since PostgreSQL 15, to superusers before
        "has_parameter_privilege('session_replication_role', 'SET')"
        if getattr(connection, "pg_version", 0) >= 150000
        else "(SELECT rolsuper FROM pg_roles WHERE rolname = current_user)"
    )
    own_triggers = "SELECT 1 FROM pg_trigger WHERE tgrelid = %s::regclass AND NOT tgisinternal"
    cursor.execute(f"SELECT {may_set}, NOT EXISTS ({own_triggers})", [meta.db_table])  # noqa: S608
    allowed, no_own_triggers = cursor.fetchone()
    if not (allowed and no_own_triggers):
        return False
    quote = connection.ops.quote_name
    for key in keys:
        column = supplied.get(key.column)
        if column is None:
            continue  # not written: NULL (refused where the column is NOT NULL)
        values = [column.value] if isinstance(column, Same) else column
        ids = sorted({value for value in values if value is not None})  # type: ignore[type-var]
        if ids:
            target = key.target_field
            cursor.execute(
                f"SELECT count(*) FROM (SELECT 1 FROM {quote(target.model._meta.db_table)}"  # noqa: S608
                f" WHERE {quote(_column(target))} = ANY(%s) FOR KEY SHARE) AS locked",
                [ids],
            )
            if cursor.fetchone()[0] != len(ids):
                return False
    cursor.execute("SET LOCAL session_replication_role = replica")
    return True


def values_rows(queryset: QuerySet, chunk_size: int = 10_000) -> Iterator[tuple]:
    """The rows of a `values_list` queryset, as its iterator(chunk_size) gives them, with
    Django's own converters (a stored text to a date, SQLite's float to a Decimal) applied
    once per distinct value of a column and chunk rather than once per cell: the columns
    of many rows repeat few values (a year's months, a kind, a flag), and the converters'
    calls, row by row, were most of the time of reading a million records back."""
    compiler = queryset.query.get_compiler(using=queryset.db)
    chunked = not connections[queryset.db].settings_dict.get("DISABLE_SERVER_SIDE_CURSORS")
    chunks = compiler.execute_sql(MULTI, chunked_fetch=chunked, chunk_size=chunk_size)
    fields = [selected[0] for selected in compiler.select[0:compiler.col_count]]
    converters = list(compiler.get_converters(fields).items())
    for chunk in chunks or ():
        if not chunk:
            continue
        columns = list(zip(*chunk, strict=True))
        for position, (convert, expression) in converters:
            columns[position] = _converted(columns[position], convert, expression, compiler.connection)
        yield from zip(*columns, strict=True)


def _converted(column: Sequence, converters: Sequence[Callable], expression, db) -> list:
    """`column` through each of `converters` in turn, each distinct value once (keyed by
    value and type where it holds several: 1 and True, 0 and 0.0 are equal, not alike)."""
    mixed = len(set(map(type, column))) > 1
    keys = list(zip(map(type, column), column, strict=True)) if mixed else column
    done = {}
    for key in set(keys):
        value = key[1] if mixed else key
        for converter in converters:
            value = converter(value, expression, db)
        done[key] = value
    return list(map(done.__getitem__, keys))
