"""Reading performance: a person's months, and a unit's months as the arrays the diagnosis
statistics take (casspath/analytics/output.py: (N managers, M months)).

Callers pass a unit or employee they loaded through access.py (scope checked there).
"""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

import numpy as np
from django.core.exceptions import EmptyResultSet
from django.db import connection
from django.db.models import Case, DecimalField, F, FloatField, Max, Q, QuerySet, Sum, Value, When
from django.db.models.functions import Cast, Coalesce
from numpy.typing import NDArray

from casspath.assess.queries import current_levels
from casspath.competency.queries import effective_requirements
from casspath.core import paging
from casspath.core.columns import read_column_blocks
from casspath.org import scopes
from casspath.org.models import Employee, OrgUnit
from casspath.org.queries import StageLookup
from casspath.org.scopes import Perm
from casspath.performance.models import DiagnosisMember, PerformanceRecord, big_deal_threshold

ITEM, SUMMARY = PerformanceRecord.Kind.LINE_ITEM, PerformanceRecord.Kind.MONTHLY_SUMMARY


def _big_deal_part(threshold: Decimal) -> Case:
    """A record's big-deal part (models.PerformanceRecord.big_deal_part), in SQL."""
    return Case(
        When(kind=SUMMARY, then=F("big_deal_amount")),
        When(Q(flagged=True) | Q(amount__gte=threshold), then=F("amount")),
        default=Value(Decimal("0")),
        output_field=DecimalField(max_digits=16, decimal_places=2),
    )


def employee_months(employee: Employee, *,
                    threshold: Decimal | None = None) -> list[tuple[date, Decimal, Decimal]]:
    """(month, output, of which big deals) of each month he has records in, in order."""
    threshold = big_deal_threshold() if threshold is None else threshold
    rows = (PerformanceRecord.objects.filter(employee=employee).values("month")
            .annotate(total=Sum("amount"), big=Sum(_big_deal_part(threshold))).order_by("month"))
    return [(row["month"], row["total"], row["big"]) for row in rows]


def month_index(month: date) -> int:
    return month.year * 12 + month.month - 1


