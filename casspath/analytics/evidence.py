"""The current-level rule: a person's evidence (证据) of a dimension turned into his current
level of it, and how sure that level is (CONTRACTS.md, "Evidence").

Evidence is ratings (supervisor, peer, self, the consultant's imported survey) and, with
the assessment issue, exam results: each record gives a level 1–5, or a score 0–100 that
means the level

    level = 1 + 4 · score / 100          (0 → 1, 50 → 3, 100 → 5; `level_of_score`)

For one employee and dimension, with records i dated t_i on or before the day asked t
(later records are not yet known on that day and are left out), of level L_i from a source
of weight s_i:

    age_i = t − t_i                      (days)
    w_i   = s_i · 2^(−age_i / h)         (h = half-life, default 365 days: a year-old
                                          record counts half as much as today's)
    level = Σ w_i L_i / Σ w_i            (the weighted mean; NaN with no weighted record)
    W     = Σ w_i                        (the weight of the evidence, in fresh records of
                                          weight 1)
    n_eff = (Σ w_i)² / Σ w_i²            (Kish's effective number of records)
    spread = √(Σ w_i (L_i − level)² / Σ w_i)   (how much the records disagree)
    confidence = W / (W + k)             (k = 1: one fresh record of a full-weight source
                                          gives 0.5, two 0.67, one a year old 0.33; 0 with
                                          no evidence)
    newest = max t_i                     (the day of the newest record counted)

Default source weights (`SOURCE_WEIGHTS`): the consultant's survey, the supervisor's rating
and an exam 1.0; a peer's rating 0.7; a self-rating 0.4 (people rate themselves high). A
source of weight 0 is ignored.

Everything is vectorised: one call computes a whole org unit, records given as arrays
(`current_levels`), or already summed per employee and dimension (`current_levels_of_sums`):
the database can sum a whole unit's records itself, so that a read carries one row a
group instead of one a record. The sums are those of the formulas above,

    W = Σ w_i,  WL = Σ w_i L_i,  WW = Σ w_i²,  WLL = Σ w_i L_i²,  count,  newest

with w_i as above; then spread = √(max(WLL − WL²/W, 0) / W) (the same value, summed in
one pass). A reader that sums in SQL computes w_i from the same SOURCE_WEIGHTS and
half-life (assess/queries.py); a test checks that both ways agree.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError

SURVEY, SUPERVISOR, PEER, SELF, EXAM = "survey", "supervisor", "peer", "self", "exam"
SOURCE_WEIGHTS: Mapping[str, float] = {SURVEY: 1.0, SUPERVISOR: 1.0, EXAM: 1.0, PEER: 0.7, SELF: 0.4}
DEFAULT_HALF_LIFE_DAYS = 365.0
DEFAULT_CONFIDENCE_K = 1.0
MIN_LEVEL, MAX_LEVEL = 1.0, 5.0
MAX_SCORE = 100.0


def level_of_score(score: ArrayLike) -> NDArray[np.float64]:
    """The level a score 0–100 means: 1 + 4 · score / 100."""
    s = np.asarray(score, dtype=np.float64)
    if np.any(~np.isfinite(s)) or np.any((s < 0) | (s > MAX_SCORE)):
        raise AnalyticsInputError("scores must lie in [0, 100]")
    return 1.0 + 4.0 * s / MAX_SCORE


@dataclass(frozen=True)
class CurrentLevels:
    """Per employee (rows) × dimension (columns), as of one day."""

    level: NDArray[np.float64]  # NaN where no weighted evidence
    confidence: NDArray[np.float64]  # 0–1; 0 where none
    weight: NDArray[np.float64]  # W
    effective_records: NDArray[np.float64]  # n_eff; 0 where none
    spread: NDArray[np.float64]  # NaN where none
    count: NDArray[np.int64]  # records counted (weight > 0, dated on or before the day)
    newest: NDArray[np.int64]  # day number (date.toordinal()) of the newest counted; 0 where none


def current_levels(
    employee: ArrayLike,
    dimension: ArrayLike,
    level: ArrayLike,
    day: ArrayLike,
    source: ArrayLike,
    *,
    shape: tuple[int, int],
    as_of: int,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    source_weights: Mapping[str, float] = SOURCE_WEIGHTS,
    confidence_k: float = DEFAULT_CONFIDENCE_K,
) -> CurrentLevels:
    """The module's rule for every record at once.

    employee, dimension: int row and column of each record in the result (`shape` =
    (employees, dimensions)); level: float 1–5; day: int day numbers (`date.toordinal()`);
    source: the source code of each record (a key of `source_weights`); as_of: the day asked.
    """
    src = np.asarray(source)
    n = src.shape[0] if src.ndim == 1 else -1
    if n < 0 or np.ndim(employee) != 1 or np.shape(employee)[0] != n:
        raise AnalyticsInputError("employee, dimension, level, day and source must be 1-d arrays "
                                  "of one length")
    if any(not w >= 0 for w in source_weights.values()):
        raise AnalyticsInputError("source weights must be ≥ 0")
    # One comparison per known source (a handful): no sort of n strings.
    s = np.zeros(n, dtype=np.float64)
    covered = np.zeros(n, dtype=bool)
    for code, weight in source_weights.items():
        match = src == code
        s[match] = weight
        covered |= match
    if not covered.all():
        unknown = sorted({str(code) for code in src[~covered]})
        raise AnalyticsInputError(f"no weight for source(s) {unknown}")
    return current_levels_weighted(employee, dimension, level, day, s, shape=shape, as_of=as_of,
                                   half_life_days=half_life_days, confidence_k=confidence_k)


def current_levels_weighted(
    employee: ArrayLike,
    dimension: ArrayLike,
    level: ArrayLike,
    day: ArrayLike,
    source_weight: ArrayLike,
    *,
    shape: tuple[int, int],
    as_of: int,
    half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
    confidence_k: float = DEFAULT_CONFIDENCE_K,
) -> CurrentLevels:
    """`current_levels` with each record's source weight s_i already looked up (a reader
    that maps sources to weights itself, without an array of n strings). The arrays are
    checked as `current_levels` checks them."""
    blocks = LevelsInBlocks(shape, as_of=as_of, half_life_days=half_life_days, confidence_k=confidence_k)
    blocks.add(employee, dimension, level, day, source_weight)
    return blocks.result()


class LevelsInBlocks:
    """`current_levels_weighted` fed the records a block at a time (a reader that streams
    them), `add` for each block, then `result`: the same figures to the last bit, provided
    every record of one employee (row) comes in one block (`add` refuses a row seen in an
    earlier block). A group's sums are then made by one bincount over its records in their
    order, as if all came at once; only a block's arrays and the result's are ever held,
    not the n records' (at 5.4 million records, fresh memory was most of the time)."""

    def __init__(self, shape: tuple[int, int], *, as_of: int,
                 half_life_days: float = DEFAULT_HALF_LIFE_DAYS,
                 confidence_k: float = DEFAULT_CONFIDENCE_K):
        rows, cols = shape
        if rows < 0 or cols < 0:
            raise AnalyticsInputError(f"a shape of {shape}")
        if not half_life_days > 0 or not confidence_k > 0:
            raise AnalyticsInputError("the half-life and k must be positive")
        self.shape, self.as_of = (rows, cols), as_of
        self.half_life_days, self.confidence_k = float(half_life_days), confidence_k
        size = rows * cols
        # The sums of the module docstring, flat (rows × columns); dev = Σ w (L − level)².
        self._total, self._sum_wx, self._sum_w2, self._dev = (np.zeros(size) for _ in range(4))
        self._count = np.zeros(size, dtype=np.int64)
        self._newest = np.zeros(size, dtype=np.int64)
        self._seen = np.zeros(rows, dtype=bool)

    def add(self, employee: ArrayLike, dimension: ArrayLike, level: ArrayLike, day: ArrayLike,
            source_weight: ArrayLike) -> None:
        """One block of records (the arrays of `current_levels_weighted`)."""
        rows, cols = self.shape
        e, d, t = (np.asarray(a, dtype=np.int64) for a in (employee, dimension, day))
        x, s = np.asarray(level, dtype=np.float64), np.asarray(source_weight, dtype=np.float64)
        n = e.shape[0] if e.ndim == 1 else -1
        if any(a.ndim != 1 or a.shape[0] != n for a in (e, d, x, t, s)):
            raise AnalyticsInputError("employee, dimension, level, day and weight must be 1-d arrays "
                                      "of one length")
        if not n:
            return
        low, high = int(e.min()), int(e.max())
        if low < 0 or high >= rows or d.min() < 0 or d.max() >= cols:
            raise AnalyticsInputError(f"employee or dimension index outside the shape {self.shape}")
        if np.any(~np.isfinite(x)) or np.any((x < MIN_LEVEL) | (x > MAX_LEVEL)):
            raise AnalyticsInputError("levels must lie in [1, 5]")
        if np.any(~(s >= 0)) or np.any(~np.isfinite(s)):
            raise AnalyticsInputError("source weights must be finite and ≥ 0")
        present = np.zeros(high - low + 1, dtype=bool)
        present[e - low] = True
        seen = self._seen[low:high + 1]
        if (seen & present).any():
            raise AnalyticsInputError("an employee's records come in two blocks")
        seen |= present
        age = (self.as_of - t).astype(np.float64)
        w = np.exp2(-age / self.half_life_days)
        w *= s
        w[age < 0] = 0.0  # not yet known on the day asked
        keep = w > 0
        # The block's groups numbered from its first row: its sums fill rows low..high of
        # the result, where every earlier block left zeros (its rows are others).
        g = ((e - low) * cols + d)[keep]
        w, x, t = w[keep], x[keep], t[keep]
        size = (high - low + 1) * cols
        at = slice(low * cols, (high + 1) * cols)
        total = np.bincount(g, weights=w, minlength=size)
        sum_wx = np.bincount(g, weights=w * x, minlength=size)
        self._total[at] += total
        self._sum_wx[at] += sum_wx
        self._sum_w2[at] += np.bincount(g, weights=w * w, minlength=size)
        self._count[at] += np.bincount(g, minlength=size)
        # Deviations from the group's own mean (not Σwx² − mean²: no cancellation).
        mean = np.divide(sum_wx, total, out=np.zeros(size), where=total > 0)
        deviation = x - mean[g]
        deviation **= 2
        deviation *= w
        self._dev[at] += np.bincount(g, weights=deviation, minlength=size)
        newest = self._newest[at]
        np.maximum.at(newest, g, t)

    def result(self) -> CurrentLevels:
        return _finish(self.shape, self._total, self._sum_wx, self._sum_w2, self._dev, self._count,
                       self._newest, self.confidence_k)


