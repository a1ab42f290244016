"""Differences of two diagnoses' figures as shown, against hand computation."""

import math

import pytest

from casspath.analytics.comparison import PERCENT, shown, shown_difference


def test_it_takes_the_difference_of_the_shown_figures_not_of_the_raw_ones():
    # 18.34% and 19.56% are shown 18.3% and 19.6%: 1.3 points between them, where the raw
    # difference 1.22 would print 1.2.
    assert shown(0.1834, 1, PERCENT) == pytest.approx(18.3, abs=1e-12)
    assert shown(0.1956, 1, PERCENT) == pytest.approx(19.6, abs=1e-12)
    assert shown_difference(0.1834, 0.1956, 1, PERCENT) == pytest.approx(1.3, abs=1e-12)
    assert shown_difference(1234.4, 1236.6, 0) == 3.0  # 1,234 and 1,237 shown
    assert shown_difference(0.4125, 0.4131, 3) == pytest.approx(0.001, abs=1e-12)  # 0.412 and 0.413 shown


def test_it_reads_no_change_as_zero_never_minus_zero():
    difference = shown_difference(0.50041, 0.50039, 2)  # both shown 0.50
    assert difference is not None and difference == 0 and math.copysign(1, difference) == 1
    rounded = shown(-0.001, 2)  # shown 0.00, not -0.00
    assert rounded is not None and math.copysign(1, rounded) == 1


def test_it_gives_none_for_a_missing_figure():
    assert shown_difference(None, 0.5, 2) is None
    assert shown_difference(0.5, float("nan"), 2) is None
    assert shown(float("inf"), 1) is None
