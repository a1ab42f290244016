"""Tier bottlenecks: Hedges' g and d_z against hand formulas over the statistics module."""

import math
import statistics

import numpy as np
import pytest

from casspath.analytics.bottlenecks import tier_bottlenecks, versus_group, versus_requirement
from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.tiers import Tier

Z = 1.959963984540054
CODES = ["D01", "D02", "D03"]


def hand_hedges(tier, reference):
    n1, n2 = len(tier), len(reference)
    pooled = math.sqrt(((n1 - 1) * statistics.variance(tier) + (n2 - 1) * statistics.variance(reference))
                       / (n1 + n2 - 2))
    g = (1 - 3 / (4 * (n1 + n2) - 9)) * (statistics.fmean(reference) - statistics.fmean(tier)) / pooled
    se = math.sqrt((n1 + n2) / (n1 * n2) + g * g / (2 * (n1 + n2)))
    return g, g - Z * se, g + Z * se


def hand_dz(gaps):
    n = len(gaps)
    g = (1 - 3 / (4 * (n - 1) - 1)) * statistics.fmean(gaps) / statistics.stdev(gaps)
    se = math.sqrt(1 / n + g * g / (2 * n))
    return g, g - Z * se, g + Z * se


@pytest.fixture
def world():
    rng = np.random.default_rng(9)
    tiers = np.array([Tier.LOW] * 30 + [Tier.MIDDLE] * 50 + [Tier.HIGH] * 20, dtype=np.int8)
    levels = np.round(rng.normal(3, 0.8, (100, 3)), 0)
    levels[tiers == Tier.LOW, 0] -= 1  # low short on D01 against the middle
    levels[tiers == Tier.MIDDLE, 2] -= 1  # middle short on D03 against the high
    levels[rng.random((100, 3)) < 0.1] = np.nan
    requirement = np.full((100, 3), 3.0)
    requirement[:, 1] = 4.0  # the high tier's requirement is above it on D02
    requirement[::7, 1] = np.nan  # some have no requirement there
    return levels, tiers, requirement


def present(values):
    return [v for v in values.tolist() if not np.isnan(v)]


def test_it_gives_hedges_g_with_its_interval_against_the_tier_above(world):
    levels, tiers, _ = world
    low, middle = levels[tiers == Tier.LOW], levels[tiers == Tier.MIDDLE]
    for d, gap in enumerate(versus_group(low, middle, CODES)):
        g, ci_low, ci_high = hand_hedges(present(low[:, d]), present(middle[:, d]))
        assert (gap.dimension, gap.n, gap.reference_n) == (CODES[d], len(present(low[:, d])),
                                                          len(present(middle[:, d])))
        assert (gap.effect, gap.ci_low, gap.ci_high) == pytest.approx((g, ci_low, ci_high), rel=1e-12)
        assert gap.mean_gap == pytest.approx(gap.reference_mean - gap.mean, abs=1e-12)


def test_it_gives_the_standardised_gap_to_the_requirement(world):
    levels, tiers, requirement = world
    high = tiers == Tier.HIGH
    for d, gap in enumerate(versus_requirement(levels[high], requirement[high], CODES)):
        pairs = [(r, v) for r, v in zip(requirement[high, d], levels[high, d], strict=True)
                 if not (np.isnan(r) or np.isnan(v))]
        gaps = [r - v for r, v in pairs]
        assert gap.n == len(gaps)
        assert gap.mean_gap == pytest.approx(statistics.fmean(gaps), abs=1e-12)
        assert gap.reference_mean == pytest.approx(statistics.fmean(r for r, _ in pairs), abs=1e-12)
        assert (gap.effect, gap.ci_low, gap.ci_high) == pytest.approx(hand_dz(gaps), rel=1e-12)