def current_levels_of_sums(
    row: ArrayLike,
    column: ArrayLike,
    weight: ArrayLike,
    weighted_level: ArrayLike,
    weight_squared: ArrayLike,
    weighted_level_squared: ArrayLike,
    count: ArrayLike,
    newest: ArrayLike,
    *,
    shape: tuple[int, int],
    confidence_k: float = DEFAULT_CONFIDENCE_K,
) -> CurrentLevels:
    """The rule from each group's sums (W, WL, WW, WLL, count, newest: the module
    docstring), one entry a group at (row, column) of `shape`; groups not given have no
    evidence. The sums count the records of weight > 0 dated on or before the day asked."""
    rows, cols = shape
    e = np.asarray(row, dtype=np.int64)
    d = np.asarray(column, dtype=np.int64)
    given = [np.asarray(a, dtype=np.float64) for a in (weight, weighted_level, weight_squared,
                                                       weighted_level_squared)]
    counts, days = np.asarray(count, dtype=np.int64), np.asarray(newest, dtype=np.int64)
    n = e.shape[0] if e.ndim == 1 else -1
    if rows < 0 or cols < 0 or any(a.ndim != 1 or a.shape[0] != n for a in (e, d, *given, counts, days)):
        raise AnalyticsInputError("rows, columns and sums must be 1-d arrays of one length")
    if not confidence_k > 0:
        raise AnalyticsInputError("k must be positive")
    if n and (e.min() < 0 or e.max() >= rows or d.min() < 0 or d.max() >= cols):
        raise AnalyticsInputError(f"row or column outside the shape {shape}")
    if any(np.any(~np.isfinite(a)) for a in given) or np.any(given[0] < 0):
        raise AnalyticsInputError("sums must be finite and weights ≥ 0")
    size = rows * cols
    g = e * cols + d
    if np.unique(g).size != n:
        raise AnalyticsInputError("one entry a group: a group is given twice")
    full = []
    for values in (*given, counts, days):
        out = np.zeros(size, dtype=values.dtype)
        out[g] = values
        full.append(out)
    total, sum_wx, sum_w2, sum_wxx, counted, newest_day = full
    with np.errstate(invalid="ignore", divide="ignore"):
        dev = np.maximum(sum_wxx - np.where(total > 0, sum_wx * sum_wx / total, 0.0), 0.0)
    return _finish(shape, total, sum_wx, sum_w2, dev, counted, newest_day, confidence_k)


