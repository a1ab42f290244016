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
