from collections import Counter
from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from casspath.analytics.charts import hbar_chart
from casspath.analytics.roster import (
    headcount_by,
    headcount_by_counts,
    rollup_counts,
    rollup_under,
    stage_counts,
    stage_counts_by_years,
    tenure_histogram,
    tenure_histogram_by_years,
    top_counts,
    years_counts,
)

BOUNDS = [("growth", 0, 2), ("development", 2, 5), ("maturity", 5, None)]


def test_it_counts_stages_by_completed_years():
    on = date(2026, 6, 30)
    hires = [date(2026, 1, 1), date(2024, 7, 1), date(2024, 6, 30), date(2021, 6, 30), date(2027, 1, 1)]
    # 0 y; 1 y (anniversary tomorrow); 2 y; 5 y; not started yet (not counted)
    assert stage_counts(hires, on, BOUNDS) == {"growth": 2, "development": 1, "maturity": 1}
    assert tenure_histogram(hires, on) == {0: 1, 1: 1, 2: 1, 3: 0, 4: 0, 5: 1}


def test_it_counts_stages_and_tenure_from_headcounts_per_year():
    # What the database returns for the hires above: people per completed year.
    by_years = {0: 1, 1: 1, 2: 1, 5: 1}
    assert stage_counts_by_years(by_years, BOUNDS) == {"growth": 2, "development": 1, "maturity": 1}
    assert tenure_histogram_by_years(by_years) == {0: 1, 1: 1, 2: 1, 3: 0, 4: 0, 5: 1}
    assert stage_counts_by_years({}, BOUNDS) == {"growth": 0, "development": 0, "maturity": 0}
    assert tenure_histogram_by_years({}) == {} and tenure_histogram_by_years({3: 0}) == {}
    with pytest.raises(ValueError):
        tenure_histogram_by_years({-1: 2})


hire_dates = st.lists(st.dates(min_value=date(1985, 1, 1), max_value=date(2031, 12, 31)), max_size=60)


@given(hires=hire_dates, on=st.dates(min_value=date(2020, 1, 1), max_value=date(2030, 12, 31)))
def test_it_gives_the_same_figures_from_years_as_from_hire_dates(hires, on):
    by_years = years_counts(hires, on)
    assert sum(by_years.values()) == sum(hire <= on for hire in hires)
    assert stage_counts_by_years(by_years, BOUNDS) == stage_counts(hires, on, BOUNDS)
    assert tenure_histogram_by_years(by_years) == tenure_histogram(hires, on)


def test_it_counts_years_per_person_started():
    on = date(2026, 6, 30)
    hires = [on, on - timedelta(days=1), date(2025, 6, 30), on + timedelta(days=1)]
    assert years_counts(hires, on) == {0: 2, 1: 1}


def test_it_counts_headcount_by_key_in_a_given_order_then_by_size():
    keys = ["b", "a", None, "c", "c", "b", "c", None]
    assert headcount_by(keys, order=["a", "z"]) == [("a", 1), ("z", 0), ("c", 3), ("b", 2), (None, 2)]
    assert headcount_by([]) == []


@given(keys=st.lists(st.one_of(st.none(), st.sampled_from("abcde")), max_size=40),
       order=st.lists(st.sampled_from("abz"), unique=True))
def test_it_gives_the_same_headcount_by_key_from_grouped_counts(keys, order):
    assert headcount_by_counts(Counter(keys), order=order) == headcount_by(keys, order=order)
    assert headcount_by_counts({"a": 0, "b": 2}) == [("b", 2)]


def test_it_rolls_paths_up_to_the_children_of_a_root():
    paths = ["/1/", "/1/2/", "/1/2/5/", "/1/2/5/9/", "/1/3/", "/4/", "/10/2/"]
    assert rollup_under(paths, "/1/") == {"/1/": 1, "/1/2/": 3, "/1/3/": 1}
    assert rollup_under(paths, "/1/2/") == {"/1/2/": 1, "/1/2/5/": 2}
    with pytest.raises(ValueError):
        rollup_under(paths, "1")


def test_it_rolls_grouped_prefixes_up_like_paths():
    paths = ["/1/", "/1/2/", "/1/2/5/", "/1/2/5/9/", "/1/3/", "/4/", "/10/2/"]
    # A database grouping by the first segment below "/1/" returns prefixes with counts.
    prefixes = {"/1/": 1, "/1/2/": 3, "/1/3/": 1, "/4/": 1, "/10/2/": 1}
    assert rollup_counts(prefixes, "/1/") == rollup_under(paths, "/1/")
    assert rollup_counts(Counter(paths).items(), "/1/2/") == rollup_under(paths, "/1/2/")
    assert rollup_counts({"/1/2/": 0}, "/1/") == {}
    with pytest.raises(ValueError):
        rollup_counts({}, "/1")


def test_it_keeps_the_top_counts_and_sums_the_rest():
    assert top_counts({"a": 1, "b": 5, "c": 3, "d": 3}, 2) == ([("b", 5), ("c", 3)], 4)
    assert top_counts({}, 3) == ([], 0)
    with pytest.raises(ValueError):
        top_counts({"a": 1}, -1)


def test_it_draws_horizontal_bars_largest_on_top():
    option = hbar_chart(["广州", "深圳"], [5, 2], series_name="人数")
    assert option["yAxis"]["data"] == ["深圳", "广州"]
    assert option["series"][0]["data"] == [2, 5]
    with pytest.raises(ValueError):
        hbar_chart(["a"], [1, 2])
