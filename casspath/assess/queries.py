"""Reads of evidence: one person's records, and the current level per employee × dimension
of many at once (the rule: `casspath/analytics/evidence.py`).

A unit's evidence is read as columns (ids, codes, sources, days, levels), mapped to rows
and columns of the result with numpy, and handed to the rule in one call: no Python per
employee × dimension."""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, ExpressionWrapper, F, FloatField, Func, IntegerField, QuerySet, Value, When
from django.db.models.functions import Cast, Power

from casspath.analytics import evidence as rule
from casspath.assess.models import Evidence
from casspath.competency.models import Dimension
from casspath.core.columns import read_column_blocks, read_columns
from casspath.org import scopes
from casspath.org.models import Employee, OrgUnit

EPOCH_ORDINAL = date(1970, 1, 1).toordinal()  # numpy's day 0 as a date.toordinal()


def evidence_of(employee: Employee) -> QuerySet[Evidence]:
    """An employee's evidence, by dimension code, newest first (the caller has accessed him)."""
    return (Evidence.objects.filter(employee=employee).select_related("dimension", "model")
            .order_by("dimension_code", "-observed_on", "source"))


@dataclass(frozen=True)
class Levels:
    """The rule's result with the employees (rows) and dimension codes (columns) it is for."""

    employee_ids: list[int]
    codes: list[str]
    current: rule.CurrentLevels

    def newest_date(self, row: int, column: int) -> date | None:
        day = int(self.current.newest[row, column])
        return date.fromordinal(day) if day else None


class EpochDay(Func):
    """A date as its day number since 1970-01-01 (numpy's day 0), computed by the database:
    the read then carries numbers only."""

    output_field = IntegerField()
    template = "(%(expressions)s - DATE '1970-01-01')"  # PostgreSQL: date − date is days

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection,
                           template="CAST(julianday(%(expressions)s) - 2440587.5 AS INTEGER)", **extra)


def current_levels(employees: QuerySet[Employee], codes: Sequence[str], *, as_of: date,
                   half_life_days: float = rule.DEFAULT_HALF_LIFE_DAYS,
                   source_weights: Mapping[str, float] = rule.SOURCE_WEIGHTS) -> Levels:
    """The current level of each of `employees` (a queryset the caller has filtered by
    scope) in each dimension of `codes`, as of the day `as_of` (evidence dated later is
    left out). Evidence of other codes is not read.

    PostgreSQL streams the records as numbers and numpy applies the rule
    (`_levels_of_records`); SQLite sums them per employee and dimension first
    (`_levels_of_sums`). The same rule either way (a test reads both on each database)."""
    ids = np.array(sorted(employees.values_list("id", flat=True)), dtype=np.int64)
    code_list = list(codes)
    shape = (len(ids), len(code_list))
    if not len(ids) or not code_list:
        return Levels(ids.tolist(), code_list, rule.current_levels_of_sums(
            *([[]] * 8), shape=shape))
    if not 0 < half_life_days < float("inf"):
        raise rule.AnalyticsInputError("the half-life must be positive")
    weights = {code: float(weight) for code, weight in source_weights.items()}
    if any(not weight >= 0 for weight in weights.values()):
        raise rule.AnalyticsInputError("source weights must be ≥ 0")
    known = Evidence.objects.filter(employee__in=employees, observed_on__lte=as_of).order_by()
    evidence = known.filter(dimension_code__in=code_list)
    if not set(Evidence.Source.values) <= set(weights):  # the rule refuses a source without a weight
        unknown = evidence.exclude(source__in=list(weights)).values_list("source", flat=True).distinct()
        if found := sorted(set(unknown)):
            raise rule.AnalyticsInputError(f"no weight for source(s) {found}")
    weighted = [code for code, weight in weights.items() if weight > 0]  # weight 0: ignored
    if connection.vendor == "postgresql":
        current = _levels_of_records(known, ids, code_list, weighted, weights, as_of=as_of,
                                     half_life_days=half_life_days)
    else:
        current = _levels_of_sums(evidence.filter(source__in=weighted), ids, code_list, weighted, weights,
                                  as_of=as_of, half_life_days=half_life_days)
    return Levels(ids.tolist(), code_list, current)


def _levels_of_records(evidence: QuerySet[Evidence], ids: np.ndarray, codes: list[str],
                       weighted: list[str], weights: Mapping[str, float], *, as_of: date,
                       half_life_days: float) -> rule.CurrentLevels:
    """PostgreSQL: every record of `evidence` (the employees', up to `as_of`) of a dimension
    of `codes`, as numbers (employee, dimension id, day, level, source's index), streamed by
    binary COPY (core/columns.py), and the rule applied in numpy a block at a time. Reading
    the 5.4 million records of 100,000 managers this way takes a third of the time
    PostgreSQL takes to sum them into 1.8 million groups and send those."""
    shape = (len(ids), len(codes))
    levels = rule.LevelsInBlocks(shape, as_of=as_of.toordinal(), half_life_days=half_life_days)
    # A record's column from its dimension's code (the same code in every model version):
    # the dimensions of the codes asked picked by id, a number, which the server compares
    # faster than the code (a text compared with each of 18 codes, 5.4 million times).
    known = dict(Dimension.objects.filter(code__in=codes).values_list("pk", "code"))
    column_of_id = np.full(max(known, default=0) + 1, -1, dtype=np.int64)
    for pk, code in known.items():
        column_of_id[pk] = codes.index(code)
    # A source of weight > 0 by its index into the weights; any other (weight 0, or none)
    # the last index, of weight 0: the rule ignores a record of weight 0 exactly as if it
    # had not been read, so the server need not filter them out row by row.
    source = Case(*(When(source=code, then=Value(j)) for j, code in enumerate(weighted)),
                  default=Value(len(weighted)), output_field=IntegerField())
    weight_of_source = np.array([weights[code] for code in weighted] + [0.0])
    rows = (evidence.filter(dimension_id__in=list(known)).annotate(d=EpochDay("observed_on"), s=source)
            .values_list("employee_id", "dimension_id", "d", "level", "s"))
    try:
        sql, params = rows.query.sql_with_params()
    except EmptyResultSet:  # the user reaches nobody, or no dimension has the codes
        return levels.result()

    def take(block: list[np.ndarray]) -> None:
        employee, dimension, day, level, source_index = block
        columns = column_of_id[dimension.clip(0, len(column_of_id) - 1)]
        columns[dimension >= len(column_of_id)] = -1
        if (columns < 0).any():
            raise RuntimeError("an evidence record's dimension is not among those asked")
        day += EPOCH_ORDINAL  # int32: day numbers up to the year 5.8 million
        levels.add(np.searchsorted(ids, employee), columns, level, day, weight_of_source[source_index])

    # Packed by employee: each block holds every record of its employees, which is what
    # the rule's blocks need; int32 and int16 where the values fit (fewer bytes to pack).
    read_column_blocks(sql, params, [np.int64, np.int32, np.int32, np.float64, np.int16], take,
                       cursor_setup=_one_process)
    return levels.result()


