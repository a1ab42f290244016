"""The whole diagnosis: its parts agree with the functions they come from, on the
managers counted, and degenerate org units give NaN figures, not a crash."""

import numpy as np
import pytest

from casspath.analytics.diagnosis import TierSettings, diagnose
from casspath.analytics.distribution import gini, nice_edges
from casspath.analytics.output import period_output
from casspath.analytics.tiers import Tier, tiers_by_quantile

CODES = ["D01", "D02", "D03"]


@pytest.fixture
def world():
    rng = np.random.default_rng(21)
    n, m = 80, 6
    total = np.where(rng.random((n, m)) < 0.3, 0.0, np.round(rng.lognormal(6, 1.3, (n, m)), 2))
    big = np.where(rng.random((n, m)) < 0.03, total, 0.0)
    total[big > 0] += 60_000.0
    big[big > 0] += 60_000.0
    employed = rng.random((n, m)) < 0.9
    employed[:2] = False  # two never employed in the period
    levels = np.clip(np.round(rng.normal(3, 1, (n, 3))), 1, 5)
    return total, big, employed, levels, rng.uniform(0, 10, n)


def test_it_counts_only_managers_employed_in_the_period(world):
    total, big, employed, levels, tenure = world
    result = diagnose(total, big, employed, levels, CODES, tenure=tenure, requirement=np.full(3, 4.0))
    assert result.headcount == 78 == result.output_per_head.headcount == result.tiers.size
    assert result.counted[:2].tolist() == [False, False]
    period = period_output(total - big, employed)[2:]
    assert result.output_per_head.excluding_big_deals.mean == pytest.approx(period.mean())
    assert result.output_per_head.all.mean == pytest.approx(period_output(total, employed)[2:].mean())
    assert result.output_per_head.all.mean > result.output_per_head.excluding_big_deals.mean
    assert result.gini == pytest.approx(gini(period))
    assert result.tiers.tolist() == tiers_by_quantile(period).tolist()
    assert sum(b.count for b in result.buckets) == 78
    assert [c.dimension for c in result.correlations] == CODES
    assert result.correlations[0].n == 78 and result.correlations[0].partial_n == 78
    assert result.regression is not None and result.regression.n == 78
    assert [t.tier for t in result.tier_bottlenecks] == [Tier.HIGH, Tier.MIDDLE, Tier.LOW]
    assert result.trend.headcount.tolist() == employed.sum(axis=0).tolist()


def test_it_cuts_tiers_by_thresholds_when_given(world):
    total, big, employed, levels, _ = world
    result = diagnose(total, big, employed, levels, CODES,
                      tier_settings=TierSettings(low_at_most=0.0, high_above=2000.0), regression=False)
    period = period_output(total - big, employed)[2:]
    assert (result.tiers == Tier.LOW).sum() == (period <= 0).sum()
    assert (result.tiers == Tier.HIGH).sum() == (period > 2000).sum()
    assert result.regression is None


def test_it_diagnoses_an_org_where_everyone_is_at_zero(world):
    _, _, employed, levels, tenure = world
    zeros = np.zeros(employed.shape)
    result = diagnose(zeros, zeros, employed, levels, CODES, tenure=tenure)
    assert result.zero_share == 1.0 and result.below_500_share == 1.0
    assert np.isnan(result.gini)
    assert (result.tiers == Tier.LOW).all()
    assert all(np.isnan(c.rho) for c in result.correlations)
    assert all(t.bottlenecks == [] for t in result.tier_bottlenecks)
    assert result.regression is not None and np.isnan([t.coef for t in result.regression.terms]).all()


def test_it_diagnoses_one_person():
    result = diagnose(np.array([[100.0, 300.0]]), np.zeros((1, 2)), np.ones((1, 2), dtype=bool),
                      np.array([[3.0, np.nan, 4.0]]), CODES, tenure=np.array([2.0]))
    assert result.headcount == 1 and result.output_per_head.all.median == 200.0
    assert result.gini == 0.0 and result.tiers.tolist() == [Tier.MIDDLE]
    assert all(np.isnan(c.rho) and np.isnan(c.ci_low) for c in result.correlations)
    assert result.regression is not None and np.isnan(result.regression.r_squared)


def test_it_diagnoses_nobody():
    result = diagnose(np.zeros((3, 2)), np.zeros((3, 2)), np.zeros((3, 2), dtype=bool),
                      np.full((3, 3), np.nan), CODES)
    assert result.headcount == 0 and np.isnan(result.output_per_head.all.mean)
    assert np.isnan(result.zero_share) and np.isnan(result.gini)
    assert np.isnan(result.trend.per_head).all()


def test_it_bins_the_histogram_on_round_edges_up_to_the_95th_percentile(world):
    total, big, employed, levels, _ = world
    result = diagnose(total, big, employed, levels, CODES, regression=False)
    period = period_output(total - big, employed)[2:]
    edges = result.histogram.edges
    top = np.quantile(period, 0.95)
    assert edges.tolist() == nice_edges(0.0, top, 20).tolist()
    # The top edge is the first multiple of the round step at or above the 95th percentile.
    step = edges[1] - edges[0]
    assert edges[0] == 0.0 and top <= edges[-1] < top + step and len(edges) - 1 <= 20
    assert result.histogram.above == int((period > edges[-1]).sum()) > 0
    assert int(result.histogram.counts.sum()) + result.histogram.above == 78
    assert result.period_output.tolist() == period.tolist()


def test_it_profiles_each_tier_on_each_dimension(world):
    total, big, employed, levels, _ = world
    levels = levels.copy()
    levels[:, 2] = np.nan  # nobody rated on D03
    result = diagnose(total, big, employed, levels, CODES, regression=False)
    rated = levels[2:]
    for profile in result.tier_profiles:
        members = result.tiers == profile.tier
        assert profile.n.tolist() == [int(members.sum())] * 2 + [0]
        assert profile.mean[:2] == pytest.approx(rated[members, :2].mean(axis=0))
        assert np.isnan(profile.mean[2])
