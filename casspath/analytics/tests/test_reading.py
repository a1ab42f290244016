"""The reading time of a guide, against hand computation."""

import pytest

from casspath.analytics.reading import count_text, reading_minutes, text_reading_minutes


def test_it_counts_chinese_characters_and_other_words():
    assert count_text("开通 5G 专线，填写 CRM 工单。") == (10, 2)


def test_it_computes_the_documented_example():
    # 1,200 / 300 + 40 / 200 + 6 × 10 / 60 = 4 + 0.2 + 1 = 5.2 → 6
    assert reading_minutes(1200, 40, 6) == 6


def test_it_rounds_up_and_never_gives_zero():
    assert reading_minutes(0) == 1
    assert reading_minutes(300) == 1
    assert reading_minutes(301) == 2
    assert reading_minutes(0, 0, 6) == 1
    assert reading_minutes(0, 0, 7) == 2


def test_it_adds_texts_together():
    assert text_reading_minutes(["字" * 200, "字" * 200], images=0) == 2


def test_it_refuses_negative_counts():
    with pytest.raises(ValueError):
        reading_minutes(-1)
