"""Shares, buckets, histogram, Lorenz curve and Gini against loops and hand computation."""

import bisect
import itertools

import numpy as np
import pytest

from casspath.analytics.distribution import (
    below_share,
    buckets,
    gini,
    histogram,
    histogram_on,
    lorenz,
    nice_edges,
    zero_share,
)
from casspath.analytics.errors import AnalyticsInputError


@pytest.fixture
def period():
    rng = np.random.default_rng(11)
    values = np.round(rng.lognormal(5.5, 1.8, 300), 2)
    values[rng.random(300) < 0.18] = 0.0
    values[:3] = np.nan  # never employed: not counted
    values[3] = 500.0  # on the edge: not below 500
    return values


def counted(values):
    return [v for v in values.tolist() if not np.isnan(v)]


def test_it_counts_shares_of_managers_at_zero_and_below_500(period):
    values = counted(period)
    assert zero_share(period) == pytest.approx(sum(v == 0 for v in values) / len(values), abs=1e-15)
    assert below_share(period, 500) == pytest.approx(sum(v < 500 for v in values) / len(values), abs=1e-15)


def test_it_gives_nan_shares_for_nobody():
    assert np.isnan(zero_share(np.array([np.nan]))) and np.isnan(below_share(np.array([])))


def test_it_buckets_like_bisect(period):
    edges = [0.0, 500.0, 2000.0, 10_000.0]
    values = counted(period)
    expected = [0] * (len(edges) + 1)
    for v in values:
        expected[bisect.bisect_right(edges, v)] += 1
    result = buckets(period, edges)
    assert [b.count for b in result] == expected
    assert [b.share for b in result] == pytest.approx([c / len(values) for c in expected], abs=1e-15)
    assert (result[0].lower, result[0].upper) == (None, 0.0)
    assert (result[-1].lower, result[-1].upper) == (10_000.0, None)


def test_it_puts_a_value_on_an_edge_into_the_bucket_the_edge_opens():
    assert [b.count for b in buckets(np.array([500.0]), [0.0, 500.0])] == [0, 0, 1]


@pytest.mark.parametrize("edges", [[], [1.0, 1.0], [2.0, 1.0], [0.0, np.inf]])
def test_it_refuses_edges_that_do_not_increase(edges):
    with pytest.raises(AnalyticsInputError):
        buckets(np.array([1.0]), edges)


