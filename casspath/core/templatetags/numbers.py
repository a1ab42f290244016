"""Counts as people read them: 12,345, in both languages.

Django's own formats would group Chinese numbers by 10,000 with no separator (zh_Hans has
NUMBER_GROUPING 4 and an empty THOUSAND_SEPARATOR), and USE_THOUSAND_SEPARATOR would also
group every id and year a template prints (into URLs and form values). So counts go through
this one filter: `{% load numbers %}{{ card.active|thousands }}`.
"""

from decimal import Decimal

from django import template

register = template.Library()


@register.filter
def thousands(value):
    """An integer with a comma every three digits (12345 -> "12,345"); anything else as it is."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, Decimal) and value == value.to_integral_value():
        return f"{int(value):,}"
    return value


def _finite(value) -> float | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError):
        return None
    return None if number != number or number in (float("inf"), float("-inf")) else number


@register.filter
def grouped(value, places=0):
    """A number with thousands separators and `places` decimals (1234.5|grouped:1 ->
    "1,234.5"); "—" when there is none (a figure the data could not give, NaN). What rounds
    to zero is "0.00", never "-0.00" (an interval's end of −0.001 is no negative number)."""
    number = _finite(value)
    return "—" if number is None else _unsigned_zero(f"{number:,.{int(places)}f}")


def _unsigned_zero(text: str) -> str:
    return text[1:] if text.startswith("-") and not text.strip("-0.,%") else text


@register.filter
def percent(value, places=1):
    """A share as a percentage (0.183 -> "18.3%"); "—" when there is none."""
    number = _finite(value)
    return "—" if number is None else _unsigned_zero(f"{number * 100:.{int(places)}f}%")


@register.filter
def signed(value, places=0):
    """A difference with its sign, grouped, to `places` decimals: "+1,234", "−0.50" (a minus
    sign, as "B − A" heads the column), "0.00" for no change (never "−0.00"); "—" when none."""
    number = _finite(value)
    if number is None:
        return "—"
    text = f"{abs(number):,.{int(places)}f}"
    if float(text.replace(",", "")) == 0:
        return text
    return ("+" if number > 0 else "\u2212") + text
