"""performance's part of the demo: 12 months of output (DEMO_MONTHS, ending the month before
DEMO_TODAY) for every demo account manager, reproducing the CASS article's figures: output per
head under 2,000 yuan a month without big deals, over half the managers under 500, about 18%
at zero, and a few big deals.

Output is made from the skills assess's part planted (assess/demo.py), plus noise:
- whether a manager sells at all: ACTIVE_WEIGHT · s₁ + noise above the ZERO_SHARE quantile,
  s₁ = (u_D01 + u_D03) / √2 (finding targets, building relationships): the low tier's
  bottleneck against the middle;
- how much, for one who does: a lognormal around TYPICAL yuan a month, with
  log-slope SIZE_WEIGHT on s₂ = (u_D05 + u_D06) / √2 (needs mining, solution design): the
  middle tier's bottleneck against the top;
- month by month: no sale in a month with probability QUIET_MONTH, else that level times
  a lognormal month factor; a seller now and then closes a big deal (BIG_DEAL_RATE a month):
  a line item of 50,000 yuan or more (the default threshold), so that it never counts in
  the figures without big deals.
Months before a manager's hire month have no record (he was not employed).

`planted_output(...)` is pure (numpy, one Generator seeded from the demo's seed);
`PerformanceDemo.build` writes monthly summaries and the big deals' line items with
core/demo.insert_rows (the one bulk writer, core/bulk.py), then stores one diagnosis of the
root unit over its default period (the last 12 months with data), so that a new user opening
绩效诊断 finds a finished diagnosis; none is added when the root has one already.
"""

from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

import numpy as np
from numpy.typing import NDArray

from casspath.assess.demo import CODES, DemoManager, PlantedSkills, demo_rng, planted_for
from casspath.core.demo import CHUNK, DEMO_TODAY, DemoPart, DemoRun, insert_rows
from casspath.org.models import OrgUnit
from casspath.performance.models import DiagnosisSnapshot, PerformanceRecord
from casspath.performance.queries import month_index, months_between

