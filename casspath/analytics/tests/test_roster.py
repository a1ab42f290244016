from datetime import date

import pytest

from casspath.analytics.charts import hbar_chart
from casspath.analytics.roster import headcount_by, rollup_under, stage_counts, tenure_histogram, top_counts

BOUNDS = [("growth", 0, 2), ("development", 2, 5), ("maturity", 5, None)]


def test_it_counts_stages_by_completed_years():
    on = date(2026, 6, 30)
    hires = [date(2026, 1, 1), date(2024, 7, 1), date(2024, 6, 30), date(2021, 6, 30), date(2027, 1, 1)]
    # 0 y; 1 y (anniversary tomorrow); 2 y; 5 y; not started yet (not counted)
    assert stage_counts(hires, on, BOUNDS) == {"growth": 2, "development": 1, "maturity": 1}
    assert tenure_histogram(hires, on) == {0: 1, 1: 1, 2: 1, 3: 0, 4: 0, 5: 1}


def test_it_counts_headcount_by_key_in_a_given_order_then_by_size():
    keys = ["b", "a", None, "c", "c", "b", "c", None]
    assert headcount_by(keys, order=["a", "z"]) == [("a", 1), ("z", 0), ("c", 3), ("b", 2), (None, 2)]
    assert headcount_by([]) == []


def test_it_rolls_paths_up_to_the_children_of_a_root():
    paths = ["/1/", "/1/2/", "/1/2/5/", "/1/2/5/9/", "/1/3/", "/4/", "/10/2/"]
    assert rollup_under(paths, "/1/") == {"/1/": 1, "/1/2/": 3, "/1/3/": 1}
    assert rollup_under(paths, "/1/2/") == {"/1/2/": 1, "/1/2/5/": 2}
    with pytest.raises(ValueError):
        rollup_under(paths, "1")


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
