"""Tenure and stages against a brute-force count of anniversaries (an independent method)."""

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casspath.analytics.tenure import (
    completed_years,
    hire_date_range,
    stage_for,
    stage_on,
    tenure_year_bounds,
    validate_bounds,
)

BOUNDS = [("growth", 0, 2), ("development", 2, 5), ("maturity", 5, None)]
days = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 12, 31))


def brute_force_years(hire: date, on: date) -> int:
    """Count the anniversaries on or before `on` one by one (28 Feb for 29 Feb hires)."""
    years = 0
    while True:
        year = hire.year + years + 1
        try:
            anniversary = hire.replace(year=year)
        except ValueError:
            anniversary = date(year, 2, 28)
        if anniversary > on:
            return years
        years += 1


@given(hire=days, span=st.integers(min_value=0, max_value=40 * 366))
def test_it_counts_completed_years_like_counting_anniversaries(hire, span):
    on = hire + timedelta(days=span)
    assert completed_years(hire, on) == brute_force_years(hire, on)


def test_it_handles_29_february_hires():
    assert completed_years(date(2024, 2, 29), date(2025, 2, 27)) == 0
    assert completed_years(date(2024, 2, 29), date(2025, 2, 28)) == 1
    assert completed_years(date(2024, 2, 29), date(2028, 2, 28)) == 3
    assert completed_years(date(2024, 2, 29), date(2028, 2, 29)) == 4


def test_it_refuses_a_day_before_the_hire_date():
    with pytest.raises(ValueError, match="before hire date"):
        completed_years(date(2024, 5, 1), date(2024, 4, 30))


@pytest.mark.parametrize(("years", "stage"), [
    (0, "growth"), (1, "growth"), (2, "development"), (4, "development"),
    (5, "maturity"), (7, "maturity"), (30, "maturity"),
])
def test_it_maps_years_to_the_contract_stages(years, stage):
    assert stage_for(years, BOUNDS) == stage


def test_it_puts_a_hire_on_the_second_anniversary_into_development():
    assert stage_on(date(2022, 3, 1), date(2024, 2, 29), BOUNDS) == "growth"
    assert stage_on(date(2022, 3, 1), date(2024, 3, 1), BOUNDS) == "development"


@pytest.mark.parametrize("bounds", [
    [],
    [("a", 1, None)],
    [("a", 0, 2), ("b", 3, None)],
    [("a", 0, None), ("b", 2, None)],
    [("a", 0, 2), ("b", 2, 2)],
    [("a", 0, 2)],
])
def test_it_refuses_bounds_with_gaps_overlaps_or_no_open_end(bounds):
    with pytest.raises(ValueError):
        validate_bounds(bounds)


@given(on=days, lower=st.integers(0, 10), width=st.one_of(st.none(), st.integers(1, 10)),
       hire=days)
def test_it_turns_a_stage_into_the_hire_date_range_of_its_members(on, lower, width, hire):
    upper = None if width is None else lower + width
    after, on_or_before = hire_date_range(lower, upper, on)
    in_range = hire <= on_or_before and (after is None or hire > after)
    if hire > on:
        assert not in_range  # nobody not yet hired is in any stage
        return
    years = completed_years(hire, on)
    assert in_range == (lower <= years and (upper is None or years < upper))


@given(on=days, span=st.integers(min_value=0, max_value=45 * 366))
def test_it_bounds_each_tenure_year_by_hire_dates(on, span):
    # The bucket a database puts a hire date in (bounds[y + 1] < h <= bounds[y]) is its
    # completed years, counted anniversary by anniversary.
    hire = on - timedelta(days=span)
    bounds = tenure_year_bounds(on, brute_force_years(hire, on) + 1)
    bucket = next(y for y in range(len(bounds) - 1) if bounds[y + 1] < hire <= bounds[y])
    assert bucket == brute_force_years(hire, on)


@pytest.mark.parametrize(("on", "hire", "years"), [
    (date(2025, 2, 28), date(2024, 2, 29), 1),  # a 29 Feb hire's anniversary in a common year
    (date(2025, 2, 27), date(2024, 2, 29), 0),
    (date(2028, 2, 28), date(2024, 2, 29), 3),  # a leap year: the anniversary is the 29th
    (date(2028, 2, 29), date(2024, 2, 29), 4),
    (date(2028, 2, 29), date(2027, 2, 28), 1),
    (date(2026, 6, 30), date(2026, 6, 30), 0),
    (date(2026, 6, 30), date(2025, 6, 30), 1),
    (date(2026, 6, 30), date(2025, 7, 1), 0),
])
def test_it_bounds_29_february_and_anniversary_days_exactly(on, hire, years):
    bounds = tenure_year_bounds(on, 5)
    assert bounds[years + 1] < hire <= bounds[years]
    assert completed_years(hire, on) == years


def test_it_refuses_negative_tenure_bounds():
    with pytest.raises(ValueError):
        tenure_year_bounds(date(2026, 1, 1), -1)
