"""The three forms a performance file comes in (issue 7, "Inputs"), read from its header:

- line items: 工号, 日期 and/or 月份, 金额 [, 产品, 是否大单]: one sale a row;
- monthly summaries, long form: 工号, 月份, 贡献 [, 大单金额]: one employee's month a row;
- monthly summaries, wide form: 工号, 2026-01, 2026-02, …: one employee a row, a month a column.

Each form parses and checks its rows and turns them into `Records` (one per record to
write); `writes.py` compares them with the database and replaces whole months.
"""

import operator
from datetime import date
from decimal import Decimal
from itertools import repeat

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core import validators
from casspath.imports import columns as col
from casspath.imports.columns import Column, cached, normalise_header
from casspath.imports.errors import ImportFileError, ImportWarning, Invalid, RowError
from casspath.imports.framework import RunContext, Table, TabularImporter
from casspath.imports.report import ImportReport
from casspath.org import scopes
from casspath.org.models import Employee
from casspath.org.validators import EMPLOYEE_NO_MAX
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.importers.writes import Records, apply_replacements, plan_replacements
from casspath.performance.models import PRODUCT_MAX, PerformanceRecord

ITEM, SUMMARY = PerformanceRecord.Kind.LINE_ITEM.value, PerformanceRecord.Kind.MONTHLY_SUMMARY.value
ZERO = Decimal("0")

EMPLOYEE = Column(
    "employee_no", "工号", "employee no",
    ("员工编号", "员工号", "职工号", "人员编号", "员工工号", "employee number", "employee id", "staff no"),
    required=True, blank_ok=False, parse=col.code(EMPLOYEE_NO_MAX),
    note_zh="花名册中的工号。", note_en="The employee number of the roster.",
)
MONTH_NOTE = ("如 2026-03、2026/3、2026年3月，或该月的任一 Excel 日期。",
              "e.g. 2026-03, 2026/3, 2026年3月, or an Excel date in the month.")
MONEY_NOTE = ("元，可为 Excel 数字或“1,234.50”“¥1234”“1.2万”。",
              "Yuan: an Excel number or text such as 1,234.50, ¥1234, 1.2万.")
MONTH_SYNONYMS = ("年月", "统计月份", "业绩月份", "所属月份", "period")
FLAG_OPTIONS = {
    "是": True, "否": False, "大单": True, "Y": True, "N": False, "yes": True, "no": False,
    "true": True, "false": False, "1": True, "0": False, "√": True, "×": False,
}


def _flag() -> col.Parser:
    return cached(col.choice(FLAG_OPTIONS, ["是", "否"]))


NOT_FOUND = ("找不到该工号的员工，或其不在您的导入范围内。请先导入花名册。",
             "No employee has this number within your import scope. Import the roster first.")


