"""The SMS length rule (analytics/sms.py) against counts made by hand."""

import pytest

from casspath.analytics.sms import sms_length


def test_it_counts_a_pure_ascii_text_in_gsm_7bit():
    text = "Yes: a 30-day free trial with no deposit."  # 41 characters, counted on paper
    result = sms_length(text)
    assert (result.encoding, result.length, result.limit, result.parts) == ("gsm7", 41, 160, 1)
    assert result.fits_one


def test_it_counts_an_extension_character_twice():
    # "[a]" is 3 characters: "[" and "]" take an escape each, 2 + 1 + 2 = 5 septets.
    assert sms_length("[a]").length == 5
    assert sms_length("€5").length == 3


def test_it_fits_160_septets_and_splits_161_into_two_parts_of_153():
    assert sms_length("a" * 160).parts == 1
    over = sms_length("a" * 161)
    assert (over.parts, over.over, over.fits_one) == (2, 1, False)
    assert sms_length("a" * 306).parts == 2 and sms_length("a" * 307).parts == 3


def test_it_counts_chinese_in_ucs2_against_70():
    text = "可以，按月收取保号费，随时可以复机。"  # 18 characters (punctuation included), by hand
    result = sms_length(text)
    assert (result.encoding, result.length, result.limit, result.parts) == ("ucs2", 18, 70, 1)


def test_it_makes_one_chinese_character_turn_the_whole_message_ucs2():
    text = "a" * 69 + "好"  # 70 units: just fits
    assert sms_length(text).encoding == "ucs2" and sms_length(text).fits_one
    longer = sms_length("a" * 70 + "好")  # 71 > 70: two parts of 67
    assert (longer.length, longer.parts) == (71, 2)
    assert sms_length("好" * 134).parts == 2 and sms_length("好" * 135).parts == 3


def test_it_counts_an_emoji_as_two_utf16_units_and_a_backtick_as_not_gsm():
    assert sms_length("👍").length == 2 and sms_length("👍").encoding == "ucs2"
    assert sms_length("`").encoding == "ucs2"


def test_it_takes_gsm_letters_beyond_ascii():
    assert sms_length("Café Øre").encoding == "gsm7"


def test_it_says_zero_parts_for_an_empty_text_and_refuses_a_non_text():
    assert sms_length("").parts == 0
    with pytest.raises(ValueError):
        sms_length(None)  # type: ignore[arg-type]
