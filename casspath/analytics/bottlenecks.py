"""Bottlenecks (短板, 卡点) of each tier: the dimensions where it falls furthest short of its
reference profile (CONTRACTS.md): the tier above for the low and middle tiers, the
effective requirement for the high tier.

Inputs over n managers and D dimensions:
- `levels`: float (n, D), current level per dimension, NaN where not rated;
- `tiers`: int (n,), analytics.tiers.Tier per manager;
- `codes`: the D dimension codes;
- `requirement`: float (n, D) each manager's effective requirement level
  (analytics.requirements.effective), or (D,) one for all, NaN where none; optional.
Each dimension uses the managers rated on it (and, against the requirement, who have one).

Standardised shortfall, positive when the tier is below its reference:
- against the tier above, Hedges' g: with the tier's n₁, mean m₁, variance s₁² and the tier
  above's n₂, m₂, s₂², s_p = √(((n₁ − 1)s₁² + (n₂ − 1)s₂²) / (n₁ + n₂ − 2)),
  g = J · (m₂ − m₁) / s_p, J = 1 − 3 / (4(n₁ + n₂) − 9);
  SE ≈ √((n₁ + n₂) / (n₁ n₂) + g² / (2(n₁ + n₂))) (Hedges & Olkin), CI g ± z · SE.
  NaN when a side has fewer than 2 rated or s_p = 0.
- against the requirement, on the gaps g_i = requirement_i − level_i of the tier's n managers:
  g = J · mean(g_i) / sd(g_i), J = 1 − 3 / (4(n − 1) − 1) (the one-sample d_z with Hedges'
  correction); SE ≈ √(1 / n + g² / (2n)); NaN for n < 2 or sd = 0 (everyone equally short:
  `mean_gap` still says by how much).
Ranking: by g descending, NaN last, ties in the order of `codes`. A tier's `bottlenecks` are
the ranked dimensions with g > 0 (best first: the largest shortfall first).

A tier's profile (the heat map of tiers × dimensions): per dimension, the count and the mean
level of the tier's managers rated on it (NaN when none is).

The leading bottlenecks (what a finding names): the ranked dimensions whose interval lies
above zero (ci_low > 0) and whose g is at least LEADING_SHARE of the first one's, at most
LEADING_AT_MOST of them. Several dimensions planted at equal strength come out together; a
dimension far behind the first is a lesser gap, not what holds the tier back.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import ArrayLike, NDArray

from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.tiers import Tier


@dataclass(frozen=True)
class Gap:
    """A tier's shortfall on one dimension against its reference.

    Against the tier above: n, mean are the tier's; reference_n, reference_mean the tier
    above's. Against the requirement: reference_mean is the mean requirement of the same
    n managers and mean_gap = mean(requirement − level)."""

    dimension: str
    n: int
    mean: float
    reference_n: int
    reference_mean: float
    mean_gap: float
    effect: float
    ci_low: float
    ci_high: float


@dataclass(frozen=True)
class TierBottlenecks:
    tier: Tier
    count: int
    reference: str  # "tier_above" | "requirement" | "none" (high tier without requirements)
    ranking: list[Gap]  # every dimension, largest shortfall first
    versus_requirement: list[Gap] | None  # every dimension in code order, when requirements are given

    @property
    def bottlenecks(self) -> list[str]:
        return [gap.dimension for gap in self.ranking if gap.effect > 0]


LEADING_SHARE = 2 / 3
LEADING_AT_MOST = 3


def leading(ranking: Sequence[Gap], share: float = LEADING_SHARE,
            at_most: int = LEADING_AT_MOST) -> list[Gap]:
    """The leading bottlenecks of a ranking (largest shortfall first), as the module says."""
    sure = [gap for gap in ranking if gap.ci_low > 0]  # NaN compares False: left out
    if not sure:
        return []
    first = sure[0].effect
    return [gap for gap in sure if gap.effect >= share * first][:at_most]


@dataclass(frozen=True)
class TierProfile:
    tier: Tier
    n: NDArray[np.int64]  # (D,) rated per dimension
    mean: NDArray[np.float64]  # (D,) mean level, NaN when nobody is rated


def tier_profiles(levels: ArrayLike, tiers: ArrayLike) -> list[TierProfile]:
    """Per tier, high first: each dimension's count rated and mean level."""
    x = np.asarray(levels, dtype=np.float64)
    t = np.asarray(tiers)
    if x.ndim != 2 or t.shape != (x.shape[0],):
        raise AnalyticsInputError(f"levels {x.shape} and tiers {t.shape} do not match")
    profiles = []
    for tier in (Tier.HIGH, Tier.MIDDLE, Tier.LOW):
        n, mean, _ = _moments(x[t == tier])
        profiles.append(TierProfile(tier, n.astype(np.int64), mean))
    return profiles


