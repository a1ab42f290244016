"""Tiers of performers (绩优 / 绩中 / 绩差: high / middle / low) by period output.

Input: `period`, float (n,), the period output (excluding big deals, CONTRACTS.md) of the
managers counted; NaN is refused here (leave out those with no employed month first).

By quantile (default high = top 20 %, low = bottom 30 %): with n_high = ⌊high · n⌋ and
n_low = ⌊low · n⌋ (a 1e-9 guard against floating error, so 0.3 · 10 is 3), the high tier is
the n_high largest outputs and the low tier the n_low smallest, except at a cut-off: ties
go to the lower tier (CONTRACTS.md). So, with x↓ the outputs sorted descending and x↑
ascending (0-based):
    high  ⟺  x > x↓[n_high]          (nobody when n_high = 0, everybody when n_high = n)
    low   ⟺  x ≤ x↑[n_low − 1]       (nobody when n_low = 0)
    middle otherwise.
Ties therefore shrink the high tier and may grow the low one (18 % at zero and a bottom
30 % cut at zero: everyone at zero is low, and so is anyone tied with the 30th percentile).

By threshold, with the same rule for ties: high ⟺ x > high_above, low ⟺ x ≤ low_at_most.
"""

from enum import IntEnum

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError

DEFAULT_HIGH = 0.2
DEFAULT_LOW = 0.3
_GUARD = 1e-9


class Tier(IntEnum):
    """Codes as GLOSSARY.md names them; the integers order the tiers from low to high."""

    LOW = 0
    MIDDLE = 1
    HIGH = 2

    @property
    def code(self) -> str:
        return self.name.lower()

    @property
    def above(self) -> "Tier | None":
        """The tier whose profile this one is compared with (None for the top tier)."""
        return None if self is Tier.HIGH else Tier(self + 1)


def _values(period: ArrayLike) -> NDArray[np.float64]:
    x = np.asarray(period, dtype=np.float64)
    if x.ndim != 1:
        raise AnalyticsInputError("period output must be one value per manager")
    if not np.isfinite(x).all():
        raise AnalyticsInputError("tiers need a finite period output for every manager counted")
    return x


def tiers_by_quantile(period: ArrayLike, high: float = DEFAULT_HIGH,
                      low: float = DEFAULT_LOW) -> NDArray[np.int8]:
    """Tier per manager (int8 values of Tier) by the shares `high` and `low`, ties to the lower tier."""
    if not (0 <= high <= 1 and 0 <= low <= 1 and high + low <= 1):
        raise AnalyticsInputError(f"tier shares must lie in [0, 1] and add up to at most 1: {high}, {low}")
    x = _values(period)
    n = x.size
    result = np.full(n, Tier.MIDDLE, dtype=np.int8)
    if n == 0:
        return result
    ascending = np.sort(x)
    n_high = int(np.floor(high * n + _GUARD))
    n_low = int(np.floor(low * n + _GUARD))
    if n_high == n:  # high = 1: no cut-off to tie at
        result[:] = Tier.HIGH
    elif n_high > 0:
        result[x > ascending[n - 1 - n_high]] = Tier.HIGH  # x↓[n_high] is x↑[n − 1 − n_high]
    if n_low > 0:
        result[x <= ascending[n_low - 1]] = Tier.LOW
    return result


def tiers_by_threshold(period: ArrayLike, low_at_most: float, high_above: float) -> NDArray[np.int8]:
    """low ⟺ x ≤ low_at_most, high ⟺ x > high_above, middle between."""
    if not low_at_most <= high_above:
        raise AnalyticsInputError(f"the low threshold {low_at_most} is above the high one {high_above}")
    x = _values(period)
    result = np.full(x.size, Tier.MIDDLE, dtype=np.int8)
    result[x > high_above] = Tier.HIGH
    result[x <= low_at_most] = Tier.LOW
    return result


def tier_counts(tiers: ArrayLike) -> dict[Tier, int]:
    codes = np.asarray(tiers)
    return {tier: int(np.count_nonzero(codes == tier)) for tier in Tier}
