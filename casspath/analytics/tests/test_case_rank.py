"""The order of a step's cases (analytics.cases), against hand computation."""

from datetime import UTC, datetime, timedelta

import pytest

from casspath.analytics.cases import CaseFigures, case_score, rank_cases

NOW = datetime(2026, 12, 1, tzinfo=UTC)


def test_it_computes_the_documented_example():
    # (3 + 1) / (10 + 5) × 0.5 + 0.2 = 0.13333 + 0.2
    assert case_score(3, 10, 180, picked=True) == pytest.approx(0.33333, abs=1e-5)


def test_it_smooths_a_single_mark_below_a_steady_rate():
    # (1 + 1) / (1 + 5) = 0.3333 < (40 + 1) / (100 + 5) = 0.3905
    assert case_score(1, 1, 0) == pytest.approx(2 / 6)
    assert case_score(40, 100, 0) == pytest.approx(41 / 105)
    assert case_score(1, 1, 0) < case_score(40, 100, 0)


def test_it_halves_the_rate_every_half_life_and_never_decays_the_pick():
    assert case_score(0, 0, 0) == pytest.approx(0.2)
    assert case_score(0, 0, 360) == pytest.approx(0.05)
    assert case_score(0, 0, 360, picked=True) == pytest.approx(0.25)


def test_it_counts_readers_as_at_least_the_marks():
    assert case_score(4, 0, 0) == case_score(4, 4, 0) == pytest.approx(5 / 9)


def test_it_orders_best_first_and_breaks_ties_by_recency_then_id():
    old = NOW - timedelta(days=10)
    figures = [
        CaseFigures(1, useful=0, readers=0, published_at=old),
        CaseFigures(2, useful=5, readers=6, published_at=old),
        CaseFigures(3, useful=0, readers=0, published_at=old, picked=True),
        CaseFigures(4, useful=0, readers=0, published_at=NOW),
        CaseFigures(5, useful=0, readers=0, published_at=old),
    ]
    # 3: 0.2×d+0.2; 2: 6/11×d ≈ 0.53; 4: 0.2; 5 and 1 tie at 0.2×d (0.992): 5 before 1.
    assert rank_cases(figures, NOW) == [2, 3, 4, 5, 1]


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        case_score(-1, 0, 0)
