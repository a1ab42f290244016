"""Tenure and growth stage (成长期 / 发展期 / 成熟期).

A stage is a half-open interval of completed years of tenure, [lower, upper), upper None
meaning no end. Completed years on day d for a hire date h: the number of anniversaries
of h that fall on or before d; a 29 February hire has its anniversary on 28 February in
common years.
"""

import calendar
from collections.abc import Sequence
from datetime import date

StageBounds = Sequence[tuple[str, int, int | None]]


def anniversary(hire: date, years: int) -> date:
    """The date `years` after `hire`; 29 Feb falls back to 28 Feb in common years."""
    year = hire.year + years
    try:
        return hire.replace(year=year)
    except ValueError:
        return date(year, 2, 28)


def completed_years(hire: date, on: date) -> int:
    """Whole years of tenure completed on `on` (0 before the first anniversary)."""
    if on < hire:
        raise ValueError(f"date {on} is before hire date {hire}")
    years = on.year - hire.year
    if anniversary(hire, years) > on:
        years -= 1
    return years


def validate_bounds(bounds: StageBounds) -> None:
    """Bounds must start at 0, be contiguous, and only the last may be open."""
    if not bounds:
        raise ValueError("no stages defined")
    expected = 0
    for index, (code, lower, upper) in enumerate(bounds):
        if lower != expected:
            raise ValueError(f"stage {code} starts at {lower}, expected {expected}")
        if upper is None:
            if index != len(bounds) - 1:
                raise ValueError(f"stage {code} is open-ended but is not the last")
            return
        if upper <= lower:
            raise ValueError(f"stage {code} ends at {upper}, not after {lower}")
        expected = upper
    raise ValueError("the last stage must be open-ended")


def stage_for(years: int, bounds: StageBounds) -> str:
    """The code of the stage whose [lower, upper) holds `years`."""
    if years < 0:
        raise ValueError(f"negative tenure: {years}")
    for code, lower, upper in bounds:
        if lower <= years and (upper is None or years < upper):
            return code
    raise ValueError(f"no stage holds {years} years")


def stage_on(hire: date, on: date, bounds: StageBounds) -> str:
    return stage_for(completed_years(hire, on), bounds)


def hire_date_range(lower: int, upper: int | None, on: date) -> tuple[date | None, date]:
    """Hire dates h with lower <= completed_years(h, on) < upper, as (after, on_or_before).

    completed_years(h, on) >= n  ⟺  h <= on shifted back n years (28 Feb for 29 Feb).
    Returns (exclusive lower bound or None, inclusive upper bound) for a database filter.
    """
    latest = _years_before(on, lower)
    earliest_exclusive = None if upper is None else _years_before(on, upper)
    return earliest_exclusive, latest


def tenure_year_bounds(on: date, max_years: int) -> list[date]:
    """The hire-date bounds of each completed year of tenure on `on`, for a database to
    count people by year without computing anyone's tenure.

    `bounds[y]` is the latest hire date that has completed `y` years on `on`, for y from 0
    to max_years + 1; so a hire date h has completed exactly y years when
    bounds[y + 1] < h <= bounds[y] (completed years fall as the hire date moves later).
    """
    if max_years < 0:
        raise ValueError(f"negative tenure: {max_years}")
    return [_years_before(on, years) for years in range(max_years + 2)]


def _years_before(on: date, years: int) -> date:
    """The latest hire date that has completed `years` years on `on`."""
    year = on.year - years
    if (on.month, on.day) == (2, 28) and calendar.isleap(year) and not calendar.isleap(on.year):
        # A 29 Feb hire's anniversary in a common year is 28 Feb: it has completed.
        return date(year, 2, 29)
    try:
        return on.replace(year=year)
    except ValueError:  # on is 29 Feb and `year` is common
        return date(year, 2, 28)
