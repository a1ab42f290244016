"""Simulations with a known truth, over many seeds: the 95 % intervals cover the true
value about 95 % of the time, and a planted bottleneck is ranked first in most runs.

Bounds: with R replicates the share covering has a binomial sd of √(0.95 · 0.05 / R);
the bounds are about 3 sd around 0.95, so a correct interval fails them about 3 times in
1,000 seeds, and every seed is fixed, so the test is deterministic.
"""

import math

import numpy as np
import pytest

from casspath.analytics.bottlenecks import tier_bottlenecks, versus_group
from casspath.analytics.correlation import skill_correlations
from casspath.analytics.tiers import Tier, tiers_by_quantile

REPLICATES = 500
LOW_BOUND, HIGH_BOUND = 0.92, 0.98


def spearman_of_normal(rho):
    """Spearman's rho of a bivariate normal with Pearson's rho: (6 / π) asin(rho / 2)."""
    return 6 / math.pi * math.asin(rho / 2)


@pytest.mark.parametrize(("rho", "n"), [(0.35, 120), (0.0, 60), (0.6, 300)])
def test_it_covers_the_true_spearman_rho_95_percent_of_the_time(rho, n):
    truth = spearman_of_normal(rho)
    covered = 0
    for seed in range(REPLICATES):
        rng = np.random.default_rng([1, seed])
        skill = rng.normal(size=n)
        output = rho * skill + math.sqrt(1 - rho * rho) * rng.normal(size=n)
        row = skill_correlations(skill[:, None], np.exp(output), ["D01"])[0]  # monotone: same rho
        covered += row.ci_low <= truth <= row.ci_high
    assert LOW_BOUND <= covered / REPLICATES <= HIGH_BOUND


@pytest.mark.parametrize(("delta", "n1", "n2"), [(0.5, 30, 50), (0.0, 20, 20), (1.0, 120, 200)])
def test_it_covers_the_true_standardised_difference_95_percent_of_the_time(delta, n1, n2):
    covered = 0
    for seed in range(REPLICATES):
        rng = np.random.default_rng([2, seed])
        tier = rng.normal(3 - delta, 1, (n1, 1))
        above = rng.normal(3, 1, (n2, 1))
        gap = versus_group(tier, above, ["D01"])[0]
        covered += gap.ci_low <= delta <= gap.ci_high
    assert LOW_BOUND <= covered / REPLICATES <= HIGH_BOUND


CODES = [f"D{d:02d}" for d in range(1, 19)]
PLANTED = {Tier.LOW: {"D01", "D03"}, Tier.MIDDLE: {"D05", "D06"}, Tier.HIGH: {"D09"}}


REQUIREMENT = 3.8  # about the high tier's mean level once rounded to 1–5


def planted_world(seed, n=500, shortfall=0.5):
    """Levels 1–5 rounded from N(3, 0.9), the high tier 1 sd better on every dimension and
    about at the requirement; each tier `shortfall` sd lower on its planted dimensions (the
    low and middle tiers than the tier above, the high tier than the requirement)."""
    rng = np.random.default_rng([3, seed])
    output = np.where(rng.random(n) < 0.18, 0.0, rng.lognormal(6, 1.2, n))
    tiers = tiers_by_quantile(output)
    latent = rng.normal(3.0, 0.9, (n, 18))
    latent[tiers == Tier.HIGH] += 0.9
    for tier, codes in PLANTED.items():
        for code in codes:
            latent[tiers == tier, CODES.index(code)] -= shortfall * 0.9
    levels = np.clip(np.round(latent), 1, 5)
    levels[rng.random((n, 18)) < 0.05] = np.nan  # a few unrated
    return levels, tiers


def test_it_ranks_a_planted_bottleneck_first_for_each_tier_in_most_seeds():
    seeds = 40
    first = {tier: 0 for tier in Tier}
    for seed in range(seeds):
        levels, tiers = planted_world(seed)
        for result in tier_bottlenecks(levels, tiers, CODES, requirement=np.full(18, REQUIREMENT)):
            first[result.tier] += result.ranking[0].dimension in PLANTED[result.tier]
    assert all(count >= 0.9 * seeds for count in first.values()), first


def test_it_finds_no_bottleneck_reliably_where_none_was_planted():
    """Null world: the ranking's first dimension is spread over the dimensions, not fixed."""
    firsts = set()
    for seed in range(20):
        rng = np.random.default_rng([4, seed])
        levels = np.clip(np.round(rng.normal(3, 0.9, (300, 18))), 1, 5)
        tiers = tiers_by_quantile(rng.lognormal(6, 1, 300))
        firsts.add(tier_bottlenecks(levels, tiers, CODES)[2].ranking[0].dimension)
    assert len(firsts) >= 8