def _finish(shape: tuple[int, int], total: NDArray[Any], sum_wx: NDArray[Any], sum_w2: NDArray[Any],
            dev: NDArray[Any], count: NDArray[Any], newest: NDArray[Any],
            confidence_k: float) -> CurrentLevels:
    """The figures from each group's sums (flat, rows × columns); dev = Σ w (L − level)²."""
    has = total > 0
    # Each figure computed into its own array where there is evidence (no temporaries: at
    # 1.8 million groups each is 14 MB of fresh memory).
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.divide(sum_wx, total, out=np.full(total.shape, np.nan), where=has)
        spread = np.divide(dev, total, out=np.full(total.shape, np.nan), where=has)
        np.sqrt(spread, out=spread, where=has)
        n_eff = np.multiply(total, total, out=np.zeros(total.shape), where=has)
        np.divide(n_eff, sum_w2, out=n_eff, where=has)
    confidence = np.add(total, confidence_k)
    np.divide(total, confidence, out=confidence)
    return CurrentLevels(
        level=mean.reshape(shape),
        confidence=confidence.reshape(shape),
        weight=total.reshape(shape),
        effective_records=n_eff.reshape(shape),
        spread=spread.reshape(shape),
        count=count.reshape(shape),
        newest=newest.reshape(shape),
    )