def test_it_ranks_the_planted_shortfalls_first(world):
    levels, tiers, requirement = world
    high, middle, low = tier_bottlenecks(levels, tiers, CODES, requirement)
    assert [(t.tier, t.count, t.reference) for t in (high, middle, low)] == [
        (Tier.HIGH, 20, "requirement"), (Tier.MIDDLE, 50, "tier_above"), (Tier.LOW, 30, "tier_above")]
    assert low.bottlenecks[0] == "D01"
    assert middle.bottlenecks[0] == "D03"
    assert high.bottlenecks[0] == "D02"
    for tier in (high, middle, low):
        effects = [gap.effect for gap in tier.ranking]
        assert effects == sorted(effects, reverse=True)
        assert tier.bottlenecks == [gap.dimension for gap in tier.ranking if gap.effect > 0]
        assert tier.versus_requirement is not None
        assert [gap.dimension for gap in tier.versus_requirement] == CODES


def test_it_takes_one_requirement_for_everyone(world):
    levels, tiers, _ = world
    one = tier_bottlenecks(levels, tiers, CODES, np.array([3.0, 4.0, 3.0]))
    full = tier_bottlenecks(levels, tiers, CODES, np.tile([3.0, 4.0, 3.0], (100, 1)))
    assert one[0].ranking == full[0].ranking


def test_it_has_no_reference_for_the_high_tier_without_requirements(world):
    levels, tiers, _ = world
    high = tier_bottlenecks(levels, tiers, CODES)[0]
    assert high.reference == "none" and high.bottlenecks == [] and high.versus_requirement is None


def test_it_ranks_nan_effects_last_for_constant_unrated_and_empty_tiers(world):
    levels, tiers, _ = world
    levels = levels.copy()
    levels[:, 0] = 3.0  # constant: pooled sd 0
    levels[:, 1] = np.nan  # nobody rated
    middle = tier_bottlenecks(levels, tiers, CODES)[1]
    assert [gap.dimension for gap in middle.ranking] == ["D03", "D01", "D02"]
    assert np.isnan(middle.ranking[1].effect) and np.isnan(middle.ranking[2].effect)
    assert middle.ranking[2].n == 0
    # No high tier at all (everyone tied at the top): the middle has no reference to compare.
    nobody_high = tier_bottlenecks(levels, np.where(tiers == Tier.HIGH, Tier.MIDDLE, tiers), CODES)
    assert nobody_high[0].count == 0 and nobody_high[1].bottlenecks == []


def test_it_gives_nan_for_a_tier_of_one(world):
    levels, tiers, _ = world
    gap = versus_group(levels[:1], levels[tiers == Tier.MIDDLE], CODES)[0]
    assert np.isnan([gap.effect, gap.ci_low, gap.ci_high]).all()
    assert gap.n == 1 and not np.isnan(gap.mean_gap)


def test_it_gives_nan_when_everyone_is_equally_short_of_the_requirement():
    gap = versus_requirement(np.full((5, 1), 3.0), np.full((5, 1), 4.0), ["D01"])[0]
    assert gap.mean_gap == 1.0 and np.isnan(gap.effect)


def test_it_refuses_shapes_that_disagree(world):
    levels, tiers, requirement = world
    with pytest.raises(AnalyticsInputError):
        tier_bottlenecks(levels, tiers[:-1], CODES)
    with pytest.raises(AnalyticsInputError):
        tier_bottlenecks(levels, tiers, CODES[:2])
    with pytest.raises(AnalyticsInputError):
        tier_bottlenecks(levels, tiers, CODES, requirement[:5])
    with pytest.raises(AnalyticsInputError):
        tier_bottlenecks(levels, tiers, CODES, np.array([3.0, 4.0]))


def test_it_leads_with_the_sure_shortfalls_near_the_first():
    from casspath.analytics.bottlenecks import Gap, leading

    def gap(code, effect, ci_low):
        return Gap(code, 50, 3.0, 50, 3.5, 0.5, effect, ci_low, effect + 0.3)

    ranking = [gap("D01", 0.9, 0.5), gap("D03", 0.7, 0.3), gap("D02", 0.5, 0.1), gap("D04", 0.65, -0.1),
               gap("D05", float("nan"), float("nan"))]
    # D02 is sure but under 2/3 of the first (0.6); D04's interval reaches below zero.
    assert [g.dimension for g in leading(ranking)] == ["D01", "D03"]
    assert leading([gap("D01", 0.2, -0.1)]) == []
    many = [gap(f"D{i:02d}", 0.9, 0.5) for i in range(1, 6)]
    assert len(leading(many)) == 3
