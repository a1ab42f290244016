"""The one place values are judged (core/validators.py): codes a web address can carry, no NUL."""

import pytest
from django.core.exceptions import ValidationError

from casspath.core import validators
from casspath.core.errors import BilingualError, InvalidValue
from casspath.imports.errors import Invalid


@pytest.mark.parametrize("code", ["GZ-TH-01", "E0001", "D01", "a.b_c", "广州01", "M6"])
def test_it_accepts_codes_of_letters_digits_dots_underscores_and_dashes(code):
    assert validators.code(code, 40) == code


@pytest.mark.parametrize(
    ("code", "shown"),
    [("GZ/EVIL", "/"), ("EVIL/1", "/"), ("A/B", "/"), ("a?b", "?"), ("a#b", "#"), ("a%2F", "%"),
     ("a\\b", "\\"), ("a b", "space"), ("a\tb", "U+0009"), ("a\x1fb", "U+001F"), ("..", "."),
     (".hidden", ".")],
)
def test_it_refuses_a_code_a_web_address_cannot_carry_in_both_languages(code, shown):
    with pytest.raises(InvalidValue) as info:
        validators.code(code)
    assert shown in info.value.message_zh + info.value.message_en
    assert "编码" in info.value.message_zh and "code" in info.value.message_en


def test_it_refuses_nul_in_text_and_too_long_text():
    with pytest.raises(InvalidValue, match="NUL"):
        validators.text("王\x00宁", 60)
    with pytest.raises(InvalidValue, match="limit of 3"):
        validators.text("abcd", 3)
    assert validators.text("王宁", 60) == "王宁"


def test_it_is_the_one_error_the_import_columns_raise():
    assert Invalid is InvalidValue and issubclass(InvalidValue, BilingualError)


def test_it_gives_model_fields_a_bilingual_django_error():
    with pytest.raises(ValidationError) as info:
        validators.validate_code("GZ/EVIL")
    assert "“/”" in info.value.messages[0] and "web addresses" in info.value.messages[0]
    with pytest.raises(ValidationError, match="U\\+0000"):
        validators.validate_text("a\x00")
    validators.validate_code("GZ-EVIL")
    validators.validate_text("广州")