LAST_MONTH = (DEMO_TODAY.replace(day=1) - timedelta(days=1)).replace(day=1)
_FIRST = month_index(LAST_MONTH) - 11
DEMO_MONTHS = months_between(date(_FIRST // 12, _FIRST % 12 + 1, 1), LAST_MONTH)
ZERO_SHARE = 0.16  # managers who sold nothing all year
ACTIVE_WEIGHT = 0.8  # how much s₁ decides who sells (the rest is chance)
TYPICAL = 480.0  # yuan a month: the median level of one who sells
SIZE_SIGMA = 1.2  # spread of the log level between sellers
SIZE_WEIGHT = 0.75  # the log level's correlation with s₂
QUIET_MONTH = 0.3
MONTH_SIGMA = 0.6
BIG_DEAL_RATE = 0.004  # per seller and month
BIG_DEAL = (50_000, 300_000)
FIELDS = ("employee_id", "month", "day", "kind", "amount", "product", "flagged", "big_deal_amount")
BIG_PRODUCTS = ["政务云平台", "智慧园区", "数据中心专线", "5G专网"]


@dataclass(frozen=True)
class PlantedOutput:
    """Per manager (rows) × DEMO_MONTHS (columns)."""

    regular: NDArray[np.float64]  # whole yuan a month, without big deals
    big_deals: NDArray[np.float64]  # whole yuan of big deals a month (one line item each)
    employed: NDArray[np.bool_]


def planted_output(managers: list[DemoManager], skills: PlantedSkills, seed: int) -> PlantedOutput:
    """The managers' monthly output (the module docstring's model)."""
    from scipy import stats  # here: it costs ~2 s of every process's start, and only a demo build needs it

    rng = demo_rng(seed, "performance")
    n, m = len(managers), len(DEMO_MONTHS)
    u = skills.aptitude
    s1 = (u[:, CODES.index("D01")] + u[:, CODES.index("D03")]) / np.sqrt(2)
    s2 = (u[:, CODES.index("D05")] + u[:, CODES.index("D06")]) / np.sqrt(2)
    sells = (ACTIVE_WEIGHT * s1 + np.sqrt(1 - ACTIVE_WEIGHT ** 2) * rng.standard_normal(n)
             > stats.norm.ppf(ZERO_SHARE))
    log_level = (np.log(TYPICAL) + SIZE_SIGMA * (SIZE_WEIGHT * s2
                 + np.sqrt(1 - SIZE_WEIGHT ** 2) * rng.standard_normal(n)))
    # Divided by the mean of the month factor, so that the level is a month's expected output.
    month_factor = rng.lognormal(-MONTH_SIGMA ** 2 / 2, MONTH_SIGMA, (n, m)) / (1 - QUIET_MONTH)
    busy = rng.random((n, m)) >= QUIET_MONTH
    first = month_index(DEMO_MONTHS[0])
    hired = np.array([month_index(manager.hire_date) - first for manager in managers], dtype=np.int64)
    employed = np.arange(m)[None, :] >= hired[:, None]
    regular = np.where(sells[:, None] & busy & employed,
                       np.rint(np.exp(log_level)[:, None] * month_factor), 0.0)
    big = np.where(sells[:, None] & employed & (rng.random((n, m)) < BIG_DEAL_RATE),
                   np.rint(rng.uniform(*BIG_DEAL, (n, m)) / 100) * 100, 0.0)
    return PlantedOutput(regular, big, employed)


class PerformanceDemo(DemoPart):
    def build(self, run: DemoRun) -> dict[str, int]:
        records = self._records(run)
        return {"performance_records": records, "diagnoses": self._diagnosis(run)}

    def _records(self, run: DemoRun) -> int:
        run.progress("planting output")
        managers, skills = planted_for(run)
        have = set(PerformanceRecord.objects.values_list("employee_id", flat=True).distinct())
        todo = [i for i, manager in enumerate(managers) if manager.employee_id not in have]
        if not todo:
            return 0
        planted = planted_output(managers, skills, run.seed)
        rng = demo_rng(run.seed, "performance:labels")
        summary = PerformanceRecord.Kind.MONTHLY_SUMMARY
        zero = Decimal(0)
        amounts = planted.regular.astype(np.int64).tolist()
        employed = planted.employed.tolist()
        written = 0
        for start in range(0, len(todo), CHUNK):  # bounded memory at 100,000 managers
            rows: list[tuple] = []
            for i in todo[start:start + CHUNK]:
                employee = managers[i].employee_id
                # A monthly summary for every employed month, 0 included: the month was reported.
                rows += [(employee, month, None, summary, Decimal(amounts[i][j]), "", False, zero)
                         for j, month in enumerate(DEMO_MONTHS) if employed[i][j]]
            insert_rows(PerformanceRecord, FIELDS, rows)
            written += len(rows)
            run.progress("performance records", min(start + CHUNK, len(todo)), len(todo))
        big_rows = []
        wanted = set(todo)
        for i, j in zip(*np.nonzero(planted.big_deals), strict=True):
            if i in wanted:
                month = DEMO_MONTHS[j]
                day = month + timedelta(days=int(rng.integers(0, 28)))
                big_rows.append((managers[i].employee_id, month, day,
                                 PerformanceRecord.Kind.LINE_ITEM, Decimal(int(planted.big_deals[i, j])),
                                 BIG_PRODUCTS[int(rng.integers(len(BIG_PRODUCTS)))], True, zero))
        insert_rows(PerformanceRecord, FIELDS, big_rows)
        return written + len(big_rows)

    def _diagnosis(self, run: DemoRun) -> int:
        """1 when it stored the root's diagnosis, 0 when the root has a finished one already
        or the acting user may not see its reports (`--as`)."""
        # Here: the diagnosis's statistics take seconds to import, and only a build needs them.
        from casspath.org.scopes import Perm, unit_in_scope
        from casspath.performance.actions import do_diagnose
        from casspath.performance.diagnosis import parse_period

        root = run.shared["root"]
        if _finished_diagnoses(root).exists() or not unit_in_scope(run.acting_user, Perm.SEE_REPORTS, root):
            return 0
        run.progress("diagnosing")
        snapshot = do_diagnose(root, parse_period(root, None, None), acting_user=run.acting_user)
        if snapshot.status != DiagnosisSnapshot.Status.SUCCEEDED:
            # The demo's data is made to be diagnosed: a failure is a bug, not a state to keep.
            raise RuntimeError(f"the demo's diagnosis of {root.code} failed: {snapshot.error_en}")
        return 1

    def describe(self, run: DemoRun) -> list[str]:
        lines = [f"performance records: {PerformanceRecord.objects.count():,}, "
                 f"{DEMO_MONTHS[0]:%Y-%m} to {DEMO_MONTHS[-1]:%Y-%m}"]
        root = run.shared.get("root")
        latest = None if root is None else _finished_diagnoses(root).order_by("-finished_at", "-id").first()
        if root is not None and latest is not None:
            headcount = (latest.figures or {}).get("headcount", 0)
            lines.append(f"performance diagnosis: {root.code} {latest.first_month:%Y-%m} to "
                         f"{latest.last_month:%Y-%m}, {headcount:,} managers "
                         f"(/performance/diagnoses/{latest.pk}/)")
        return lines


def _finished_diagnoses(unit: OrgUnit):
    return DiagnosisSnapshot.objects.filter(org_unit=unit, status=DiagnosisSnapshot.Status.SUCCEEDED)


part = PerformanceDemo()
