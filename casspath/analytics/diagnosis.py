"""The whole diagnosis of one org unit and period, from arrays to figures (issue 7).

This is what the performance app calls once it has read the period from the database:

    diagnose(total, big_deals, employed, levels, codes, tenure=..., requirement=...)

- total, big_deals: float (N, M) per manager and month of the period: the sum of all his
  records, and of those that are big deals (flagged or ≥ the threshold, CONTRACTS.md);
- employed: bool (N, M);
- levels: float (N, D), current level per dimension (NaN unrated); codes: the D codes;
- tenure: float (N,) years, NaN unknown (optional: partial correlations, the regression);
- requirement: float (N, D) or (D,) effective requirement levels (optional: the high
  tier's bottlenecks; without it the high tier has none).
Managers never employed in the period are not counted anywhere. Everything except
`output_per_head.all` and the monthly trend with big deals uses output excluding big deals
(CONTRACTS.md). The figures' definitions are in each module's docstring. The histogram
spans [min(0, min x), the 95th percentile], widened to round edges (distribution.nice_edges:
the top edge is the first multiple of the step at or above the percentile), so that a few
big sellers do not squeeze everyone into the first bin; those above are counted in
`histogram.above`.

Issue 7's JSON reads: headcount; output_per_head.mean / median = output_per_head.all's,
mean_excluding_big_deals = output_per_head.excluding_big_deals.mean; distribution.zero_share,
below_500_share, buckets; gini; tiers[] = tier_bottlenecks (tier.code, count, bottlenecks);
correlations[] = correlations (dimension, rho, ci_low, ci_high, p, q, pearson_r; the name
comes from the competency model).
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics import bottlenecks, correlation, distribution, output, tiers
from casspath.analytics.errors import AnalyticsInputError


@dataclass(frozen=True)
class TierSettings:
    """Quantile shares (the default) or, when both thresholds are set, thresholds."""

    high: float = tiers.DEFAULT_HIGH
    low: float = tiers.DEFAULT_LOW
    low_at_most: float | None = None
    high_above: float | None = None


@dataclass(frozen=True)
class Diagnosis:
    headcount: int
    output_per_head: output.OutputPerHead
    zero_share: float
    below_500_share: float
    buckets: list[distribution.Bucket]
    histogram: distribution.Histogram
    lorenz: distribution.Lorenz
    gini: float
    trend: output.MonthlyTrend  # with big deals
    trend_excluding_big_deals: output.MonthlyTrend
    tiers: NDArray[np.int8]  # per counted manager, in input order of those counted
    period_output: NDArray[np.float64]  # per counted manager: excluding big deals, the tiers' measure
    counted: NDArray[np.bool_]  # (N,): who is counted (employed at least one month)
    tier_bottlenecks: list[bottlenecks.TierBottlenecks]
    tier_profiles: list[bottlenecks.TierProfile]
    correlations: list[correlation.Correlation]
    regression: correlation.Regression | None


def diagnose(total: ArrayLike, big_deals: ArrayLike, employed: ArrayLike, levels: ArrayLike,
             codes: Sequence[str], *, tenure: ArrayLike | None = None,
             requirement: ArrayLike | None = None, tier_settings: TierSettings | None = None,
             bucket_edges: Sequence[float] = distribution.DEFAULT_BUCKET_EDGES,
             histogram_bins: int = 20, trim: float = output.DEFAULT_TRIM,
             regression: bool = True, tick: Callable[[], None] | None = None) -> Diagnosis:
    """`tick()`, when given, is called between the steps: a caller running this as a job
    beats its heartbeat there, so a long computation is not taken for a dead worker."""
    beat = tick or _no_tick
    settings = tier_settings or TierSettings()
    all_output, mask = output.as_matrices(total, employed)
    big, _ = output.as_matrices(big_deals, employed)
    x = np.asarray(levels, dtype=np.float64)
    if x.ndim != 2 or x.shape[0] != mask.shape[0]:
        raise AnalyticsInputError(f"levels {x.shape} must have one row per manager ({mask.shape[0]})")
    counted: NDArray[np.bool_] = np.asarray(mask.any(axis=1))
    without_big = all_output - big
    period = output.period_output(without_big[counted], mask[counted])
    if settings.low_at_most is not None and settings.high_above is not None:
        tier_of = tiers.tiers_by_threshold(period, settings.low_at_most, settings.high_above)
    else:
        tier_of = tiers.tiers_by_quantile(period, settings.high, settings.low)
    rated = x[counted]
    years = None if tenure is None else np.asarray(tenure, dtype=np.float64)[counted]
    req = requirement
    if requirement is not None and np.ndim(requirement) == 2:
        req = np.asarray(requirement, dtype=np.float64)[counted]
    beat()
    per_head = output.OutputPerHead(
        output.per_head(output.period_output(all_output[counted], mask[counted]), trim),
        output.per_head(period, trim))
    beat()
    zero_share = distribution.zero_share(period)
    below_500_share = distribution.below_share(period, 500.0)
    buckets = distribution.buckets(period, bucket_edges)
    histogram = _histogram(period, histogram_bins)
    beat()
    lorenz = distribution.lorenz(period)
    gini = distribution.gini(period)
    beat()
    trend = output.monthly_trend(all_output, mask)
    trend_excluding_big_deals = output.monthly_trend(without_big, mask)
    beat()
    tier_bottlenecks = bottlenecks.tier_bottlenecks(rated, tier_of, codes, req)
    beat()
    tier_profiles = bottlenecks.tier_profiles(rated, tier_of)
    beat()
    correlations = correlation.skill_correlations(rated, period, codes, years)
    beat()
    fitted = correlation.output_regression(rated, period, codes, years) if regression else None
    return Diagnosis(
        headcount=int(counted.sum()),
        output_per_head=per_head,
        zero_share=zero_share,
        below_500_share=below_500_share,
        buckets=buckets,
        histogram=histogram,
        lorenz=lorenz,
        gini=gini,
        trend=trend,
        trend_excluding_big_deals=trend_excluding_big_deals,
        tiers=tier_of,
        period_output=period,
        counted=counted,
        tier_bottlenecks=tier_bottlenecks,
        tier_profiles=tier_profiles,
        correlations=correlations,
        regression=fitted,
    )


def _no_tick() -> None:
    pass


HISTOGRAM_UP_TO_QUANTILE = 0.95


def _histogram(period: NDArray[np.float64], bins: int) -> distribution.Histogram:
    """Over round edges (distribution.nice_edges, at most `bins` bins) covering
    [min(0, min x), the 95th percentile], or [min x, max x] when that is empty; `bins` equal
    bins around the value when all are equal (or there are none)."""
    if period.size == 0:
        return distribution.histogram(period, bins)
    lo, hi = min(0.0, float(period.min())), float(np.quantile(period, HISTOGRAM_UP_TO_QUANTILE))
    if not hi > lo:
        lo, hi = float(period.min()), float(period.max())
    if not hi > lo or bins < 2:
        return distribution.histogram(period, bins)
    return distribution.histogram_on(period, distribution.nice_edges(lo, hi, bins))


@dataclass(frozen=True)
class SmallSample:
    """Below these counts the diagnosis's statistics say little, and the pages say so.

    With 30 people a Spearman rho of 0.3 has a 95% interval of about −0.08 to 0.60 (Fisher z,
    Bonett–Wright: ±1.96 · sqrt(1.06 / 27)); against a large tier above, a tier of 9 has a
    standardised gap whose interval is about ±0.65 (±1.96 · sqrt(1/9)), well over a standard
    deviation wide. One place for both thresholds: the
    findings' wording (performance/findings.py) and the pages' cautions read them here."""

    headcount: int = 30  # managers counted in the diagnosis
    tier: int = 10  # people in one tier


SMALL_SAMPLE = SmallSample()


@dataclass(frozen=True)
class Caution:
    headcount: int
    small_unit: bool  # fewer managers counted than SmallSample.headcount
    small_tiers: dict[str, int]  # tier code -> its count, for each tier with 0 < count < SmallSample.tier
    limits: SmallSample

    def tentative(self, tier: str) -> bool:
        """Whether a finding about `tier` must not sound sure."""
        return self.small_unit or tier in self.small_tiers

    @property
    def any(self) -> bool:
        return self.small_unit or bool(self.small_tiers)


def small_sample_caution(headcount: int, tier_counts: dict[str, int],
                         limits: SmallSample | None = None) -> Caution:
    """Which of a diagnosis's figures rest on too few people (`limits`): the whole unit when
    under `limits.headcount` managers are counted, and each tier of under `limits.tier`
    people (an empty tier has no figure to doubt and is left out)."""
    limits = limits or SMALL_SAMPLE
    if headcount < 0 or any(count < 0 for count in tier_counts.values()):
        raise ValueError("counts cannot be negative")
    small = {tier: count for tier, count in tier_counts.items() if 0 < count < limits.tier}
    return Caution(headcount, headcount < limits.headcount, small, limits)
