"""Where a long value may wrap on a phone."""

from django import template
from django.utils.html import format_html

register = template.Library()


@register.filter
def email_breaks(value):
    """An email that wraps after its "@", not at a hyphen inside its domain (gd-/telecom):
    the domain stays whole. Copying it copies the same address (<wbr> adds no character)."""
    if not isinstance(value, str) or "@" not in value:
        return value
    local, _at, domain = value.rpartition("@")
    return format_html('{}@<wbr><span class="text-nowrap">{}</span>', local, domain)
