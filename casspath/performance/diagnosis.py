"""The diagnosis of one org unit over a month range (issue 7), read from the database and
computed by `casspath.analytics.diagnosis.diagnose`: the figures as issue 7's JSON.

The reads, all aligned on the performance rows (employees of the unit's subtree, by id):
- months: `queries.unit_months` (output, big deals, employed);
- current levels as of the period's last day, for the dimensions of the published model
  that applies to the unit (`assess.queries.unit_current_levels`, the user's scope);
- tenure in years at the period's last day (days / 365.25: a number, not a stage);
- each manager's effective requirement for his stage (on that day) and grade.
Callers pass a unit loaded through access.py; writes (the snapshot) are actions.py's.
"""

import math
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TypeVar

import numpy as np
from django.db import connection
from django.db.models import Max, Min

from casspath.analytics.bottlenecks import Gap, leading
from casspath.analytics.correlation import Regression
from casspath.analytics.diagnosis import Diagnosis, diagnose, small_sample_caution
from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.tiers import Tier
from casspath.assess.queries import unit_current_levels
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.queries import effective_requirements, published_models_applying
from casspath.core.errors import BilingualError
from casspath.core.validators import parse_month
from casspath.org.models import Employee, OrgUnit, Position
from casspath.org.queries import StageLookup
from casspath.performance import cass_links
from casspath.performance.findings import tier_finding
from casspath.performance.models import PerformanceRecord
from casspath.performance.queries import months_between, unit_months

DEFAULT_MONTHS = 12
# The longest period a diagnosis reads (three years: N × months arrays stay small at 100,000).
MAX_MONTHS = 36
DAYS_PER_YEAR = 365.25

METHOD_NOTES = [
    {"zh": "月产出 = 当月记录之和；在职无记录的月份计 0；期间产出 = 在职各月的平均值。",
     "en": "A month's output is the sum of its records; an employed month without records counts "
           "as 0; the period's output is the mean over the months employed."},
    {"zh": "纳入分析的是销售岗位（岗位设置中标为销售岗位的，如客户经理、集团客户经理、行业经理）"
           "在期间内至少在职一个月的员工；班组长、产品经理等不计入。",
     "en": "Counted: employees in sales positions (those marked as such in the positions list, such as "
           "account managers) employed for at least one month of the period; team leads and product "
           "managers are not."},
    {"zh": "分布、分层、相关与瓶颈均使用剔除大单后的产出；“人均月产出（均值）”含大单。",
     "en": "The distribution, tiers, correlations and bottlenecks use output excluding big deals; the mean "
           "output per head includes them."},
    {"zh": "分层按期间产出分位数：前 20% 为绩优，后 30% 为绩差，临界值归入较低一层。",
     "en": "Tiers by quantile of period output: top 20% high, bottom 30% low; ties at a cut-off go "
           "to the lower tier."},
    {"zh": "rho 为 Spearman 相关系数，95% 置信区间用 Fisher z 与 Bonett–Wright 标准误；"
           "q 为 Benjamini–Hochberg 校正值。",
     "en": "rho is Spearman's, its 95% CI by Fisher z with the Bonett–Wright standard error; q is "
           "Benjamini–Hochberg over the dimensions."},
    {"zh": "瓶颈：按与参照的标准化差距排序，绩差、绩中以上一层为参照，绩优以岗位要求为参照。",
     "en": "Bottlenecks: dimensions ranked by standardised shortfall against the tier above (low, "
           "middle) or the effective requirement (high)."},
    {"zh": "能力等级为期末的当前等级（新证据权重更高）；司龄按期末计算（年）。",
     "en": "Skill levels are current levels as of the period's end (newer evidence weighs more); "
           "tenure in years at the period's end."},
]


A = TypeVar("A")
B = TypeVar("B")


class DiagnosisError(BilingualError):
    """The diagnosis cannot run: bad months, no model, no data."""


