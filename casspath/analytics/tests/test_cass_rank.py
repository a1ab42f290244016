"""The work item rank rule, against hand-ranked lists."""

import pytest

from casspath.analytics.cass import priority, rank_work_items


def test_it_ranks_by_importance_times_frequency():
    # priorities: A 5×2=10, B 3×4=12, C 4×4=16
    assert rank_work_items([("A", 5, 2), ("B", 3, 4), ("C", 4, 4)]) == {"C": 1, "B": 2, "A": 3}


def test_it_breaks_ties_by_importance_then_code():
    # all priority 12: importance 4 (B, D) before 3 (A), then code order between B and D
    assert rank_work_items([("D", 4, 3), ("A", 3, 4), ("B", 4, 3)]) == {"B": 1, "D": 2, "A": 3}


def test_it_refuses_values_outside_one_to_five():
    with pytest.raises(ValueError, match="importance"):
        priority(0, 3)
    with pytest.raises(ValueError, match="frequency"):
        rank_work_items([("A", 3, 6)])


def test_it_refuses_duplicate_codes():
    with pytest.raises(ValueError, match="unique"):
        rank_work_items([("A", 3, 3), ("A", 2, 2)])


def test_it_ranks_nothing_as_empty():
    assert rank_work_items([]) == {}