def test_it_bins_a_histogram_like_a_loop(period):
    values = counted(period)
    result = histogram(period, bins=7, value_range=(0.0, 3000.0))
    width = 3000.0 / 7
    expected = [0] * 7
    for v in values:
        if 0 <= v <= 3000:
            expected[min(int(v // width), 6)] += 1
    assert result.counts.tolist() == expected
    assert result.above == sum(v > 3000 for v in values) and result.below == 0
    assert result.edges.tolist() == pytest.approx([i * width for i in range(8)])


def test_it_puts_equal_values_into_one_bin():
    result = histogram(np.array([3.0, 3.0]), bins=4)
    assert result.counts.sum() == 2 and result.below == result.above == 0


def test_it_bins_a_histogram_on_given_edges_like_a_loop(period):
    values = counted(period)
    edges = [0.0, 500.0, 1000.0, 2000.0]
    result = histogram_on(period, edges)
    expected = [sum(lo <= v < hi or (hi == 2000.0 and v == 2000.0) for v in values)
                for lo, hi in itertools.pairwise(edges)]
    assert result.counts.tolist() == expected and result.counts[1] >= 1  # 500 opens the second bin
    assert result.above == sum(v > 2000 for v in values) and result.below == 0
    assert histogram_on(np.array([-1.0, 0.0, 2.0, 3.0]), [0.0, 1.0, 2.0]).counts.tolist() == [1, 1]


@pytest.mark.parametrize("edges", [[1.0], [0.0, 0.0, 1.0], [0.0, np.inf]])
def test_it_refuses_histogram_edges_that_are_too_few_or_do_not_increase(edges):
    with pytest.raises(AnalyticsInputError):
        histogram_on(np.array([1.0]), edges)


# By hand from nice_edges's rule: raw = (hi − lo) / bins, the next step up the 1-2-5 series,
# then floor(lo / s) · s to ceil(hi / s) · s.
@pytest.mark.parametrize(("lo", "hi", "bins", "expected"), [
    (0.0, 1867.0, 20, [100.0 * k for k in range(20)]),  # raw 93.35 → 100; ⌈18.67⌉ = 19 bins
    (0.0, 1000.0, 20, [50.0 * k for k in range(21)]),  # raw 50 is a step; 1000 is an edge
    (0.0, 1001.0, 20, [100.0 * k for k in range(12)]),  # raw 50.05 → 100: 0 … 1100
    (-130.0, 4210.0, 10, [500.0 * k for k in range(-1, 10)]),  # raw 434 → 500: −500 … 4500
    (-0.5, 19.5, 20, [2.0 * k for k in range(-1, 11)]),  # step 1 needs 21 bins (−1 … 20): → 2
    (0.0, 0.7, 5, [0.0, 0.2, 0.4, 0.6, 0.8]),  # raw 0.14 → 0.2, with no 0.6000000000000001
    (2.0, 3.0, 2, [2.0, 2.5, 3.0]),
    (-3000.0, -1200.0, 4, [-3000.0, -2500.0, -2000.0, -1500.0, -1000.0]),  # raw 450 → 500
])
def test_it_rounds_histogram_edges_as_computed_by_hand(lo, hi, bins, expected):
    assert nice_edges(lo, hi, bins).tolist() == expected


def series_steps():
    """The 1-2-5 series from 10⁻³ to 10⁷, ascending."""
    return [m * 10.0 ** k for k in range(-3, 8) for m in (1, 2, 5)]


def test_it_takes_the_smallest_round_step_that_covers_the_range():
    rng = np.random.default_rng(5)
    steps = series_steps()
    for _ in range(300):
        lo = float(rng.choice([0.0, -rng.uniform(0, 500)]))
        hi = lo + float(rng.lognormal(6, 2))
        bins = int(rng.integers(2, 30))
        edges = nice_edges(lo, hi, bins)
        step = float(edges[1] - edges[0])
        index = min(range(len(steps)), key=lambda i: abs(steps[i] - step))
        assert step == pytest.approx(steps[index], rel=1e-9)
        assert np.allclose(np.diff(edges), step, rtol=1e-9)
        assert edges[0] <= lo and hi <= edges[-1] < hi + step and len(edges) - 1 <= bins
        assert (lo != 0.0) or edges[0] == 0.0
        smaller = steps[index - 1]  # breaks one of the rule's two conditions
        assert (smaller * bins < hi - lo
                or np.ceil(hi / smaller) - np.floor(lo / smaller) > bins)


@pytest.mark.parametrize(("lo", "hi", "bins"), [(1.0, 1.0, 10), (2.0, 1.0, 10), (0.0, np.nan, 10),
                                                (0.0, np.inf, 10), (0.0, 10.0, 1)])
def test_it_refuses_round_edges_without_a_range_or_with_one_bin(lo, hi, bins):
    with pytest.raises(AnalyticsInputError):
        nice_edges(lo, hi, bins)


def loop_gini(values):
    """Mean absolute difference over all ordered pairs / (2 · mean)."""
    n = len(values)
    mean = sum(values) / n
    return sum(abs(a - b) for a, b in itertools.product(values, repeat=2)) / (2 * n * n * mean)


def test_it_computes_gini_as_the_mean_absolute_difference(period):
    values = counted(period)
    assert gini(period) == pytest.approx(loop_gini(values), rel=1e-10)


@pytest.mark.parametrize(("values", "expected"), [
    ([5.0, 5.0, 5.0], 0.0),
    ([0.0, 0.0, 0.0, 10.0], 0.75),  # one holds everything: 1 − 1/n
    ([1.0, 2.0, 3.0, 4.0], 0.25),  # Σ|xi − xj| = 20 over 2 · 16 · 2.5
    ([42.0], 0.0),
])
def test_it_gives_hand_computed_ginis(values, expected):
    assert gini(np.array(values)) == pytest.approx(expected, abs=1e-12)


def test_it_gives_nan_gini_and_lorenz_when_everyone_is_at_zero():
    assert np.isnan(gini(np.zeros(5)))
    assert np.isnan(lorenz(np.zeros(5)).output).all()
    assert np.isnan(gini(np.array([np.nan])))


def test_it_counts_negative_output_as_zero_in_gini_and_lorenz():
    assert gini(np.array([-100.0, 0.0, 0.0, 10.0])) == pytest.approx(0.75)
    assert lorenz(np.array([-5.0, 5.0]), points=None).output.tolist() == [0.0, 0.0, 1.0]


def test_it_draws_the_lorenz_curve_through_the_cumulative_shares(period):
    values = sorted(max(v, 0.0) for v in counted(period))
    total = sum(values)
    expected = [0.0] + [s / total for s in itertools.accumulate(values)]
    curve = lorenz(period, points=None)
    assert curve.people.tolist() == pytest.approx([k / len(values) for k in range(len(values) + 1)])
    assert curve.output.tolist() == pytest.approx(expected, abs=1e-12)
    # Gini is 1 − 2 × the trapezoid area under the curve.
    area = sum((a + b) / 2 / len(values) for a, b in itertools.pairwise(expected))
    assert gini(period) == pytest.approx(1 - 2 * area, abs=1e-12)


def test_it_reads_the_lorenz_curve_at_evenly_spaced_shares_for_a_chart():
    curve = lorenz(np.array([1.0, 1.0, 2.0, 4.0]), points=5)
    assert curve.people.tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    assert curve.output.tolist() == pytest.approx([0.0, 0.125, 0.25, 0.5, 1.0])
