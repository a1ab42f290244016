"""An evidence record's values, checked one way (the ratings import's columns now; the
assessment issue's forms and API later)."""

import re
from decimal import Decimal, InvalidOperation

from casspath.core import validators
from casspath.core.errors import InvalidValue

_LEVEL = re.compile(r"^(?:L|l|Lv|lv|LV)?\s*([1-5])(?:\.0+)?\s*(?:级)?$")
_SCORE = re.compile(r"^(\d{1,3}(?:\.\d+)?)\s*(?:分)?$")


def level(value: str) -> int:
    """A level 1–5: "3", "3.0", "L3", "3级"."""
    found = _LEVEL.match(validators.normalise(value).strip())
    if found is None:
        raise InvalidValue("等级须为 1 至 5 的整数。", "A level must be a whole number from 1 to 5.")
    return int(found.group(1))


def score(value: str) -> Decimal:
    """A score 0–100 with at most two decimals: "87", "87.5", "87.5分"."""
    found = _SCORE.match(validators.normalise(value).strip())
    try:
        number = Decimal(found.group(1)) if found else None
    except InvalidOperation:
        number = None
    if number is None or not 0 <= number <= 100:
        raise InvalidValue("分数须为 0 至 100 之间的数。", "A score must be a number from 0 to 100.")
    if number != number.quantize(Decimal("0.01")):
        raise InvalidValue("分数最多两位小数。", "A score may have at most two decimals.")
    return number.quantize(Decimal("0.01"))
