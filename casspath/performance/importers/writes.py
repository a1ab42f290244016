"""Replacing months: a file's records for an employee's month replace that month's records
whole; months and employees the file does not name are left as they are.

The database is read once (the records of the file's months, within the actor's scope), each
(employee, month) compared as the multiset of its records, and the changed months deleted
and inserted set-based (core/bulk.py: COPY on PostgreSQL). So importing the same file
again reads, compares and writes nothing ("unchanged").
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal

from django.db.models import Q

from casspath.core import bulk
from casspath.imports.framework import RunContext
from casspath.imports.report import PREVIEW_LIMIT, Change, ImportReport
from casspath.org import scopes
from casspath.performance.models import PerformanceRecord

# What a record is, for comparing a month's records with the file's.
_FIELDS = ("kind", "day", "amount", "product", "flagged", "big_deal_amount")
Key = tuple[int, date]  # (employee id, month)


@dataclass
class Records:
    """The records a file asks for, column by column (record i came from row `rows[i]`)."""

    rows: list[int]
    numbers: list[str]  # employee numbers (工号), as the file writes them
    employees: list[int]  # Employee ids
    months: list[date]
    days: list[date | None]
    kinds: list[str]
    amounts: list[Decimal]
    products: list[str]
    flagged: list[bool]
    big_deals: list[Decimal]
    unique_months: bool = False  # one record an employee's month at most (summaries)

    def __len__(self) -> int:
        return len(self.rows)


@dataclass
class Replacement:
    records: Records
    write: list[int]  # indexes of the records to insert
    replaced: dict[date, list[int]] = field(default_factory=dict)  # month -> employee ids to clear


def _months_now(ctx: RunContext, months: list[date], employees: set[int]) -> dict[Key, list[tuple]]:
    """The records stored now for the file's months, of the file's employees."""
    query = PerformanceRecord.objects.filter(month__in=months)
    roots = None if ctx.unrestricted else scopes.scope_roots(ctx.acting_user, scopes.Perm.IMPORT_DATA)
    if roots is not None:  # his units only: another city's months are not his to read
        within = Q(pk__in=[])
        for root in roots:
            within |= Q(employee__org_unit__path__startswith=root.path)
        query = query.filter(within)
    stored: dict[Key, list[tuple]] = defaultdict(list)
    # (bulk.values_rows: the converters once a distinct value; row by row they were most of
    # a re-import's time)
    for employee, month, *record in bulk.values_rows(query.values_list("employee_id", "month", *_FIELDS)):
        if employee in employees:
            stored[(employee, month)].append(tuple(record))
    return stored


def plan_replacements(ctx: RunContext, records: Records, report: ImportReport) -> Replacement:
    stored = _months_now(ctx, sorted(set(records.months)), set(records.employees))
    count = len(records)

    def values():
        return zip(records.kinds, records.days, records.amounts, records.products, records.flagged,
                   records.big_deals, strict=True)

    if not stored:  # none of these months holds records yet (a first import): all new
        report.created, report.updated, report.unchanged = count, 0, 0
        # (the preview reads the first records only, for summaries: no list of them all)
        _preview(records, zip(records.employees, records.months, strict=True), values(), stored, report)
        return Replacement(records, list(range(count)))
    keys = list(zip(records.employees, records.months, strict=True))
    wanted_values = list(values())
    changed: set[Key] = set()
    replaced: dict[date, list[int]] = defaultdict(list)
    if records.unique_months:  # a summary: one record an employee's month
        for key, new in zip(keys, wanted_values, strict=True):
            old = stored.get(key)
            if old is None:
                changed.add(key)
            elif len(old) != 1 or old[0] != new:
                changed.add(key)
                replaced[key[1]].append(key[0])
    else:
        wanted: dict[Key, list[tuple]] = defaultdict(list)
        for key, new in zip(keys, wanted_values, strict=True):
            wanted[key].append(new)
        for key, group in wanted.items():
            old = stored.get(key)
            if old is None:
                changed.add(key)
            elif not _same(old, group):
                changed.add(key)
                replaced[key[1]].append(key[0])
    # Counted in records: a line item, or an employee's month of a summary.
    write = [i for i, key in enumerate(keys) if key in changed]
    report.updated = sum(1 for i in write if keys[i] in stored)
    report.created = len(write) - report.updated
    report.unchanged = count - len(write)
    first = write[:PREVIEW_LIMIT * 20]
    _preview(records, [keys[i] for i in write], [wanted_values[i] for i in first], stored,
             report, [records.rows[i] for i in first], [records.numbers[i] for i in first])
    return Replacement(records, write, dict(replaced))


def _same(old: list[tuple], new: list[tuple]) -> bool:
    if len(old) != len(new):
        return False
    if len(new) == 1:
        return old[0] == new[0]
    return sorted(old, key=_order) == sorted(new, key=_order)


def _order(record: tuple) -> tuple:
    kind, day, amount, product, flagged, big = record
    return (kind, day or date.min, amount, product, flagged, big)


def _preview(records: Records, keys: Iterable[Key], values: Iterable[tuple], stored, report: ImportReport,
             rows: list[int] | None = None, numbers: list[str] | None = None) -> None:
    """The first changed months, each with its old and new total (the months' first records
    suffice: PREVIEW_LIMIT months)."""
    rows = records.rows if rows is None else rows
    numbers = records.numbers if numbers is None else numbers
    totals: dict[Key, list] = {}
    for i, (key, value) in enumerate(zip(keys, values, strict=False)):
        if key not in totals:
            if len(totals) >= PREVIEW_LIMIT:
                if records.unique_months:
                    break  # a month is one record: none after adds to the months shown
                continue  # later records of the months already shown still add to them
            totals[key] = [rows[i], numbers[i], value[2]]
        else:
            totals[key][2] += value[2]
    for key, (row, number, total) in totals.items():
        old = stored.get(key)
        report.add_change(Change(row, f"{number} {key[1]:%Y-%m}", "update" if old else "create",
                                 {"amount": [_total(old), str(total)]}))


def _total(records: list[tuple] | None) -> str | None:
    if records is None:
        return None
    return str(sum(record[2] for record in records))


DELETE_BATCH = 500  # employees an IN (...) list


def apply_replacements(ctx: RunContext, plan: Replacement, report: ImportReport) -> None:
    # The replaced months first, a month and a batch of employees a DELETE (Django deletes
    # without loading the rows: nothing refers to a record).
    for month, employees in sorted(plan.replaced.items()):
        for start in range(0, len(employees), DELETE_BATCH):
            PerformanceRecord.objects.filter(month=month,
                                             employee_id__in=employees[start : start + DELETE_BATCH]).delete()
    records, write = plan.records, plan.write
    columns: list[list] = [records.employees, records.months, records.days, records.kinds, records.amounts,
               records.products, records.flagged, records.big_deals]
    if len(write) != len(records):
        columns = [[column[i] for i in write] for column in columns]
    count = len(write)
    written = report.total - count

    def progress(done: int) -> None:
        ctx.progress("writing", written + done, report.total)

    bulk.insert_rows(PerformanceRecord, ("employee_id", "month", "day", "kind", "amount", "product",
                                         "flagged", "big_deal_amount", "import_run_id"),
                     [*columns, bulk.Same(ctx.run_id)], progress, indexes_after=True)
