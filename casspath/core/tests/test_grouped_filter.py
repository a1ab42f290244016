"""The `grouped` and `percent` template filters: what rounds to zero prints unsigned."""

from django.template import Context, Template


def _render(filters: str, value) -> str:
    return Template("{% load numbers %}{{ value|" + filters + " }}").render(Context({"value": value}))


def test_it_prints_what_rounds_to_zero_from_below_without_a_sign():
    assert _render("grouped:2", -0.001) == "0.00"
    assert _render("grouped:2", -0.0) == "0.00"
    assert _render("grouped", -0.4) == "0"
    assert _render("percent", -0.0001) == "0.0%"
    assert _render("grouped:2", -0.005001) == "-0.01"
    assert _render("grouped:2", -1234.5) == "-1,234.50"
    assert _render("grouped:2", None) == "—"
