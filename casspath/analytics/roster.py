"""Roster figures: headcount by growth stage and by tenure year."""

from collections import Counter
from collections.abc import Iterable
from datetime import date

from casspath.analytics.tenure import StageBounds, completed_years, stage_for


def stage_counts(hire_dates: Iterable[date], on: date, bounds: StageBounds) -> dict[str, int]:
    """Headcount per stage code, every stage present (0 where empty), in bound order.

    Hire dates after `on` (people not yet started) are not counted.
    """
    counts = Counter(
        stage_for(completed_years(hire, on), bounds) for hire in hire_dates if hire <= on
    )
    return {code: counts.get(code, 0) for code, _lower, _upper in bounds}


def tenure_histogram(hire_dates: Iterable[date], on: date) -> dict[int, int]:
    """Headcount per completed year of tenure, from 0 to the longest, gaps filled with 0."""
    counts = Counter(completed_years(hire, on) for hire in hire_dates if hire <= on)
    if not counts:
        return {}
    return {year: counts.get(year, 0) for year in range(max(counts) + 1)}