@dataclass(frozen=True)
class Period:
    first: date  # first day of the first month
    last: date  # first day of the last month

    @property
    def end(self) -> date:
        """The period's last day."""
        following = date(self.last.year + self.last.month // 12, self.last.month % 12 + 1, 1)
        return following - timedelta(days=1)

    def as_dict(self) -> dict:
        return {"from": f"{self.first:%Y-%m}", "to": f"{self.last:%Y-%m}",
                "months": len(months_between(self.first, self.last))}


def parse_period(unit: OrgUnit, first: str | date | None, last: str | date | None) -> Period:
    """The months asked (text as `parse_month` reads it), or without both the last
    DEFAULT_MONTHS months ending with the unit's latest month that has records.

    A period must lie within the months the unit has records for, and span at most
    MAX_MONTHS: a month before the first records or after the last is not a month of zero
    sales but one nobody has imported, and counting it as zero would halve everyone's output."""
    if (first is None) != (last is None):
        raise DiagnosisError("请同时给出起始月份和结束月份，或都不给。",
                             "Give both the first and the last month, or neither.")
    span = (PerformanceRecord.objects.filter(employee__org_unit__path__startswith=unit.path)
            .aggregate(earliest=Min("month"), latest=Max("month")))
    earliest, latest = span["earliest"], span["latest"]
    if earliest is None or latest is None:
        raise _no_data(unit)
    if first is None or last is None:
        index = latest.year * 12 + latest.month - 1 - (DEFAULT_MONTHS - 1)
        return Period(max(earliest, date(index // 12, index % 12 + 1, 1)), latest)
    start, stop = _month(first, "from"), _month(last, "to")
    if start > stop:
        raise DiagnosisError(f"起始月份 {start:%Y-%m} 晚于结束月份 {stop:%Y-%m}。",
                             f"The first month {start:%Y-%m} is after the last month {stop:%Y-%m}.")
    if start < earliest or stop > latest:
        raise DiagnosisError(
            f"{unit.name}（{unit.code}）只有 {earliest:%Y-%m} 至 {latest:%Y-%m} 的绩效数据："
            "请在此范围内选择月份（没有导入的月份不能当作零产出）。",
            f"{unit.name} ({unit.code}) has performance data from {earliest:%Y-%m} to {latest:%Y-%m} only: "
            "choose months within them (a month nobody imported is not a month of zero sales).")
    months = len(months_between(start, stop))
    if months > MAX_MONTHS:
        raise DiagnosisError(f"期间为 {months} 个月，最多 {MAX_MONTHS} 个月。",
                             f"The period spans {months} months: at most {MAX_MONTHS}.")
    return Period(start, stop)


def _month(value: str | date, which: str) -> date:
    if isinstance(value, date):
        return value.replace(day=1)
    try:
        return parse_month(value)
    except BilingualError as bad:
        label = "起始月份" if which == "from" else "结束月份"
        raise DiagnosisError(f"{label}“{value}”有误：{bad.message_zh}",
                             f"The {which} month '{value}' is wrong: {bad.message_en}") from None


def _no_data(unit: OrgUnit, period: Period | None = None) -> DiagnosisError:
    when_zh = f"在 {period.first:%Y-%m} 至 {period.last:%Y-%m} " if period else ""
    when_en = f" from {period.first:%Y-%m} to {period.last:%Y-%m}" if period else ""
    return DiagnosisError(f"{unit.name}（{unit.code}）{when_zh}没有绩效数据，无法诊断。",
                          f"{unit.name} ({unit.code}) has no performance data{when_en}: nothing to diagnose.")


def applying_model(unit: OrgUnit) -> CompetencyModel:
    model = published_models_applying([unit.path])[unit.path]
    if model is None:
        raise DiagnosisError(f"{unit.name}（{unit.code}）没有适用的已发布胜任力模型，无法诊断。",
                             f"No published competency model applies to {unit.name} ({unit.code}): "
                             "nothing to diagnose against.")
    return model


@dataclass(frozen=True)
class Computed:
    figures: dict  # issue 7's JSON
    # Who is in which tier, for the drill-down: (employee id, tier code, period output
    # excluding big deals) of every manager counted, in employee id order.
    members: list[tuple[int, str, float]]


def compute(user, unit: OrgUnit, period: Period, progress=None) -> dict:
    """The figures of `unit` (accessed by `user`) over `period`, as issue 7's JSON (NaN as
    None). `progress(phase)` is called before each step and again, often, inside the long
    ones (the reads, the computation): the caller throttles it."""
    return compute_diagnosis(user, unit, period, progress).figures


def compute_diagnosis(user, unit: OrgUnit, period: Period, progress=None) -> Computed:
    """The figures and the tiers' members (see Computed)."""
    step = progress or (lambda phase: None)
    model = applying_model(unit)
    step("reading")
    # Sales positions only: a team lead or a product manager sells nothing of his own, and
    # counting him would add a zero to every figure.
    sales = list(Position.objects.filter(is_sales=True).values_list("pk", flat=True))
    dimensions = list(Dimension.objects.filter(model=model).order_by("module__order", "order", "code")
                      .values_list("code", "name", "name_en"))
    codes = [code for code, _name, _en in dimensions]
    months, levels = _both(lambda: unit_months(unit, period.first, period.last, positions=sales),
                           lambda: unit_current_levels(user, unit, codes, as_of=period.end))
    step("reading")
    has_records = PerformanceRecord.objects.filter(
        employee__org_unit__path__startswith=unit.path, employee__position_id__in=sales,
        month__gte=period.first, month__lte=period.last,
    ).exists()
    if not has_records or not months.employed.any():
        raise _no_data(unit, period)
    ids = months.employee_ids
    level = np.full((len(ids), len(codes)), np.nan)
    if levels.employee_ids:
        found = np.asarray(levels.employee_ids, dtype=np.int64)
        at = np.searchsorted(found, ids).clip(0, len(found) - 1)
        hit = found[at] == ids
        level[hit] = levels.current.level[at[hit]]
    tenure, requirement = _tenure_and_requirements(model, unit, ids.tolist(), codes, period.end)
    step("computing")
    try:
        result = diagnose(months.total, months.big_deals, months.employed, level, codes,
                          tenure=tenure, requirement=requirement, tick=lambda: step("computing"))
    except AnalyticsInputError as bad:
        raise DiagnosisError(f"无法计算诊断：{bad}", f"The diagnosis cannot be computed: {bad}") from None
    names = {code: (name, name_en) for code, name, name_en in dimensions}
    counted = ids[result.counted]
    members = [(int(pk), Tier(tier).code, float(value))
               for pk, tier, value in zip(counted, result.tiers, result.period_output, strict=True)]
    computed = figures(result, names, months_between(period.first, period.last)) | {
        "unit": {"code": unit.code, "name": unit.name},
        "period": period.as_dict(),
        "model": {"family": model.family, "version": model.version, "name": model.name},
        "method_notes": METHOD_NOTES,
    }
    # Beside issue 7's keys: each tier's bottlenecks linked to the CASS map (cass_links.py).
    return Computed(cass_links.add_links(computed, unit, model.family), members)


def _both(first: Callable[[], A], second: Callable[[], B]) -> tuple[A, B]:
    """`first()` and `second()`, the second in a thread of its own with its own database
    connection while the first runs here: on PostgreSQL the two big reads (months,
    evidence) then run in two server processes, one a core, and their Python (numpy,
    psycopg waiting on the socket) mostly releases the GIL. Outside a transaction only:
    inside one (a test's, a caller's) the thread would not see its uncommitted rows. The
    reads were never one snapshot: each is its own statement."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return first(), second()

    def own_connection() -> B:
        try:
            return second()
        finally:
            connection.close()  # this thread's: the pool's thread outlives the call

    with ThreadPoolExecutor(max_workers=1) as pool:
        later = pool.submit(own_connection)
        return first(), later.result()


def _tenure_and_requirements(model: CompetencyModel, unit: OrgUnit, ids: list[int], codes: list[str],
                             end: date):
    """Tenure in years on `end` (NaN before hiring) and the effective requirement (N, D) of
    the people `ids` of `unit`'s subtree, NaN where none: one read of the people (by the
    subtree, not a list of ids SQLite would refuse past 32,766), one of requirements per
    (stage, grade) met."""
    rows = list(Employee.objects.filter(org_unit__path__startswith=unit.path)
                .values_list("pk", "hire_date", "grade__code"))
    people = {pk: (hire, grade) for pk, hire, grade in rows}
    stages = StageLookup(end)
    column = {code: j for j, code in enumerate(codes)}
    # One stage a hiring day and one profile a (stage, grade), each person an index into
    # them: at 100,000 people, Python per person is most of this read.
    stage_on: dict[date, str | None] = {}
    profile_at: dict[tuple, int] = {}
    profiles: list[np.ndarray] = []
    which: list[int] = []
    days: list[float] = []
    for pk in ids:
        hire, grade = people[pk]
        days.append((end - hire).days if hire <= end else math.nan)
        if hire not in stage_on:
            stage_on[hire] = stages.stage(hire)[0]
        key = (stage_on[hire], grade)
        if key not in profile_at:
            row = np.full(len(codes), np.nan)
            for required in effective_requirements(model, *key):
                if required.code in column:
                    row[column[required.code]] = required.level
            profile_at[key] = len(profiles)
            profiles.append(row)
        which.append(profile_at[key])
    tenure = np.array(days, dtype=np.float64) / DAYS_PER_YEAR  # NaN before hiring
    requirement = (np.array(profiles)[np.array(which, dtype=np.int64)] if profiles
                   else np.full((len(ids), len(codes)), np.nan))
    return tenure, requirement


def _number(value) -> float | None:
    value = float(value)
    return None if math.isnan(value) or math.isinf(value) else value


def _numbers(values) -> list[float | None]:
    return [_number(value) for value in values]


def _gap(gap: Gap, names: dict[str, tuple[str, str]]) -> dict:
    name, name_en = names.get(gap.dimension, ("", ""))
    return {"dimension": gap.dimension, "name": name, "name_en": name_en, "n": gap.n,
            "mean": _number(gap.mean), "reference_n": gap.reference_n,
            "reference_mean": _number(gap.reference_mean), "mean_gap": _number(gap.mean_gap),
            "effect": _number(gap.effect), "ci_low": _number(gap.ci_low), "ci_high": _number(gap.ci_high)}


def _regression(regression: Regression | None) -> dict | None:
    if regression is None:
        return None
    return {"n": regression.n, "r_squared": _number(regression.r_squared), "cov_type": regression.cov_type,
            "outcome": "log(1 + output)",
            "terms": [{"name": t.name, "coef": _number(t.coef), "se": _number(t.se), "p": _number(t.p),
                       "ci_low": _number(t.ci_low), "ci_high": _number(t.ci_high)} for t in regression.terms],
            "dropped": [{"dimension": code, "reason": reason} for code, reason in regression.dropped]}


def figures(result: Diagnosis, names: dict[str, tuple[str, str]], months: list[date]) -> dict:
    """Issue 7's JSON keys from the analytics' result (NaN as None), and beside them what the
    page and the reports draw: histogram, Lorenz curve, monthly trend, the tiers' profiles and
    rankings with their intervals, the findings, the regression."""
    per_head = result.output_per_head
    codes = [c.dimension for c in result.correlations]
    profiles = {profile.tier: profile for profile in result.tier_profiles}
    caution = small_sample_caution(result.headcount, {t.tier.code: t.count for t in result.tier_bottlenecks})
    return {
        "headcount": result.headcount,
        "output_per_head": {
            "mean": _number(per_head.all.mean),
            "median": _number(per_head.all.median),
            "trimmed_mean": _number(per_head.all.trimmed_mean),
            "mean_excluding_big_deals": _number(per_head.excluding_big_deals.mean),
            "median_excluding_big_deals": _number(per_head.excluding_big_deals.median),
        },
        "distribution": {
            "zero_share": _number(result.zero_share),
            "below_500_share": _number(result.below_500_share),
            "buckets": [{"lower": b.lower, "upper": b.upper, "count": b.count, "share": _number(b.share)}
                        for b in result.buckets],
        },
        "histogram": {"edges": _numbers(result.histogram.edges), "counts": result.histogram.counts.tolist(),
                      "below": result.histogram.below, "above": result.histogram.above},
        "lorenz": {"people": _numbers(result.lorenz.people), "output": _numbers(result.lorenz.output)},
        "gini": _number(result.gini),
        "trend": {"months": [f"{month:%Y-%m}" for month in months],
                  "headcount": result.trend.headcount.tolist(),
                  "per_head": _numbers(result.trend.per_head),
                  "per_head_excluding_big_deals": _numbers(result.trend_excluding_big_deals.per_head)},
        "tiers": [{"tier": t.tier.code, "count": t.count, "reference": t.reference,
                   "bottlenecks": t.bottlenecks,
                   "leading": [gap.dimension for gap in leading(t.ranking)],
                   "finding": tier_finding(t, names, tentative=caution.tentative(t.tier.code)),
                   "ranking": [_gap(gap, names) for gap in t.ranking],
                   "versus_requirement": (None if t.versus_requirement is None
                                          else [_gap(gap, names) for gap in t.versus_requirement]),
                   "profile": {"dimensions": codes, "n": profiles[t.tier].n.tolist(),
                               "mean": _numbers(profiles[t.tier].mean)}}
                  for t in result.tier_bottlenecks],
        "correlations": [
            {"dimension": c.dimension, "name": names.get(c.dimension, ("", ""))[0],
             "name_en": names.get(c.dimension, ("", ""))[1], "n": c.n,
             "rho": _number(c.rho), "ci_low": _number(c.ci_low), "ci_high": _number(c.ci_high),
             "p": _number(c.p), "q": _number(c.q), "pearson_r": _number(c.pearson_r),
             "partial_n": c.partial_n, "partial_rho": _number(c.partial_rho),
             "partial_p": _number(c.partial_p)}
            for c in result.correlations
        ],
        "regression": _regression(result.regression),
        # Too few people for the statistics to mean much (analytics.diagnosis.SmallSample).
        "small_sample": {"headcount_below": caution.limits.headcount, "tier_below": caution.limits.tier,
                         "small_unit": caution.small_unit, "small_tiers": sorted(caution.small_tiers)},
    }
