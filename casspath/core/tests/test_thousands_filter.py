"""The `thousands` template filter: counts read 12,345 in both languages (Django's Chinese
format would print 12345)."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation


def _render(value, language: str) -> str:
    with translation.override(language):
        return Template("{% load numbers %}{{ value|thousands }}").render(Context({"value": value}))


def test_it_groups_counts_by_three_digits_in_both_languages():
    for language in ("zh-hans", "en"):
        assert _render(12345, language) == "12,345"
        assert _render(100000, language) == "100,000"
        assert _render(999, language) == "999"
        assert _render(-1234, language) == "-1,234"
        assert _render(Decimal("20000"), language) == "20,000"


def test_it_leaves_what_is_no_count_as_it_is():
    assert _render("GD00001", "en") == "GD00001"
    assert _render(None, "en") == "None"
    assert _render(True, "en") == "True"
    assert _render(Decimal("12.5"), "en") == "12.5"
