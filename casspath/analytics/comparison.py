"""Two diagnoses side by side (issue 7's snapshots compared): the difference of a figure as a
reader can check it against the two figures shown beside it.

A page shows each figure rounded (a share as a percentage to one decimal, yuan to whole
yuan); a difference computed from the unrounded figures and rounded on its own may then
differ from the difference of the shown ones by one unit of the last place (18.3% and 19.6%
shown, 1.2 points printed). So the difference here is that of the shown figures:

    shown(x)      = round(x · scale, places)
    difference    = round(shown(b) − shown(a), places), with −0 read as 0

`scale` is 100 for a share shown as a percentage: the difference of two percentages is in
percentage points, not percent.
"""

import math

# Shares are shown as percentages: ×100, and their differences are percentage points.
PERCENT = 100.0


def shown(value: float | None, places: int, scale: float = 1.0) -> float | None:
    """`value` · `scale` rounded to `places` decimals as the page prints it; None for None, NaN
    or an infinity (a figure the data could not give)."""
    if value is None:
        return None
    number = float(value) * scale
    if not math.isfinite(number):
        return None
    return _no_negative_zero(round(number, places))


def shown_difference(a: float | None, b: float | None, places: int, scale: float = 1.0) -> float | None:
    """shown(b) − shown(a), to `places` decimals, never −0; None when either is missing."""
    shown_a, shown_b = shown(a, places, scale), shown(b, places, scale)
    if shown_a is None or shown_b is None:
        return None
    return _no_negative_zero(round(shown_b - shown_a, places))


def _no_negative_zero(value: float) -> float:
    return 0.0 if value == 0 else value
