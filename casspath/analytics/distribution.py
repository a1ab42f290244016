"""How output is spread over the managers: shares, buckets, histogram, Lorenz curve, Gini
(the article's 产能失衡, output imbalance).

Input: `period`, float (N,), each manager's period output (analytics.output.period_output;
the contract's figures use output excluding big deals). NaN entries (managers with no
employed month) are left out of everything; n below is the number of the others.

Terms:
- zero_share = #{x_i = 0} / n (exactly zero: no contribution); below_500_share =
  #{x_i < 500} / n (zeros and any negative output included). NaN when n = 0.
- buckets over edges e_0 < … < e_k: [−∞, e_0), [e_0, e_1), …, [e_k, ∞), each with its count
  and share (count / n). Zero has its own figure (zero_share), so the default edges need not
  split it off.
- Lorenz curve and Gini are defined for non-negative amounts: a negative period output
  (returns exceeding sales) counts as 0 there. With x_(1) ≤ … ≤ x_(n) and S = Σ x:
  L(k/n) = Σ_{j ≤ k} x_(j) / S, L(0) = 0;
  G = Σ_i Σ_j |x_i − x_j| / (2 n² x̄) = 2 Σ_i i · x_(i) / (n S) − (n + 1) / n,
  the plain (population) estimator, equal to 1 − 2 × the trapezoid area under L; it lies in
  [0, 1 − 1/n]. G is NaN when S = 0 (all zero: there is no output to be unequal) or n = 0;
  G = 0 for one manager.
- nice_edges: round bin edges (steps of 1, 2 or 5 × 10^k) for a chart's histogram.
"""

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError

# The article's thresholds (500 yuan, 2,000 yuan) are among the edges.
DEFAULT_BUCKET_EDGES: tuple[float, ...] = (0.0, 500.0, 1000.0, 2000.0, 5000.0, 10000.0)


def _values(period: ArrayLike) -> NDArray[np.float64]:
    x = np.asarray(period, dtype=np.float64)
    if x.ndim != 1:
        raise AnalyticsInputError("period output must be one value per manager")
    if np.isinf(x).any():
        raise AnalyticsInputError("period output holds an infinite value")
    return x[~np.isnan(x)]


def zero_share(period: ArrayLike) -> float:
    """#{x_i = 0} / n; NaN when n = 0."""
    x = _values(period)
    return float(np.count_nonzero(x == 0) / x.size) if x.size else np.nan


def below_share(period: ArrayLike, threshold: float = 500.0) -> float:
    """#{x_i < threshold} / n; NaN when n = 0."""
    x = _values(period)
    return float(np.count_nonzero(x < threshold) / x.size) if x.size else np.nan


@dataclass(frozen=True)
class Bucket:
    """[lower, upper): lower None for −∞, upper None for +∞."""

    lower: float | None
    upper: float | None
    count: int
    share: float


def buckets(period: ArrayLike, edges: Sequence[float] = DEFAULT_BUCKET_EDGES) -> list[Bucket]:
    """Counts over [−∞, e_0), [e_0, e_1), …, [e_k, ∞); share = count / n (NaN when n = 0)."""
    bounds = np.asarray(edges, dtype=np.float64)
    if bounds.ndim != 1 or bounds.size == 0 or not np.isfinite(bounds).all():
        raise AnalyticsInputError("bucket edges must be a non-empty list of finite numbers")
    if (np.diff(bounds) <= 0).any():
        raise AnalyticsInputError("bucket edges must increase strictly")
    x = _values(period)
    # side="right": a value equal to an edge belongs to the bucket that edge opens.
    counts = np.bincount(np.searchsorted(bounds, x, side="right"), minlength=bounds.size + 1)
    lowers: list[float | None] = [None, *bounds.tolist()]
    uppers: list[float | None] = [*bounds.tolist(), None]
    n = x.size
    return [Bucket(lo, hi, int(c), float(c / n) if n else np.nan)
            for lo, hi, c in zip(lowers, uppers, counts, strict=True)]


@dataclass(frozen=True)
class Histogram:
    """counts[b] of values in [edges[b], edges[b+1]) (the last bin closed); values outside
    [edges[0], edges[-1]] are counted in below / above, not in any bin."""

    edges: NDArray[np.float64]
    counts: NDArray[np.int64]
    below: int
    above: int


def histogram(period: ArrayLike, bins: int = 20, value_range: tuple[float, float] | None = None) -> Histogram:
    """`bins` equal-width bins over value_range (default [min x, max x]); a chart of a skewed
    distribution passes a range (say up to the 95th percentile) and shows `above` apart."""
    if bins < 1:
        raise AnalyticsInputError(f"a histogram needs at least one bin, got {bins}")
    x = _values(period)
    if value_range is None:
        lo, hi = (float(x.min()), float(x.max())) if x.size else (0.0, 1.0)
    else:
        lo, hi = map(float, value_range)
    if not hi > lo:
        hi = lo + 1.0  # every value equal: one visible bin holding them all
    edges = np.linspace(lo, hi, bins + 1)
    inside = x[(x >= lo) & (x <= hi)]
    index = np.minimum(((inside - lo) / (hi - lo) * bins).astype(np.int64), bins - 1)
    return Histogram(edges, np.bincount(index, minlength=bins).astype(np.int64),
                     int(np.count_nonzero(x < lo)), int(np.count_nonzero(x > hi)))