class PerformanceForm(TabularImporter):
    """What the three forms share: who may import, the lock, the employees, the write."""

    kind = "performance"
    label = _("Performance records")
    scope = scopes.PermScope(scopes.Perm.IMPORT_DATA)
    audit_verb = PerformanceVerb.IMPORT
    sheet_name = "绩效 performance"
    form_zh = form_en = ""

    def parsers(self, ctx: RunContext) -> dict:
        parsers = super().parsers(ctx)
        # A file repeats each number twelve times and more: each is judged once, per run.
        parsers["employee_no"] = cached(col.code(EMPLOYEE_NO_MAX))
        return parsers

    def read_as(self) -> tuple[str, str]:
        return (f"按“{self.form_zh}”格式读取。", f"Read as {self.form_en}.")

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        # Read here, under the import's lock, not with the parsers (framework README).
        allowed = ctx.allowed_unit_ids()
        known, hired = {}, {}
        for number, pk, unit, hire_date in Employee.objects.values_list(
                "employee_no", "id", "org_unit_id", "hire_date"):
            if allowed is None or unit in allowed:
                known[number] = pk
                hired[pk] = hire_date
        ctx.cache["hire_dates"] = hired
        numbers, header = table.columns["employee_no"], table.headers["employee_no"]
        found = list(map(known.get, numbers))
        for i in (i for i, pk in enumerate(found) if pk is None and numbers[i] is not None):
            report.errors.append(RowError(table.numbers[i], header, numbers[i], *NOT_FOUND))
            table.bad.add(i)
        ctx.cache["employee_ids"] = found
        self.check_rows(ctx, table, report)
        _refuse_the_future(table, report)

    def check_rows(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        """The form's own cross-column and cross-row rules."""

    def records(self, ctx: RunContext, table: Table) -> Records:
        raise NotImplementedError

    def plan(self, ctx: RunContext, table: Table, report: ImportReport):
        if table.bad:
            return None
        records = self.records(ctx, table)
        _warn_before_hire(records, ctx.cache["hire_dates"], report)
        return plan_replacements(ctx, records, report)

    def apply(self, ctx: RunContext, plan, report: ImportReport) -> None:
        apply_replacements(ctx, plan, report)

    def _duplicates(self, table: Table, keys: list, column: str, report: ImportReport,
                    reasons) -> None:
        seen: dict = {}
        for i, key in enumerate(keys):
            if key is None:
                continue
            first = seen.setdefault(key, i)
            if first != i:
                row = table.numbers[first]
                report.errors.append(RowError(table.numbers[i], table.headers[column],
                                              _shown(table.columns[column][i]), *reasons(row)))
                table.bad.add(i)


# Rows quoted in the warning about records before the hire date.
BEFORE_HIRE_EXAMPLES = 3


def _warn_before_hire(records: Records, hire_dates: dict[int, date], report: ImportReport) -> None:
    """Records of a month before the employee's hire month are kept (a roster's hire date
    may be the one at his latest post) but no statistic counts them: a manager's output is
    over the months he was employed (CONTRACTS.md). Say so, once, with a few rows. Compared
    by map() over whole columns: a long file has a million records."""
    hire_months = {pk: hired.replace(day=1) for pk, hired in hire_dates.items()}
    starts = map(hire_months.__getitem__, records.employees)
    early = list(map(operator.lt, records.months, starts))
    count = early.count(True)
    if not count:
        return
    examples, at = [], -1
    for _n in range(min(count, BEFORE_HIRE_EXAMPLES)):
        at = early.index(True, at + 1)
        hired = hire_dates[records.employees[at]]
        examples.append((records.rows[at], records.numbers[at], records.months[at], hired))
    zh = "；".join(f"第 {row} 行 {number} {month:%Y-%m}（入职 {hired.isoformat()}）"
                  for row, number, month, hired in examples)
    en = "; ".join(f"row {row}, {number}, {month:%Y-%m} (hired {hired.isoformat()})"
                   for row, number, month, hired in examples)
    report.warnings.append(ImportWarning(
        f"{count} 条记录的月份早于员工的入职月份，如{zh}。记录照常导入，但诊断只计入职当月起的月份；"
        "如入职日期有误，请更正花名册。",
        f"{count} record(s) fall in a month before the employee's hire month, e.g. {en}. They are "
        "imported, but the diagnosis counts only the months from the hire month on; if a hire date is wrong, "
        "correct the roster."))


def _refuse_the_future(table: Table, report: ImportReport) -> None:
    """No record of a sale not yet made: a day after today, a month after this one (this
    month's figures so far are fine). A diagnosis of "the last 12 months with data" would
    otherwise slide onto empty months to come."""
    today = timezone.localdate()
    limits = {"day": today, "month": today.replace(day=1)}
    for key, latest in limits.items():
        column = table.columns.get(key) or ()
        if max(filter(None, column), default=latest) <= latest:
            continue  # none is later (a date is never falsy; None is)
        for i, value in enumerate(column):
            if value is not None and value > latest and i not in table.bad:
                shown = value.isoformat() if key == "day" else f"{value:%Y-%m}"
                report.errors.append(RowError(
                    table.numbers[i], table.headers[key], shown,
                    f"晚于今天（{today.isoformat()}）：尚未发生的业绩不能导入。",
                    f"After today ({today.isoformat()}): performance not yet made cannot be imported."))
                table.bad.add(i)


def _shown(value) -> str:
    if isinstance(value, date):
        return f"{value:%Y-%m}"
    return "" if value is None else str(value)


class LineItems(PerformanceForm):
    form_zh, form_en = "明细（逐笔）", "line items (one sale a row)"
    columns = (
        EMPLOYEE,
        Column("day", "日期", "date", ("交易日期", "业务日期", "发生日期", "签约日期", "sale date"),
               parse=cached(col.parse_date), note_zh="该笔业绩的日期（或只填月份）。",
               note_en="The sale's date (or give its month only)."),
        Column("month", "月份", "month", MONTH_SYNONYMS, note_zh=MONTH_NOTE[0], note_en=MONTH_NOTE[1]),
        Column("amount", "金额", "amount", ("业绩金额", "收入", "销售额", "签约金额", "sum"), required=True,
               blank_ok=False, parse=col.money, note_zh=MONEY_NOTE[0], note_en=MONEY_NOTE[1]),
        Column("product", "产品", "product", ("产品名称", "业务", "product name"),
               parse=col.text(PRODUCT_MAX)),
        Column("flagged", "是否大单", "big deal", ("大单", "大单标志", "is big deal"),
               choices=lambda: ["是", "否"],
               note_zh="是或否；留空：按金额是否达到大单标准判断。",
               note_en="yes or no; empty: a big deal when the amount reaches the threshold."),
    )

    def parsers(self, ctx: RunContext) -> dict:
        parsers = super().parsers(ctx)
        parsers["month"] = col.month()
        parsers["flagged"] = _flag()
        return parsers

    def check_rows(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        if "day" not in table.present and "month" not in table.present:
            raise ImportFileError("明细须有“日期”或“月份”列。",
                                  "Line items need a 日期 (date) or 月份 (month) column.")
        days = table.columns.get("day") or [None] * len(table)
        months = table.columns.get("month") or [None] * len(table)
        raw_day_missing = "day" not in table.present
        for i, (day, month) in enumerate(zip(days, months, strict=True)):
            if i in table.bad:
                continue
            if day is None and month is None:
                column = table.headers.get("day" if not raw_day_missing else "month", "")
                report.errors.append(RowError(table.numbers[i], column, "", "须填写日期或月份。",
                                              "Give the date or the month."))
                table.bad.add(i)
            elif day is not None and month is not None and day.replace(day=1) != month:
                report.errors.append(RowError(
                    table.numbers[i], table.headers["day"], day.isoformat(),
                    f"日期不在“{table.headers['month']}”所填的 {month:%Y-%m} 月内。",
                    f"The date is not in {month:%Y-%m}, the month of '{table.headers['month']}'."))
                table.bad.add(i)

    def records(self, ctx: RunContext, table: Table) -> Records:
        count = len(table)
        days = table.columns.get("day") or [None] * count
        months = table.columns.get("month") or [None] * count
        months = [m if m is not None else d.replace(day=1) for d, m in zip(days, months, strict=True)]
        products = [p or "" for p in table.columns.get("product") or [None] * count]
        flagged = [bool(f) for f in table.columns.get("flagged") or [None] * count]
        return Records(table.numbers, table.columns["employee_no"], ctx.cache["employee_ids"], months,
                       list(days), [ITEM] * count,
                       table.columns["amount"], products, flagged, [ZERO] * count)


CONTRIBUTION = Column(
    "amount", "贡献", "contribution", ("贡献值", "月贡献", "贡献金额", "产值", "业绩", "月业绩"),
    required=True, blank_ok=False, parse=col.money, note_zh="该月合计，" + MONEY_NOTE[0],
    note_en="The month's total. " + MONEY_NOTE[1],
)
BIG_DEAL_AMOUNT = Column(
    "big_deal_amount", "大单金额", "big-deal amount", ("其中大单", "大单贡献", "大单", "big deals"),
    parse=col.money, note_zh="该月贡献中来自大单的部分（选填）。",
    note_en="The part of the month's contribution that came from big deals (optional).",
)


class LongSummaries(PerformanceForm):
    form_zh = "月度汇总（长表：每行一人一月）"
    form_en = "monthly summaries, long form (a person's month a row)"
    columns = (
        EMPLOYEE,
        Column("month", "月份", "month", MONTH_SYNONYMS, required=True, blank_ok=False,
               note_zh=MONTH_NOTE[0], note_en=MONTH_NOTE[1]),
        CONTRIBUTION,
        BIG_DEAL_AMOUNT,
    )

    def parsers(self, ctx: RunContext) -> dict:
        parsers = super().parsers(ctx)
        parsers["month"] = col.month()
        return parsers

    def check_rows(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        numbers, months = table.columns["employee_no"], table.columns["month"]
        if not _pairs_unique(ctx.cache["employee_ids"], months):
            if None in numbers or None in months:
                keys = [(n, m) if n is not None and m is not None else None
                        for n, m in zip(numbers, months, strict=True)]
            else:
                keys = list(zip(numbers, months, strict=True))
            if len(set(keys)) != len(keys):
                self._duplicates(table, keys, "month", report, lambda row: (
                    f"该员工的这个月已在第 {row} 行。", f"This employee's month is already in row {row}."))
        if "big_deal_amount" in table.present:
            _check_big_deals(table, table.columns["amount"], table.columns["big_deal_amount"],
                             table.headers["big_deal_amount"], report)

    def records(self, ctx: RunContext, table: Table) -> Records:
        count = len(table)
        bigs = table.columns.get("big_deal_amount") or [None] * count
        return Records(table.numbers, table.columns["employee_no"], ctx.cache["employee_ids"],
                       table.columns["month"], [None] * count,
                       [SUMMARY] * count, table.columns["amount"], [""] * count, [False] * count,
                       [b if b is not None else ZERO for b in bigs], unique_months=True)


def _pairs_unique(ids: list, months: list) -> bool:
    """Whether no (employee, month) repeats, told by one int a row (hashed and stored in C,
    about twice as fast as a set of (number, date) pairs): each known number has one
    employee's id and each id one number, so a pair repeats exactly when id × months + the
    month's place does. False when an employee or a month is missing (the caller then
    looks at the pairs themselves)."""
    if None in ids or None in months:
        return False
    places = {month: place for place, month in enumerate(set(months))}
    keys = map(operator.add, map(operator.mul, ids, repeat(len(places))), map(places.__getitem__, months))
    return len(set(keys)) == len(months)


def _check_big_deals(table: Table, amounts: list, bigs: list, header: str, report: ImportReport) -> None:
    for i, (amount, big) in enumerate(zip(amounts, bigs, strict=True)):
        if big is None or amount is None or i in table.bad:
            continue
        if big < 0 or big > max(amount, ZERO):
            report.errors.append(RowError(table.numbers[i], header, str(big),
                                          "大单金额应在 0 与该月贡献之间。",
                                          "The big-deal amount must lie between 0 and the month's "
                                          "contribution."))
            table.bad.add(i)


class WideSummaries(PerformanceForm):
    """Built per file: its columns are the file's months."""

    form_zh = "月度汇总（宽表：每行一人，每列一月）"
    form_en = "monthly summaries, wide form (a person a row, a month a column)"

    def __init__(self, months: list[tuple[str, date]]):
        self.months = {f"m{index}": month for index, (_header, month) in enumerate(months)}
        self.columns = (EMPLOYEE, *(
            Column(f"m{index}", header, header, parse=col.money)
            for index, (header, _month) in enumerate(months)
        ))

    def check_rows(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        numbers = table.columns["employee_no"]
        if len(set(numbers)) != len(numbers):
            self._duplicates(table, numbers, "employee_no", report, lambda row: (
                f"工号重复：与第 {row} 行相同。", f"Duplicate employee number: the same as row {row}."))

    def records(self, ctx: RunContext, table: Table) -> Records:
        rows: list[int] = []
        numbers: list[str] = []
        employees: list[int] = []
        months: list[date] = []
        amounts: list[Decimal] = []
        ids = ctx.cache["employee_ids"]
        for key, month in self.months.items():
            values = table.columns[key]
            # A blank cell is no figure for that month: the month is left as it is.
            present = [i for i, value in enumerate(values) if value is not None]
            rows += [table.numbers[i] for i in present]
            numbers += [table.columns["employee_no"][i] for i in present]
            employees += [ids[i] for i in present]
            months += [month] * len(present)
            amounts += [values[i] for i in present]
        count = len(rows)
        return Records(rows, numbers, employees, months, [None] * count, [SUMMARY] * count, amounts,
                       [""] * count, [False] * count, [ZERO] * count, unique_months=True)


def form_for(header: list[str]) -> PerformanceForm:
    """The form a header says: 贡献 or 大单金额 → long summaries; columns named by months →
    wide summaries; otherwise line items (金额)."""
    names = {normalise_header(text) for text in header if text.strip()}
    if names & (CONTRIBUTION.names() | BIG_DEAL_AMOUNT.names()):
        return LONG
    months: list[tuple[str, date]] = []
    for text in header:
        try:
            months.append((text.strip(), validators.parse_month(text)))
        except Invalid:
            continue
    if months:
        seen: dict[date, str] = {}
        for text, month in months:
            if month in seen:
                raise ImportFileError(f"列“{seen[month]}”与“{text}”是同一个月，请只保留一列。",
                                      f"Columns '{seen[month]}' and '{text}' are the same month: keep one.")
            seen[month] = text
        this_month = timezone.localdate().replace(day=1)
        future = [text for text, month in months if month > this_month]
        if future:
            raise ImportFileError(f"列“{future[0]}”是今后的月份：尚未发生的业绩不能导入。",
                                  f"Column '{future[0]}' is a month to come: performance not yet "
                                  "made cannot be imported.")
        return WideSummaries(months)
    return LINE_ITEMS


LONG = LongSummaries()
LINE_ITEMS = LineItems()
