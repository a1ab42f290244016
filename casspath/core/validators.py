"""The one place a value's rules live: codes, texts, phones, emails, dates.

Each check takes a value and returns it (normalised where it says so) or raises
`InvalidValue` with the reason in both languages. Everything that accepts a value uses these:
the import column parsers (`imports/columns.py`), forms, the models' fields (through the
Django validators at the bottom, so an action's `full_clean` applies them), the API and the
competency editor's schema. Whoever names the place (a row and column, a form field, an API
field) adds it; the reason is the same everywhere, so the entry points cannot disagree.
"""

import re
import unicodedata
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from typing import ClassVar

from django.core.exceptions import ValidationError
from django.db import models
from django.utils import translation

from casspath.core.errors import InvalidValue

NUL = "\x00"
# How a refused NUL is shown back (reports are JSON, which PostgreSQL cannot store with one).
SHOWN_NUL = "\u2400"


def normalise(value: str) -> str:
    """What a user obviously means by the same thing, written one way (NFKC): full-width
    digits and letters (１３８, ＧＺ), full-width punctuation (－, ／, ＋) become their ASCII
    forms. Applied to codes, phones and dates, never to free text (names keep their forms)."""
    return value if value.isascii() else unicodedata.normalize("NFKC", value)


def no_nul(value: str) -> str:
    """Refuse a NUL character: PostgreSQL cannot store one in text, SQLite would keep it silently."""
    if NUL in value:
        raise InvalidValue(
            "含有空字符（NUL，U+0000），请删除后重试。",
            "Contains a NUL character (U+0000): remove it and try again.",
        )
    return value


def text(value: str, max_length: int | None = None) -> str:
    """Free text: no NUL, at most `max_length` characters."""
    no_nul(value)
    if max_length is not None and len(value) > max_length:
        raise InvalidValue(
            f"长度 {len(value)} 超过上限 {max_length} 个字符。",
            f"{len(value)} characters, more than the limit of {max_length}.",
        )
    return value


# A code names its object in web addresses (/org/units/GZ-TH-01/, /employees/E0001/,
# .../dimensions/D01/): letters of any script, digits, "_", "." and "-", starting with a letter
# or digit (so never "." or ".."), nothing a URL path segment cannot carry as it is.
CODE_PATTERN = r"[^\W_][\w.\-]*"
_CODE = re.compile(CODE_PATTERN)
_CODE_CHAR = re.compile(r"[\w.\-]")


def code(value: str, max_length: int | None = None, *, upper: bool = False) -> str:
    """A code (unit code, 工号, dimension code, ...): see `_CODE`. Returned normalised (NFKC),
    and upper-cased when `upper` (unit codes: `casspath.org.validators.unit_code`)."""
    value = normalise(value)
    if upper:
        value = value.upper()
    text(value, max_length)
    if _CODE.fullmatch(value):
        return value
    if not value:
        raise InvalidValue("编码不能为空。", "A code may not be empty.")
    bad = next((ch for ch in value if not _CODE_CHAR.match(ch)), value[0])
    shown = _shown(bad)
    raise InvalidValue(
        f"编码不能含有{shown}：编码只能由字母、数字、下划线、点和连字符组成，且以字母或数字开头"
        "（编码会出现在网址中，不能有 / ? # % \\ 或空格）。",
        f"A code may not contain {shown}: only letters, digits, underscores, dots and dashes, "
        "starting with a letter or digit (codes appear in web addresses: no / ? # % \\ or spaces).",
    )


def _shown(ch: str) -> str:
    if ch.isspace() or unicodedata.category(ch).startswith("C"):
        return f"U+{ord(ch):04X}" if ch != " " else "空格 (space)"
    return f"“{ch}”"


_PHONE_NOISE = re.compile(r"[\s\-()（）.]")
_MOBILE = re.compile(r"^1\d{10}$")


def mobile_phone(value: str) -> str:
    """A Chinese mobile number, normalised to its 11 digits (full-width digits read as
    digits; +86, spaces, dashes dropped)."""
    value = normalise(value)
    if len(value) == 11 and value[0] == "1" and value.isdigit():
        return value
    digits = _PHONE_NOISE.sub("", value)
    if digits.startswith("+86"):
        digits = digits[3:]
    elif digits.startswith("0086"):
        digits = digits[4:]
    elif len(digits) == 13 and digits.startswith("86"):
        digits = digits[2:]
    if not _MOBILE.match(digits):
        raise InvalidValue(
            "不是有效的手机号：应为以 1 开头的 11 位数字（可带 +86）。",
            "Not a valid mobile number: 11 digits starting with 1 (+86 allowed).",
        )
    return digits


