"""Small lookups that every request makes, compiled to SQL once per process.

Building and compiling a queryset costs far more CPU than running it for the lookups each
request repeats (the user, his role bindings, an employee by number, the stage table:
0.1-0.5 ms of Python each against a few hundredths in the database;
benchmarks/profile_request.py). A `PreparedQuery` compiles its queryset once per database
alias, with stand-ins for the values that change, then runs that SQL with each call's values
and builds the same instances Django's own iteration builds (select_related included, the
database's converters applied).

Only values compared for equality (`field=value`) can change between calls: the stand-in
must reach the SQL as it was given. A value that a lookup transforms (`__startswith`,
`__in`), prefetching and annotations over related rows are refused when the query is first
compiled, not guessed at.

`execute_planned` is the database's side of the same idea: on PostgreSQL a statement run
through it is planned once per connection (PREPARE, then EXECUTE).
"""

import hashlib
import itertools
import re
import weakref
from collections.abc import Callable, Sequence
from typing import Any, Generic, TypeVar

from django.db import connections, router
from django.db.models import Model, QuerySet
from django.db.models.query import get_related_populators

M = TypeVar("M", bound=Model)

# Stand-ins no row holds, by the type of the value they stand for.
_STAND_INS: dict[type, Callable[[int], Any]] = {
    int: lambda i: -8_317_000_000 - i,
    str: lambda i: f"\x1fcasspath-prepared-{i}\x1f",
}


class _Compiled:
    def __init__(self, queryset: QuerySet, stand_ins: Sequence[Any]):
        unsupported = ("_prefetch_related_lookups", "_known_related_objects")
        if any(getattr(queryset, name, None) for name in unsupported):
            raise ValueError("a prepared query cannot prefetch")
        compiler = queryset.query.get_compiler(using=queryset.db)
        sql, params = compiler.as_sql()
        params = list(params)
        self.slots: list[int] = []
        for stand_in in stand_ins:
            found = [i for i, param in enumerate(params) if param == stand_in]
            if len(found) != 1:
                raise ValueError(f"a prepared value must reach the SQL once, unchanged: {queryset.query}")
            self.slots.append(found[0])
        self.sql, self.params = sql, params
        klass_info = compiler.klass_info
        if klass_info is None or compiler.annotation_col_map:
            raise ValueError("a prepared query builds model instances, without annotations")
        select = compiler.select
        self.model = klass_info["model"]
        fields = klass_info["select_fields"]
        self.start, self.end = fields[0], fields[-1] + 1
        self.init_list = [column[0].target.attname for column in select[self.start:self.end]]
        # Django 5.2's signature (the stubs describe a later one).
        self.related = get_related_populators(klass_info, select, queryset.db)  # type: ignore[call-arg]
        self.converters = [
            (position, converters, expression)
            for position, (converters, expression) in compiler.get_converters(
                [column[0] for column in select]).items()
        ]


class PreparedQuery(Generic[M]):
    """`build(*stand_ins)` makes the queryset, once per database alias; calling the prepared
    query with values of `types` (int or str, one per stand-in) runs it and returns its
    instances."""

    def __init__(self, build: Callable[..., QuerySet[M]], *types: type):
        self.build = build
        self.stand_ins = [_STAND_INS[kind](i) for i, kind in enumerate(types)]
        self.model: type[Model] | None = None
        self._compiled: dict[str, _Compiled] = {}

    def _prepared(self) -> tuple[str, _Compiled]:
        if self.model is None:
            self.model = self.build(*self.stand_ins).model
        alias = router.db_for_read(self.model)
        compiled = self._compiled.get(alias)
        if compiled is None:
            queryset = self.build(*self.stand_ins).using(alias)
            compiled = self._compiled[alias] = _Compiled(queryset, self.stand_ins)
        return alias, compiled

    def __call__(self, *values: Any) -> list[M]:
        if len(values) != len(self.stand_ins):
            raise TypeError(f"expected {len(self.stand_ins)} values, got {len(values)}")
        alias, compiled = self._prepared()
        params = list(compiled.params)
        for slot, value in zip(compiled.slots, values, strict=True):
            params[slot] = value
        connection = connections[alias]
        with connection.cursor() as cursor:
            cursor.execute(compiled.sql, params)
            rows = cursor.fetchall()
        objects = []
        for row in rows:
            if compiled.converters:
                row = list(row)
                for position, converters, expression in compiled.converters:
                    value = row[position]
                    for converter in converters:
                        value = converter(value, expression, connection)
                    row[position] = value
            obj = compiled.model.from_db(alias, compiled.init_list, row[compiled.start:compiled.end])
            for populator in compiled.related:
                populator.populate(row, obj)
            objects.append(obj)
        return objects

    def first(self, *values: Any) -> M | None:
        """The first instance, or None: the queryset says which comes first (order_by)."""
        objects = self(*values)
        return objects[0] if objects else None


# --- statements the database plans once ------------------------------------------------------

# On PostgreSQL a statement of many joins and OR-ed scope conditions can take longer to plan
# than to run (the search's scope check: planning ~0.6 ms of its ~0.8 ms;
# benchmarks/search.py). Django binds parameters in the client, so the server plans every
# statement anew; one run through `execute_planned` is PREPAREd once per connection and then
# EXECUTEd with each call's values. Only for statements whose best plan does not hang on the
# values (a scope check by primary keys does not; a full-text query, whose plan depends on how
# common its words are, does, and is not planned once). Prepared statements live as long as
# the session (a rollback keeps them), so the names prepared are kept per connection object.
_PLACEHOLDER = re.compile(r"%s|%%")
_PREPARED: "weakref.WeakKeyDictionary[Any, set[str]]" = weakref.WeakKeyDictionary()
PREPARED_MAX = 64  # per connection; past it statements run as usual


def execute_planned(cursor, sql: str, params: Sequence[Any]) -> None:
    """cursor.execute(sql, params), planned once per connection on PostgreSQL (`sql` with %s
    marks, as Django's own); as usual elsewhere."""
    db = cursor.db
    if db.vendor != "postgresql":
        cursor.execute(sql, params)
        return
    prepared = _PREPARED.setdefault(db.connection, set())
    name = "casspath_" + hashlib.blake2b(sql.encode(), digest_size=10).hexdigest()
    if name not in prepared:
        if len(prepared) >= PREPARED_MAX:
            cursor.execute(sql, params)
            return
        numbers = itertools.count(1)
        body = _PLACEHOLDER.sub(lambda m: "%" if m.group() == "%%" else f"${next(numbers)}", sql)
        cursor.execute(f"PREPARE {name} AS {body}")
        prepared.add(name)
    cursor.execute(f"EXECUTE {name} ({', '.join(['%s'] * len(params))})" if params else f"EXECUTE {name}",
                   params or None)