def histogram_on(period: ArrayLike, edges: ArrayLike) -> Histogram:
    """Counts over the given edges e_0 < … < e_k: bin b holds e_b ≤ x < e_{b+1}, the last bin
    e_{k−1} ≤ x ≤ e_k; below = #{x < e_0}, above = #{x > e_k}."""
    bounds = np.asarray(edges, dtype=np.float64)
    if bounds.ndim != 1 or bounds.size < 2 or not np.isfinite(bounds).all():
        raise AnalyticsInputError("histogram edges must be at least two finite numbers")
    if (np.diff(bounds) <= 0).any():
        raise AnalyticsInputError("histogram edges must increase strictly")
    x = _values(period)
    bins = bounds.size - 1
    inside = x[(x >= bounds[0]) & (x <= bounds[-1])]
    index = np.minimum(np.searchsorted(bounds, inside, side="right") - 1, bins - 1)
    return Histogram(bounds, np.bincount(index, minlength=bins).astype(np.int64),
                     int(np.count_nonzero(x < bounds[0])), int(np.count_nonzero(x > bounds[-1])))


NICE_MANTISSAS = (1, 2, 5)


def nice_edges(lo: float, hi: float, bins: int = 20) -> NDArray[np.float64]:
    """Round edges covering [lo, hi] in at most `bins` equal bins, for a chart:

        s = the smallest step of the 1-2-5 series (m × 10^k, m ∈ {1, 2, 5}, k an integer)
            with s ≥ (hi − lo) / bins and ⌈hi / s⌉ − ⌊lo / s⌋ ≤ bins;
        edges = ⌊lo / s⌋ · s, (⌊lo / s⌋ + 1) · s, …, ⌈hi / s⌉ · s.

    So edges[0] ≤ lo (0 when lo = 0), hi ≤ edges[-1] < hi + s, and every edge is a multiple
    of s: [0, 1867] in 20 bins gives 0, 100, …, 1900 (19 bins); [−130, 4210] in 10 gives
    −500, 0, …, 4500. Refused unless lo < hi, both finite, and bins ≥ 2 (one bin cannot
    straddle 0 with edges on multiples of s: [−s, s] is two)."""
    if bins < 2:
        raise AnalyticsInputError(f"round edges need at least two bins, got {bins}")
    if not (math.isfinite(lo) and math.isfinite(hi) and lo < hi):
        raise AnalyticsInputError(f"round edges need finite lo < hi, got [{lo}, {hi}]")
    exponent = math.floor(math.log10((hi - lo) / bins))
    while True:
        for mantissa in NICE_MANTISSAS:
            # m × 10^k as m / 10^−k when k < 0: 3 × 0.2 would be 0.6000000000000001.
            scale = 10.0 ** abs(exponent)
            step = mantissa * scale if exponent >= 0 else mantissa / scale
            if step * bins < hi - lo:
                continue
            first, last = math.floor(lo / step), math.ceil(hi / step)
            if last - first <= bins:
                steps = np.arange(first, last + 1, dtype=np.float64)
                return steps * mantissa * scale if exponent >= 0 else steps * mantissa / scale
        exponent += 1


@dataclass(frozen=True)
class Lorenz:
    """Points (people[k], output[k]) of the Lorenz curve from (0, 0) to (1, 1)."""

    people: NDArray[np.float64]
    output: NDArray[np.float64]


def lorenz(period: ArrayLike, points: int | None = 101) -> Lorenz:
    """L(k/n) = Σ_{j ≤ k} x_(j) / S over the sorted outputs (negatives as 0). With `points`,
    the curve is read (linearly between people) at `points` evenly spaced shares of people,
    enough for a chart; None gives all n + 1 points. All zero (S = 0) or n = 0: output NaN."""
    x = np.sort(np.maximum(_values(period), 0.0))
    n = x.size
    people = np.linspace(0.0, 1.0, n + 1)
    total = x.sum()
    with np.errstate(invalid="ignore", divide="ignore"):
        output = np.concatenate(([0.0], np.cumsum(x))) / total if n and total > 0 else np.full(n + 1, np.nan)
    if points is None or n == 0:
        return Lorenz(people, output)
    if points < 2:
        raise AnalyticsInputError(f"a Lorenz curve needs at least 2 points, got {points}")
    grid = np.linspace(0.0, 1.0, points)
    return Lorenz(grid, np.interp(grid, people, output) if total > 0 else np.full(points, np.nan))


def gini(period: ArrayLike) -> float:
    """G = 2 Σ_i i · x_(i) / (n S) − (n + 1) / n over the sorted outputs (negatives as 0);
    NaN when n = 0 or S = 0."""
    x = np.sort(np.maximum(_values(period), 0.0))
    n = x.size
    total = x.sum()
    if n == 0 or total <= 0:
        return np.nan
    ranks = np.arange(1, n + 1, dtype=np.float64)
    return float(2.0 * np.dot(ranks, x) / (n * total) - (n + 1) / n)