def _moments(x: NDArray[np.float64]) -> tuple[NDArray[np.int64], NDArray[np.float64], NDArray[np.float64]]:
    """Per column: count, mean and sample variance (ddof 1) of the non-NaN values."""
    present = ~np.isnan(x)
    n = present.sum(axis=0)
    filled = np.where(present, x, 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = filled.sum(axis=0) / n
        deviation = np.where(present, x - mean, 0.0)
        variance = (deviation * deviation).sum(axis=0) / (n - 1)
    return n, mean, np.where(n >= 2, variance, np.nan)


def _z(confidence: float) -> float:
    # Imported here: scipy.stats costs ~2 s of every process's start (each consumer, each
    # command), and only a diagnosis needs it.
    from scipy import stats

    return float(stats.norm.ppf(0.5 + confidence / 2.0))


def versus_group(tier_levels: NDArray[np.float64], reference_levels: NDArray[np.float64],
                 codes: Sequence[str], confidence: float = 0.95) -> list[Gap]:
    """Hedges' g of (reference − tier) per dimension, in code order."""
    n1, m1, v1 = _moments(tier_levels)
    n2, m2, v2 = _moments(reference_levels)
    total = n1 + n2
    with np.errstate(invalid="ignore", divide="ignore"):
        pooled = np.sqrt(((n1 - 1) * v1 + (n2 - 1) * v2) / (total - 2))
        j = 1.0 - 3.0 / (4.0 * total - 9.0)
        g = np.where((n1 >= 2) & (n2 >= 2) & (pooled > 0), j * (m2 - m1) / pooled, np.nan)
        se = np.sqrt(total / (n1 * n2) + g * g / (2.0 * total))
    z = _z(confidence)
    return [Gap(code, int(n1[d]), float(m1[d]), int(n2[d]), float(m2[d]), float(m2[d] - m1[d]),
                float(g[d]), float(g[d] - z * se[d]), float(g[d] + z * se[d]))
            for d, code in enumerate(codes)]


def versus_requirement(tier_levels: NDArray[np.float64], tier_requirement: NDArray[np.float64],
                       codes: Sequence[str], confidence: float = 0.95) -> list[Gap]:
    """Hedges-corrected d_z of the gaps requirement − level per dimension, in code order."""
    both = ~np.isnan(tier_levels) & ~np.isnan(tier_requirement)
    gaps = np.where(both, tier_requirement - tier_levels, np.nan)
    n, mean_gap, variance = _moments(gaps)
    _, mean_level, _ = _moments(np.where(both, tier_levels, np.nan))
    _, mean_required, _ = _moments(np.where(both, tier_requirement, np.nan))
    sd = np.sqrt(variance)
    with np.errstate(invalid="ignore", divide="ignore"):
        j = 1.0 - 3.0 / (4.0 * (n - 1) - 1.0)
        g = np.where((n >= 2) & (sd > 0), j * mean_gap / sd, np.nan)
        se = np.sqrt(1.0 / n + g * g / (2.0 * n))
    z = _z(confidence)
    return [Gap(code, int(n[d]), float(mean_level[d]), int(n[d]), float(mean_required[d]),
                float(mean_gap[d]), float(g[d]), float(g[d] - z * se[d]), float(g[d] + z * se[d]))
            for d, code in enumerate(codes)]


def rank(gaps: list[Gap]) -> list[Gap]:
    """Largest effect first, NaN last, ties in the given order."""
    keys = np.array([-gap.effect if not np.isnan(gap.effect) else np.inf for gap in gaps])
    return [gaps[i] for i in np.argsort(keys, kind="stable")]


def tier_bottlenecks(levels: ArrayLike, tiers: ArrayLike, codes: Sequence[str],
                     requirement: ArrayLike | None = None, confidence: float = 0.95) -> list[TierBottlenecks]:
    """One TierBottlenecks per tier, high first."""
    x = np.asarray(levels, dtype=np.float64)
    t = np.asarray(tiers)
    if x.ndim != 2 or x.shape[1] != len(codes) or t.shape != (x.shape[0],):
        raise AnalyticsInputError(f"levels {x.shape}, tiers {t.shape} and {len(codes)} codes do not match")
    if np.isinf(x).any():
        raise AnalyticsInputError("levels hold an infinite value")
    req = None
    if requirement is not None:
        req = np.asarray(requirement, dtype=np.float64)
        if req.shape == (x.shape[1],):
            req = np.broadcast_to(req, x.shape)
        if req.shape != x.shape:
            raise AnalyticsInputError(
                f"requirement {req.shape} must match levels {x.shape} or be one per dimension")
    result = []
    for tier in (Tier.HIGH, Tier.MIDDLE, Tier.LOW):
        members = t == tier
        against_requirement = (None if req is None
                               else versus_requirement(x[members], req[members], codes, confidence))
        above = tier.above
        if above is not None:
            reference, ranked = "tier_above", rank(versus_group(x[members], x[t == above], codes, confidence))
        elif against_requirement is not None:
            reference, ranked = "requirement", rank(against_requirement)
        else:
            nan = [Gap(code, 0, np.nan, 0, np.nan, np.nan, np.nan, np.nan, np.nan) for code in codes]
            reference, ranked = "none", nan
        result.append(TierBottlenecks(tier, int(members.sum()), reference, ranked, against_requirement))
    return result
