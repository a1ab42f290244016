"""The `signed` filter: a difference with its sign, grouped, never "−0.00"."""

from casspath.core.templatetags.numbers import signed


def test_it_signs_a_difference_with_a_plus_or_a_minus_sign():
    assert signed(1234.4) == "+1,234"
    assert signed(-0.5, 2) == "\u22120.50"
    assert signed(1.3, 1) == "+1.3"


def test_it_prints_no_change_without_a_sign():
    assert signed(0.0, 2) == "0.00"
    assert signed(-0.0, 2) == "0.00"
    assert signed(-0.001, 2) == "0.00"  # rounds to nothing


def test_it_prints_a_dash_for_no_figure():
    assert signed(None) == "—" and signed(float("nan"), 1) == "—"
