"""The small-sample caution: under 30 managers counted, or a tier of under 10, the
diagnosis's figures are flagged (analytics.diagnosis.SMALL_SAMPLE, the one threshold)."""

import math

import pytest

from casspath.analytics.diagnosis import SMALL_SAMPLE, SmallSample, small_sample_caution


def test_it_holds_the_thresholds_in_one_place():
    assert (SMALL_SAMPLE.headcount, SMALL_SAMPLE.tier) == (30, 10)
    # The reason in its docstring: rho 0.3 over 30 people has a 95% interval from about
    # −0.08 to 0.60 (Fisher z, Bonett–Wright standard error).
    half = 1.959964 * math.sqrt(1.06 / 27)
    assert math.tanh(math.atanh(0.3) - half) == pytest.approx(-0.079, abs=1e-3)
    assert math.tanh(math.atanh(0.3) + half) == pytest.approx(0.603, abs=1e-3)


def test_it_flags_a_unit_under_the_headcount_and_not_at_it():
    assert small_sample_caution(29, {"high": 10, "middle": 10, "low": 10}).small_unit
    at = small_sample_caution(30, {"high": 10, "middle": 10, "low": 10})
    assert not at.small_unit and not at.any and not at.tentative("low")


def test_it_flags_each_tier_under_its_threshold_and_leaves_an_empty_one_out():
    caution = small_sample_caution(100, {"high": 9, "middle": 10, "low": 0})
    assert caution.small_tiers == {"high": 9} and not caution.small_unit
    assert caution.tentative("high") and not caution.tentative("middle") and not caution.tentative("low")


def test_it_makes_every_tier_tentative_in_a_small_unit():
    caution = small_sample_caution(12, {"high": 2, "middle": 7, "low": 3})
    assert caution.small_unit and all(caution.tentative(code) for code in ("high", "middle", "low"))


def test_it_takes_other_limits_and_refuses_negative_counts():
    assert not small_sample_caution(12, {"low": 3}, SmallSample(headcount=10, tier=3)).any
    with pytest.raises(ValueError):
        small_sample_caution(-1, {})
