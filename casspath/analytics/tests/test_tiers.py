"""Tiers by quantile and threshold: hand cases, and the tie rule as a property."""

import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st

from casspath.analytics.errors import AnalyticsInputError
from casspath.analytics.tiers import Tier, tier_counts, tiers_by_quantile, tiers_by_threshold

H, M, L = Tier.HIGH, Tier.MIDDLE, Tier.LOW


def test_it_names_the_tiers_as_the_glossary_does():
    assert [t.code for t in Tier] == ["low", "middle", "high"]
    assert (Tier.LOW.above, Tier.MIDDLE.above, Tier.HIGH.above) == (Tier.MIDDLE, Tier.HIGH, None)


def test_it_cuts_distinct_values_at_exactly_20_and_30_percent():
    values = np.arange(10, dtype=float)[::-1]  # 9 … 0
    assert tiers_by_quantile(values).tolist() == [H, H, M, M, M, M, M, L, L, L]


def test_it_sends_ties_at_the_high_cut_off_to_the_middle():
    # top 2 of 10 would be 9 and one of the 8s: both 8s go to the middle.
    values = np.array([9, 8, 8, 6, 5, 4, 3, 2, 1, 0], dtype=float)
    assert tiers_by_quantile(values).tolist() == [H, M, M, M, M, M, M, L, L, L]


def test_it_sends_ties_at_the_low_cut_off_to_the_low_tier():
    # bottom 3 of 10 ends inside the four zeros: all four are low.
    values = np.array([9, 8, 7, 6, 5, 4, 0, 0, 0, 0], dtype=float)
    assert tiers_by_quantile(values).tolist() == [H, H, M, M, M, M, L, L, L, L]


def test_it_puts_everyone_equal_into_the_low_tier():
    assert tiers_by_quantile(np.zeros(10)).tolist() == [L] * 10


def test_it_puts_one_person_in_the_middle_and_nobody_anywhere():
    assert tiers_by_quantile(np.array([100.0])).tolist() == [M]
    assert tiers_by_quantile(np.array([])).tolist() == []


def test_it_takes_other_shares():
    values = np.arange(10, dtype=float)
    assert tier_counts(tiers_by_quantile(values, high=0.1, low=0.5)) == {L: 5, M: 4, H: 1}
    assert tier_counts(tiers_by_quantile(values, high=1.0, low=0.0)) == {L: 0, M: 0, H: 10}


@pytest.mark.parametrize(("high", "low"), [(0.6, 0.5), (-0.1, 0.3), (0.2, 1.1)])
def test_it_refuses_shares_that_do_not_fit(high, low):
    with pytest.raises(AnalyticsInputError):
        tiers_by_quantile(np.arange(5.0), high, low)


def test_it_refuses_a_missing_output():
    with pytest.raises(AnalyticsInputError, match="finite"):
        tiers_by_quantile(np.array([1.0, np.nan]))


def test_it_cuts_by_thresholds_with_ties_to_the_lower_tier():
    values = np.array([0.0, 500.0, 500.01, 5000.0, 5000.01])
    assert tiers_by_threshold(values, low_at_most=500, high_above=5000).tolist() == [L, L, M, M, H]
    with pytest.raises(AnalyticsInputError):
        tiers_by_threshold(values, low_at_most=600, high_above=500)


@given(values=st.lists(st.integers(0, 6), min_size=1, max_size=60),
       high=st.sampled_from([0.0, 0.1, 0.2, 0.25, 0.5]), low=st.sampled_from([0.0, 0.3, 0.4, 0.5]))
def test_it_never_splits_ties_and_never_overfills_the_high_tier(values, high, low):
    x = np.array(values, dtype=float)
    result = tiers_by_quantile(x, high, low)
    n = x.size
    for value in set(values):  # one value, one tier
        assert len(set(result[x == value].tolist())) == 1
    highs, lows = x[result == H], x[result == L]
    middles = x[result == M]
    assert highs.size <= int(high * n + 1e-9)
    # Ties only move people down: the low tier holds at least its share, unless nothing ties.
    assert lows.size >= int(low * n + 1e-9)
    if highs.size and middles.size:
        assert highs.min() > middles.max()
    if lows.size and (middles.size or highs.size):
        assert lows.max() < np.concatenate([middles, highs]).min()
    # Without ties the counts are exact.
    if len(set(values)) == n:
        assert (highs.size, lows.size) == (int(high * n + 1e-9), int(low * n + 1e-9))