def _levels_of_sums(evidence: QuerySet[Evidence], ids: np.ndarray, codes: list[str],
                    weighted: list[str], weights: Mapping[str, float], *, as_of: date,
                    half_life_days: float) -> rule.CurrentLevels:
    """SQLite: the database sums each employee × dimension's records
    (`rule.current_levels_of_sums`), with w_i computed in SQL from the same weights, so that
    the read carries a row a group (SQLite hands over rows one at a time, in process)."""
    shape = (len(ids), len(codes))

    def real(value) -> Cast:
        return Cast(value, FloatField())

    age = real(EpochDay("observed_on") - Value(as_of.toordinal() - EPOCH_ORDINAL)) / real(
        Value(float(half_life_days)))
    weight = Case(*(When(source=code, then=real(Value(weights[code]))) for code in weighted),
                  default=real(Value(0.0)), output_field=FloatField())
    rows = (evidence
            .annotate(e=F("employee_id"), code=F("dimension_code"), d=EpochDay("observed_on"), x=F("level"),
                      w=ExpressionWrapper(weight * Power(real(Value(2.0)), age), output_field=FloatField()))
            .values_list("e", "code", "d", "x", "w"))
    try:
        inner, params = rows.query.sql_with_params()
    except EmptyResultSet:  # the user reaches nobody
        return rule.current_levels_of_sums(*([[]] * 8), shape=shape)
    column = " ".join(f"WHEN code = %s THEN {j}" for j in range(len(codes)))
    sql = (f"SELECT e, CASE {column} END, SUM(w), SUM(w * x), SUM(w * w), SUM(w * x * x), "  # noqa: S608
           f"COUNT(*), MAX(d) FROM ({inner}) AS records GROUP BY e, code")
    e, j, total, sum_wx, sum_w2, sum_wxx, count, newest = read_columns(
        sql, [*codes, *params], [np.int64, np.int64, *[np.float64] * 4, np.int64, np.int64])
    return rule.current_levels_of_sums(np.searchsorted(ids, e), j, total, sum_wx, sum_w2, sum_wxx, count,
                                       newest + EPOCH_ORDINAL, shape=shape)


def _one_process(cursor) -> None:
    """PostgreSQL: no parallel workers for a read that streams one index in order (on two
    cores, workers and the merge of their parts cost more than they save)."""
    cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")


def unit_current_levels(user, unit: OrgUnit, codes: Sequence[str], *, as_of: date) -> Levels:
    """The current levels of the employees of `unit`'s subtree whose reports the user may
    see (SEE_REPORTS: a team lead his team, training admins, consultants and analysts their
    scope): what the diagnosis reads."""
    employees = (scopes.employees_for(user, scopes.Perm.SEE_REPORTS)
                 .filter(org_unit__path__startswith=unit.path))
    return current_levels(employees, codes, as_of=as_of)


@dataclass(frozen=True)
class DimensionLevel:
    dimension: str  # its code
    name: str
    level: float | None
    confidence: float
    effective_records: float
    count: int
    newest: date | None


def employee_levels(employee: Employee, *, as_of: date) -> list[DimensionLevel]:
    """An employee's current level in each dimension of the published model that applies
    to his unit (then any other code he has evidence of), in the model's order."""
    from casspath.competency.queries import published_models_applying

    model = published_models_applying([employee.org_unit.path])[employee.org_unit.path]
    named = (list(Dimension.objects.filter(model=model).order_by("module__order", "order", "code")
                  .values_list("code", "name")) if model is not None else [])
    known = {code for code, _name in named}
    others = (Evidence.objects.filter(employee=employee).exclude(dimension_code__in=known)
              .order_by("dimension_code").values_list("dimension_code", "dimension__name").distinct())
    named += [(code, name) for code, name in dict(others).items()]
    levels = current_levels(Employee.objects.filter(pk=employee.pk), [code for code, _n in named],
                            as_of=as_of)
    c = levels.current
    return [
        DimensionLevel(code, name, None if np.isnan(c.level[0, j]) else float(c.level[0, j]),
                       float(c.confidence[0, j]), float(c.effective_records[0, j]), int(c.count[0, j]),
                       levels.newest_date(0, j))
        for j, (code, name) in enumerate(named)
    ]
