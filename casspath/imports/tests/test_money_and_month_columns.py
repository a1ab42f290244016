"""The money and month column parsers: every spelling files use, and nothing but `Invalid`
for anything else."""

from datetime import date
from decimal import Decimal

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from casspath.imports import columns as col
from casspath.imports.errors import Invalid

FUZZ = settings(max_examples=300, deadline=None)
cents = st.integers(min_value=-(10**13) + 1, max_value=10**13 - 1).map(lambda n: Decimal(n) / 100)


def _full_width(text: str) -> str:
    return "".join(chr(ord(ch) + 0xFEE0) if "!" <= ch <= "~" else ch for ch in text)


@pytest.mark.parametrize(("text", "expected"), [
    ("1234.5", "1234.50"), ("1,234.50", "1234.50"), ("¥1234", "1234"), ("￥1,234", "1234"),
    ("1234元", "1234"), ("1.2万", "12000"), ("1.2345万", "12345"), ("RMB 88", "88"), ("-300", "-300"),
    ("１２３４．５", "1234.50"), ("1234.5600000000001", "1234.56"), ("1.5e+16", None), ("0", "0"),
])
def test_it_reads_money_as_files_write_it(text, expected):
    if expected is None:
        with pytest.raises(Invalid):
            col.money(text)
        return
    assert col.money(text) == Decimal(expected)


@pytest.mark.parametrize("text", [
    "12.345", "1,23,4", "abc", "1.2亿", "¥", "", "1.2.3", "12,34.5", "--1", "1e999999",
])
def test_it_refuses_what_is_not_an_amount_in_both_languages(text):
    with pytest.raises(Invalid) as refused:
        col.money(text)
    assert refused.value.message_zh and refused.value.message_en


@FUZZ
@given(cents, st.booleans(), st.booleans(), st.booleans())
def test_it_any_amount_to_the_cent_reads_back_in_any_spelling(amount, grouped, currency, wide):
    text = f"{amount:,.2f}" if grouped else f"{amount:.2f}"
    if currency:
        text = "¥" + text
    if wide:
        text = _full_width(text)
    assert col.money(text) == amount


@FUZZ
@given(st.lists(cents, min_size=1, max_size=20))
def test_it_a_clean_column_parses_at_once_as_cell_by_cell(amounts):
    texts = [f"{amount:.2f}".rstrip("0").rstrip(".") or "0" for amount in amounts]
    whole = col.money.whole_column(texts)  # type: ignore[attr-defined]
    assert whole is not None and whole == [col.money(text) for text in texts]


@FUZZ
@given(st.text(max_size=30))
def test_it_any_text_is_an_amount_or_refused(text):
    try:
        value = col.money(text)
    except Invalid:
        return
    assert value == value.quantize(Decimal("0.01")) and abs(value) < 10**12


@pytest.mark.parametrize("text", ["2026-03", "2026/3", "2026.03", "2026年3月", "2026年3月份", "202603",
                                  "2026-03-15", "２０２６－０３", "2026/03/01"])
def test_it_reads_months_as_files_write_them(text):
    assert col.month()(text) == date(2026, 3, 1)


@pytest.mark.parametrize("text", ["2026-13", "2026-00", "March", "26-03", "2026", "0999-01"])
def test_it_refuses_what_is_not_a_month(text):
    with pytest.raises(Invalid):
        col.month()(text)


@FUZZ
@given(st.integers(1900, 2999), st.integers(1, 12), st.sampled_from(["{y}-{m:02d}", "{y}/{m}", "{y}年{m}月"]))
def test_it_any_month_reads_back_in_any_form(year, month, form):
    assert col.month()(form.format(y=year, m=month)) == date(year, month, 1)


@FUZZ
@given(st.text(max_size=20))
def test_it_any_text_is_a_month_or_refused(text):
    try:
        value = col.month()(text)
    except Invalid:
        return
    assert isinstance(value, date) and value.day == 1
