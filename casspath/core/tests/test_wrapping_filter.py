"""The `email_breaks` filter: an email wraps after its "@", its domain kept whole."""

from django.template import Context, Template


def _render(value) -> str:
    return Template("{% load wrapping %}{{ value|email_breaks }}").render(Context({"value": value}))


def test_it_lets_an_email_wrap_after_the_at_sign_only():
    expected = 'wuyi@<wbr><span class="text-nowrap">gd-telecom.example</span>'
    assert _render("wuyi@gd-telecom.example") == expected


def test_it_escapes_and_leaves_other_values_alone():
    assert _render("<b>@x") == '&lt;b&gt;@<wbr><span class="text-nowrap">x</span>'
    assert _render("—") == "—"
    assert _render(None) == "None"