# The practical subset of RFC 5322 that mail servers accept; Django's EmailField agrees.
_EMAIL = re.compile(
    r"^[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+(?:\.[A-Za-z0-9!#$%&'*+/=?^_`{|}~-]+)*"
    r"@(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,63}$"
)


def email(value: str) -> str:
    if len(value) > 254 or not _EMAIL.match(value):
        raise InvalidValue("不是有效的邮箱地址。", "Not a valid email address.")
    return value


# A time of day after the date (an Excel date-time, an HR system's time stamp) is read past:
# the day is what a hire date or a rating's date means.
_TIME_OF_DAY = r"(?:[ T]\d{1,2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?)?"
_DATE_FORMS = (
    re.compile(r"^(\d{4})-(\d{1,2})-(\d{1,2})" + _TIME_OF_DAY + "$"),
    re.compile(r"^(\d{4})/(\d{1,2})/(\d{1,2})" + _TIME_OF_DAY + "$"),
    re.compile(r"^(\d{4})\.(\d{1,2})\.(\d{1,2})$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日$"),
)


def parse_date(value: str) -> date:
    """YYYY-MM-DD (what Excel dates become), YYYY/MM/DD, YYYY.MM.DD or YYYY年M月D日, in
    ASCII or full-width digits; the first two may carry a time of day (HH:MM[:SS]), which is
    read past."""
    value = normalise(value).strip()
    for form in _DATE_FORMS:
        found = form.match(value)
        if found:
            year, month, day = (int(part) for part in found.groups())
            try:
                return date(year, month, day)
            except ValueError:
                raise InvalidValue("日期不存在。", "No such date.") from None
    raise InvalidValue(
        "日期格式应为 YYYY-MM-DD、YYYY/MM/DD 或 YYYY年M月D日。",
        "A date must be written YYYY-MM-DD, YYYY/MM/DD or YYYY年M月D日.",
    )


def past_date(value: date, today: date, earliest: date = date(1900, 1, 1)) -> date:
    """A date not after `today` and not before `earliest`."""
    if value > today:
        raise InvalidValue(
            f"日期晚于今天（{today.isoformat()}）。", f"The date is after today ({today.isoformat()})."
        )
    if value < earliest:
        raise InvalidValue(f"日期早于 {earliest.year} 年。", f"The date is before {earliest.year}.")
    return value


# --- the same checks as Django validators (model fields, forms) ------------------------


def as_validation_error(invalid: InvalidValue, code: str = "invalid") -> ValidationError:
    """Both languages in one message, as Django shows a field's error."""
    return ValidationError(invalid.both(), code=code)


def validate_code(value) -> None:
    """Model and form fields holding a code (module-level, so migrations can name it). The
    stored form is the normalised one: entry points store what `code` returns."""
    try:
        normal = code(str(value))
    except InvalidValue as invalid:
        raise as_validation_error(invalid, "code") from None
    if normal != str(value):
        raise as_validation_error(InvalidValue(
            f"编码应写作“{normal}”（半角字符）。", f"Write the code as '{normal}' (half-width characters)."
        ), "code")


def validate_upper_code(value) -> None:
    """A code stored upper-case (unit codes): `validate_code`, and no lower-case letter."""
    validate_code(value)
    upper = str(value).upper()
    if str(value) != upper:
        raise as_validation_error(InvalidValue(
            f"单位编码应写作“{upper}”（大写）。", f"Write the unit code as '{upper}' (upper case)."
        ), "code")


def validate_text(value) -> None:
    """Model fields holding free text (Django's form fields refuse NUL already, models do not)."""
    try:
        no_nul(str(value))
    except InvalidValue as invalid:
        raise as_validation_error(invalid, "null_characters_not_allowed") from None


class TextLimited(models.Model):
    """A model whose free-text fields have caps, as data: `TEXT_LIMITS = {"story": 20_000}`
    (a TextField has none of its own). `full_clean` (every action's) checks each with `text`,
    as a field's error in both languages; an import's column reads the same number
    (`text_limit`) and names its row and column."""

    TEXT_LIMITS: ClassVar[dict[str, int]] = {}

    class Meta:
        abstract = True

    def clean_fields(self, exclude=None) -> None:
        errors: dict = {}
        try:
            super().clean_fields(exclude)
        except ValidationError as invalid:
            errors = invalid.update_error_dict(errors)
        for name, limit in self.TEXT_LIMITS.items():
            if (exclude and name in exclude) or name in errors:
                continue
            try:
                text(str(getattr(self, name) or ""), limit)
            except InvalidValue as invalid:
                named = _named(self._meta.get_field(name), invalid)
                errors[name] = [as_validation_error(named, "max_length")]
        if errors:
            raise ValidationError(errors)


