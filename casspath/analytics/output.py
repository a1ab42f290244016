"""Output (贡献, 产值) per manager, per period and per head (CONTRACTS.md, "Performance").

Inputs, as numpy arrays over N managers and M months of the period (columns in month
order):
- `monthly`: float (N, M), a manager's output in each month = the sum of his records in
  it. For the figures "excluding big deals" the caller passes the sum of his records that
  are not big deals (or `total - big`).
- `employed`: bool (N, M), whether he was employed in that month. An employed month with
  no record counts as 0, so NaN or any value where `employed` is true and no record
  exists is read as 0; values in months he was not employed are ignored.

Terms:
- period output of manager i: x_i = (1 / |E_i|) · Σ_{m ∈ E_i} monthly[i, m], with E_i his
  employed months; NaN when E_i is empty (he is not counted at all).
- headcount: the number of managers with at least one employed month.
- per head: statistics of the period outputs over the headcount. The trimmed mean drops
  ⌊trim · n⌋ values from each end of the sorted outputs (default trim 0.1, i.e. 10 % from
  each end: scipy.stats.trim_mean's convention) and averages the rest.
"""

from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError

DEFAULT_TRIM = 0.1


def as_matrices(monthly: ArrayLike, employed: ArrayLike) -> tuple[NDArray[np.float64], NDArray[np.bool_]]:
    """The two inputs as (N, M) arrays of one shape, output 0 wherever employed and unrecorded."""
    values = np.asarray(monthly, dtype=np.float64)
    mask = np.asarray(employed, dtype=np.bool_)
    if values.ndim != 2:
        raise AnalyticsInputError(f"monthly output must be managers x months, got {values.ndim} dimension(s)")
    if values.shape != mask.shape:
        raise AnalyticsInputError(
            f"monthly output {values.shape} and employed months {mask.shape} differ in shape")
    if np.isinf(values).any():
        raise AnalyticsInputError("monthly output holds an infinite value")
    return np.where(mask & ~np.isnan(values), values, 0.0), mask


def period_output(monthly: ArrayLike, employed: ArrayLike) -> NDArray[np.float64]:
    """x_i = Σ_{m ∈ E_i} monthly[i, m] / |E_i| per manager; NaN for one never employed in the period."""
    values, mask = as_matrices(monthly, employed)
    months = mask.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(months > 0, values.sum(axis=1) / months, np.nan)


@dataclass(frozen=True)
class PerHead:
    """Statistics of period outputs over the managers who have one."""

    headcount: int
    mean: float
    median: float
    trimmed_mean: float
    trim: float


def per_head(period: ArrayLike, trim: float = DEFAULT_TRIM) -> PerHead:
    """mean = Σ x_i / n; median = the middle of the sorted x (mean of the two middle ones for
    even n); trimmed mean = mean of x_(k+1) … x_(n−k), k = ⌊trim · n⌋. NaN values (no employed
    month) are left out; with n = 0 every figure is NaN."""
    if not 0 <= trim < 0.5:
        raise AnalyticsInputError(f"trim must be in [0, 0.5), got {trim}")
    x = np.asarray(period, dtype=np.float64)
    if x.ndim != 1:
        raise AnalyticsInputError("period output must be one value per manager")
    x = np.sort(x[~np.isnan(x)])
    n = x.size
    if n == 0:
        return PerHead(0, np.nan, np.nan, np.nan, trim)
    k = int(np.floor(trim * n))
    return PerHead(n, float(x.mean()), float(np.median(x)), float(x[k:n - k].mean()), trim)


@dataclass(frozen=True)
class OutputPerHead:
    """Per-head output with big deals (`all`) and without (`excluding_big_deals`)."""

    all: PerHead
    excluding_big_deals: PerHead

    @property
    def headcount(self) -> int:
        return self.all.headcount


def output_per_head(total: ArrayLike, big_deals: ArrayLike, employed: ArrayLike,
                    trim: float = DEFAULT_TRIM) -> OutputPerHead:
    """Per head over the period, once on `total` and once on `total − big_deals` (big_deals:
    (N, M) sum of each month's big-deal records, 0 where none)."""
    values, mask = as_matrices(total, employed)
    big, _ = as_matrices(big_deals, employed)
    return OutputPerHead(per_head(period_output(values, mask), trim),
                         per_head(period_output(values - big, mask), trim))


@dataclass(frozen=True)
class MonthlyTrend:
    """Per month m: headcount[m] managers employed, per_head[m] their mean output (NaN if none)."""

    headcount: NDArray[np.int64]
    per_head: NDArray[np.float64]


def monthly_trend(monthly: ArrayLike, employed: ArrayLike) -> MonthlyTrend:
    """per_head[m] = Σ_{i employed in m} monthly[i, m] / #{i employed in m}."""
    values, mask = as_matrices(monthly, employed)
    counts = mask.sum(axis=0).astype(np.int64)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(counts > 0, values.sum(axis=0) / counts, np.nan)
    return MonthlyTrend(counts, mean)