def months_between(first: date, last: date) -> list[date]:
    """The first days of the months from `first`'s to `last`'s, both included."""
    start, stop = month_index(first), month_index(last)
    return [date(index // 12, index % 12 + 1, 1) for index in range(start, stop + 1)]


@dataclass
class UnitMonths:
    """A unit's people over a period, as the diagnosis statistics take them: row i is
    `employee_ids[i]`, column m is `months[m]`."""

    employee_ids: NDArray[np.int64]
    months: list[date]
    total: NDArray[np.float64]  # (N, M) output: the sum of his records in the month, 0 if none
    big_deals: NDArray[np.float64]  # (N, M) the part of it from big deals
    employed: NDArray[np.bool_]  # (N, M) whether he was employed in the month


def unit_months(unit: OrgUnit, first: date, last: date, *, threshold: Decimal | None = None,
                positions: list[int] | None = None) -> UnitMonths:
    """The employees of `unit`'s subtree (of `positions`, when given) over the months from
    `first` to `last`, in three queries whatever the size: the people, the records summed
    per person and month in the database, and the last recorded month of those who left.

    Employed in a month: hired on or before its last day; and, for one who has left (the
    roster keeps no leaving date), not after his last month with a record; one who left
    with no record at all is taken as gone before the period. An employed month with no
    record is 0 (CONTRACTS.md); a month he was not employed in is 0 in `total` too, and the
    statistics ignore it (analytics/output.py).
    """
    threshold = big_deal_threshold() if threshold is None else threshold
    months = months_between(first, last)
    start = month_index(months[0]) if months else 0
    people = Employee.objects.filter(org_unit__path__startswith=unit.path)
    if positions is not None:
        people = people.filter(position_id__in=positions)
    rows = list(people.order_by("id").values_list("id", "hire_date", "status"))
    ids = np.fromiter((row[0] for row in rows), dtype=np.int64, count=len(rows))
    shape = (len(rows), len(months))
    total, big = np.zeros(shape), np.zeros(shape)
    if not rows or not months:
        return UnitMonths(ids, months, total, big, np.zeros(shape, dtype=np.bool_))
    in_unit = Q(employee__org_unit__path__startswith=unit.path)
    if positions is not None:
        in_unit &= Q(employee__position_id__in=positions)
    records = PerformanceRecord.objects.filter(in_unit, month__gte=months[0], month__lte=months[-1])
    # Summed as floats (what the statistics take): a numeric sum of 2.4 million costs a third
    # more. PostgreSQL sends each record, packed by employee in the index's order, and numpy
    # sums them per month in that order, the order the server's SUM took (the same floats to
    # the last bit): the server's grouping cost it more than the rest of the read. SQLite,
    # in process, sums in SQL (a row a group to hand over).
    if connection.vendor != "postgresql":
        sums = (records.values("employee_id", "month")
                .annotate(total=Sum(Cast("amount", FloatField())),
                          big=Coalesce(Sum(Cast(_big_deal_part(threshold), FloatField())), 0.0))
                .order_by().values_list("employee_id", "month", "total", "big"))
    else:
        sums = (records.annotate(total=Cast("amount", FloatField()),
                                 big=Cast(_big_deal_part(threshold), FloatField()))
                .order_by().values_list("employee_id", "month", "total", "big"))
    try:
        inner, params = sums.query.sql_with_params()
    except EmptyResultSet:  # no position asked
        inner = None
    if inner is not None:
        # The month as a day number since 1970-01-01, computed outside any grouping (inside
        # it, PostgreSQL sorted the groups again).
        day = ("(month - DATE '1970-01-01')" if connection.vendor == "postgresql"
               else "CAST(julianday(month) - 2440587.5 AS INTEGER)")
        sql = f"SELECT employee_id, {day}, total, big FROM ({inner}) AS sums"  # noqa: S608
        flat_total, flat_big = total.reshape(-1), big.reshape(-1)
        width = len(months)

        def take(block: list[np.ndarray]) -> None:
            employee, days, totals, bigs = block
            row_at = np.searchsorted(ids, employee)
            # A day number since 1970-01-01 to its month's index (month_index: year · 12 + month − 1).
            epoch_months = days.astype("datetime64[D]").astype("datetime64[M]").astype(np.int64)
            column_at = epoch_months + 1970 * 12 - start
            # The block's employees are whole and its rows are theirs alone: each cell's sum
            # starts from the zero no other block touched.
            low, high = int(row_at.min()), int(row_at.max())
            cell = (row_at - low) * width + column_at
            cells = (high - low + 1) * width
            at = slice(low * width, (high + 1) * width)
            flat_total[at] += np.bincount(cell, weights=totals, minlength=cells)
            flat_big[at] += np.bincount(cell, weights=bigs, minlength=cells)

        read_column_blocks(sql, params, [np.int64, np.int32, np.float64, np.float64], take,
                           cursor_setup=_in_index_order)
    # Employed from the month of hiring; those who left, until their last recorded month.
    hired = np.fromiter((month_index(row[1]) - start for row in rows), dtype=np.int64, count=len(rows))
    until = np.full(len(rows), len(months) - 1, dtype=np.int64)
    left = [i for i, row in enumerate(rows) if row[2] == Employee.Status.LEFT]
    if left:
        last_seen = dict(PerformanceRecord.objects.filter(in_unit, employee__status=Employee.Status.LEFT)
                         .values("employee_id").annotate(last=Max("month"))
                         .values_list("employee_id", "last"))
        for i in left:
            seen = last_seen.get(rows[i][0])
            until[i] = month_index(seen) - start if seen is not None else -1
    columns = np.arange(len(months))
    employed = (columns[None, :] >= hired[:, None]) & (columns[None, :] <= until[:, None])
    return UnitMonths(ids, months, total, big, employed)


def _in_index_order(cursor) -> None:
    """PostgreSQL: the planner guesses a tenth of the groups and hashes them in 4 MB,
    spilling to disk and sorting again (8 s for 2.4 million months); aggregating as the
    (employee, month) index is scanned, in one process, takes half as long."""
    if connection.vendor == "postgresql":
        cursor.execute("SET LOCAL enable_hashagg = off")
        cursor.execute("SET LOCAL max_parallel_workers_per_gather = 0")
        cursor.execute("SET LOCAL jit = off")


def person_months(employee: Employee, first: date, last: date, *,
                  threshold: Decimal | None = None) -> UnitMonths:
    """One employee's months from `first` to `last` as `unit_months` gives a unit's (one row,
    the same rule for the months he was employed in), from one read of his records."""
    months = months_between(first, last)
    start = month_index(months[0]) if months else 0
    shape = (1, len(months))
    total, big = np.zeros(shape), np.zeros(shape)
    recorded = employee_months(employee, threshold=threshold)
    for month, amount, big_part in recorded:
        column = month_index(month) - start
        if 0 <= column < len(months):
            total[0, column], big[0, column] = float(amount), float(big_part)
    hired = month_index(employee.hire_date) - start
    until = len(months) - 1
    if employee.status == Employee.Status.LEFT:
        until = month_index(recorded[-1][0]) - start if recorded else -1
    columns = np.arange(len(months))
    employed = ((columns >= hired) & (columns <= until))[None, :]
    return UnitMonths(np.array([employee.pk], dtype=np.int64), months, total, big, employed)


MEMBER_PAGE_SIZE = 50


@dataclass(frozen=True)
class MemberPage:
    """A page of a tier's members the viewer may see, highest output first (the order they
    were written in, by id), with the keys of the pages either side and their count, capped."""

    members: list
    next_key: int | str | None  # a member's id
    previous_key: int | str | None
    count: paging.CappedCount


def tier_members(user, snapshot, tier: str, *, after: int | None = None, before: int | None = None,
                 size: int | None = None) -> MemberPage:
    """The members of `tier` of `snapshot` (loaded through access.py) whom `user` may see as
    employees (org/scopes.py: one moved out of his scope since is left out), read from the
    tier's index by key whatever the page's depth."""
    rows = DiagnosisMember.objects.filter(
        snapshot=snapshot, tier=tier,
        employee_id__in=scopes.employees_for(user, Perm.VIEW_EMPLOYEES).values("pk"))
    shown = rows.select_related("employee__org_unit", "employee__position", "employee__grade")
    page = paging.keyset_page(shown, "id", size=size or MEMBER_PAGE_SIZE,
                              after=None if after is None else str(after),
                              before=None if before is None else str(before))
    return MemberPage(page.rows, page.next_key, page.previous_key, paging.capped_count(rows))


@dataclass(frozen=True)
class MemberProfile:
    """What a member's page reads of him, for the diagnosis's period: his months, his
    current level per dimension of the diagnosis on the period's last day (as the
    diagnosis read them), his stage then, and his effective requirement per dimension."""

    months: UnitMonths
    codes: list[str]
    levels: list[float | None]
    evidence_counts: list[int]
    stage_code: str | None
    stage_name: str
    requirements: dict[str, int]


def member_profile(snapshot, member, period_end: date) -> MemberProfile:
    """`member` of `snapshot` (both loaded through access.py)."""
    employee = member.employee
    figures = snapshot.figures or {}
    tiers = figures.get("tiers") or []
    codes = list(tiers[0]["profile"]["dimensions"]) if tiers and tiers[0].get("profile") else []
    levels = current_levels(Employee.objects.filter(pk=employee.pk), codes, as_of=period_end)
    row = levels.current.level[0] if codes else np.zeros(0)
    stages = StageLookup(period_end)
    stage_code, _years = stages.stage(employee.hire_date)
    grade = employee.grade.code if employee.grade_id else None
    required = ({r.code: r.level for r in effective_requirements(snapshot.model, stage_code, grade)}
                if snapshot.model_id else {})
    return MemberProfile(
        months=person_months(employee, snapshot.first_month, snapshot.last_month),
        codes=codes, levels=[None if np.isnan(value) else float(value) for value in row],
        evidence_counts=[int(n) for n in (levels.current.count[0] if codes else [])],
        stage_code=stage_code, stage_name=stages.name(stage_code), requirements=required)


def newest_first_page(rows: QuerySet, *, size: int, after: int | None = None,
                      before: int | None = None) -> paging.KeysetPage:
    """A page of `rows` newest first, by key (the id, which grows with creation): the `size`
    rows older than `after`, or newer than `before`, or the newest ones; no OFFSET."""
    rows = rows.order_by()
    if before is not None:
        found = list(rows.filter(pk__gt=before).order_by("pk")[: size + 1])
        shown = found[:size][::-1]
        more_newer = len(found) > size
        more_older = bool(shown) and rows.filter(pk__lt=shown[-1].pk).exists()
    else:
        page = rows.filter(pk__lt=after) if after is not None else rows
        found = list(page.order_by("-pk")[: size + 1])
        shown = found[:size]
        more_older = len(found) > size
        more_newer = after is not None and bool(shown) and rows.filter(pk__gt=shown[0].pk).exists()
    return paging.KeysetPage(rows=shown, next_key=shown[-1].pk if more_older else None,
                             previous_key=shown[0].pk if more_newer else None)