def _named(field, invalid: InvalidValue) -> InvalidValue:
    """The reason with the field's name before it, in each language (an API's caller and a
    form's reader both see which field)."""
    with translation.override("zh-hans"):
        zh = str(field.verbose_name)
    with translation.override("en"):
        en = str(field.verbose_name)
    return InvalidValue(f"{zh}：{invalid.message_zh}", f"{en[:1].upper()}{en[1:]}: {invalid.message_en}")


def text_limit(model: type[TextLimited], field: str) -> int:
    """The cap of a model's free-text field (its TEXT_LIMITS)."""
    return model.TEXT_LIMITS[field]


# --- money and months (performance records) ----------------------------------------

# Yuan with at most two decimals, thousands separated by "," in groups of three or not at all.
_MONEY = re.compile(r"([+-]?)(\d{1,3}(?:,\d{3})+|\d+)(?:\.(\d+))?")
_MONEY_EXPONENT = re.compile(r"[+-]?\d+(?:\.\d+)?[eE][+-]?\d+")  # how a huge Excel number reads
_CURRENCY = ("¥", "RMB", "CNY")
MONEY_MAX = Decimal(10) ** 12  # Decimal(14, 2) holds less than this
CENT = Decimal("0.01")
_FLOAT_NOISE = Decimal("1e-6")


def parse_money(value: str) -> Decimal:
    """An amount in yuan, to the cent: 1234.5, "1,234.50", "¥1234", "1234元", "1.2万" (× 10,000),
    "-300" (a refund), in ASCII or full-width characters. An Excel number's binary noise
    (1234.5600000000001) is rounded to the cent; a typed third decimal is refused."""
    text_value = normalise(value).strip().replace(" ", "")
    upper = text_value.upper()
    for sign in _CURRENCY:
        if upper.startswith(sign):
            text_value = text_value[len(sign):]
            break
    if text_value.endswith("元"):
        text_value = text_value[:-1]
    scale = 1
    if text_value.endswith("万"):
        text_value, scale = text_value[:-1], 10_000
    found = _MONEY.fullmatch(text_value)
    if found is not None:
        sign, whole, fraction = found.groups()
        amount = Decimal(f"{sign}{whole.replace(',', '')}.{fraction or '0'}")
    elif _MONEY_EXPONENT.fullmatch(text_value):
        amount = Decimal(text_value)
    else:
        raise InvalidValue(
            "不是金额：应为数字，可带千位分隔符、¥ 或“万”，如 1,234.50、¥1234、1.2万。",
            "Not an amount: a number, with thousands separators, ¥ or 万 allowed, "
            "e.g. 1,234.50, ¥1234, 1.2万.",
        )
    exact = amount * scale
    if abs(exact) >= MONEY_MAX:
        raise InvalidValue("金额过大（应小于一万亿元）。", "The amount is too large (under 10^12 yuan).")
    amount = exact.quantize(CENT, rounding=ROUND_HALF_UP)
    # An Excel number's float noise is far below a cent; a typed third decimal is not.
    if abs(exact - amount) > _FLOAT_NOISE:
        raise InvalidValue("金额最多保留两位小数（分）。", "An amount has at most two decimals (fen).")
    return amount


_MONTH_FORMS = (
    re.compile(r"(\d{4})[-/.](\d{1,2})"),
    re.compile(r"(\d{4})年(\d{1,2})月(?:份)?"),
    re.compile(r"(\d{4})(\d{2})"),
)


def parse_month(value: str) -> date:
    """A month as its first day: "2026-03", "2026/3", "2026.3", "2026年3月", "202603", or a
    date in it ("2026-03-15", what an Excel date cell reads as), ASCII or full-width."""
    text_value = normalise(value).strip()
    for form in _MONTH_FORMS:
        found = form.fullmatch(text_value)
        if found:
            year, month = (int(part) for part in found.groups())
            break
    else:
        try:
            day = parse_date(text_value)
        except InvalidValue:
            raise InvalidValue(
                "月份格式应为 YYYY-MM、YYYY/M 或 YYYY年M月。",
                "A month must be written YYYY-MM, YYYY/M or YYYY年M月.",
            ) from None
        year, month = day.year, day.month
    if not 1 <= month <= 12:
        raise InvalidValue("月份应在 1 到 12 之间。", "The month must be between 1 and 12.")
    if not 1900 <= year <= 2999:
        raise InvalidValue("年份应在 1900 到 2999 之间。", "The year must be between 1900 and 2999.")
    return date(year, month, 1)
