"""Column specs: what an import's columns are called, what they accept, how a cell is parsed.

A parser takes the cell's stripped, non-empty text and returns the value, or raises
`Invalid(reason_zh, reason_en)`; the rules of values are `casspath.core.validators`', which
forms, models and the API use too. Parsers that need the database (value lists, units) are
built once per run by the importer (`TabularImporter.parsers`), never per row.
"""

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date

from casspath.core import validators
from casspath.imports.errors import ImportFileError, ImportWarning, Invalid

Parser = Callable[[str], object]


@dataclass(frozen=True)
class Column:
    key: str
    header_zh: str
    header_en: str
    synonyms: tuple[str, ...] = ()
    required: bool = False  # the column must be in the file
    blank_ok: bool = True  # a cell in it may be empty
    parse: Parser | None = None  # static parser; importers may supply one per run instead
    choices: Callable[[], Sequence[str]] | None = None  # drop-down values in the template
    note_zh: str = ""
    note_en: str = ""

    def names(self) -> set[str]:
        return {normalise_header(name) for name in (self.key, self.header_zh, self.header_en, *self.synonyms)}


_HEADER_NOISE = re.compile(r"[\s_\-*＊:：]|[(（](必填|选填|required|optional)[)）]", re.IGNORECASE)


def normalise_header(text: str) -> str:
    """Case-, space-, underscore- and marker-insensitive form of a header."""
    return _HEADER_NOISE.sub("", str(text)).lower()


@dataclass
class HeaderMatch:
    """Where each known column sits in the file, and what the file calls it."""

    index: dict[str, int] = field(default_factory=dict)  # key -> column index
    headers: dict[str, str] = field(default_factory=dict)  # key -> header as written
    warnings: list[ImportWarning] = field(default_factory=list)


def match_headers(header_row: list[str], columns: Sequence[Column]) -> HeaderMatch:
    """Map the file's headers onto the columns; refuse missing required or doubled columns."""
    lookup: dict[str, Column] = {}
    for known in columns:
        for name in known.names():
            lookup[name] = known
    match = HeaderMatch()
    for index, raw in enumerate(header_row):
        text = raw.strip().replace(validators.NUL, validators.SHOWN_NUL)
        if not text:
            continue
        column = lookup.get(normalise_header(text))
        if column is None:
            match.warnings.append(
                ImportWarning(
                    f"未识别的列“{text}”（第 {column_letter(index)} 列）已忽略。",
                    f"Unknown column '{text}' (column {column_letter(index)}) was ignored.",
                )
            )
            continue
        if column.key in match.index:
            first = match.headers[column.key]
            raise ImportFileError(
                f"列“{first}”与“{text}”是同一列（{column.header_zh}），请只保留一列。",
                f"Columns '{first}' and '{text}' are the same column ({column.header_en}): keep one.",
            )
        match.index[column.key] = index
        match.headers[column.key] = text
    missing = [column for column in columns if column.required and column.key not in match.index]
    if missing:
        raise ImportFileError(
            "缺少必需的列：" + "、".join(c.header_zh for c in missing) + "。请使用导入模板的表头。",
            "Required columns are missing: "
            + ", ".join(c.header_en for c in missing)
            + ". Use the headers of the import template.",
        )
    return match


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: how Excel names a column."""
    letters = ""
    index += 1
    while index:
        index, rest = divmod(index - 1, 26)
        letters = chr(65 + rest) + letters
    return letters


# --- reusable parsers ------------------------------------------------------------------


def text(max_length: int) -> Parser:
    def parse(value: str) -> str:
        return validators.text(value, max_length)

    def whole_column(values) -> list | None:
        return list(values) if max(map(len, values), default=0) <= max_length else None

    # A parser may offer `whole_column(values)`: every value parsed at C speed, or None when
    # some value needs the cell-by-cell path (which names it). NUL is refused for every
    # column by the framework before any parser runs.
    parse.whole_column = whole_column  # type: ignore[attr-defined]  # mypy knows no function attributes
    return parse


# Codes, one a line: `validators.code`'s pattern, for a whole column at once.
_CODES = re.compile(f"{validators.CODE_PATTERN}(?:\n{validators.CODE_PATTERN})*")


def code(max_length: int, *, upper: bool = False) -> Parser:
    """A code (`validators.code`): it names its object in web addresses. Normalised (NFKC),
    and upper-cased when `upper` (unit codes)."""

    def parse(value: str) -> str:
        return validators.code(value, max_length, upper=upper)

    def is_stored_form(value: str) -> bool:
        try:
            return validators.code(value, upper=upper) == value
        except Invalid:
            return False

    def whole_column(values) -> list | None:
        # Only when every value is already as stored; otherwise cell by cell, which rewrites.
        values = list(values)
        if max(map(len, values), default=0) > max_length:
            return None
        joined = "\n".join(values)
        one_a_line = joined.count("\n") == len(values) - 1  # no value holds a line break
        as_stored = not upper or joined.upper() == joined
        if joined.isascii() and one_a_line and as_stored and _CODES.fullmatch(joined):
            return values  # ASCII is its own NFKC: the code's pattern matched once, the column's
        if not all(map(is_stored_form, values)):
            return None
        return values

    parse.whole_column = whole_column  # type: ignore[attr-defined]  # mypy knows no function attributes
    return parse


def choice(options: Mapping[str, object], shown: Sequence[str]) -> Parser:
    """A value from a list; `options` maps each accepted spelling (any case) to its value."""
    table = {normalise_choice(name): value for name, value in options.items()}
    listing_zh = "、".join(shown)
    listing_en = ", ".join(shown)

    exact = dict(options)

    def parse(value: str):
        try:
            return exact[value]
        except KeyError:
            pass
        try:
            return table[normalise_choice(value)]
        except KeyError:
            raise Invalid(
                f"不是可选值之一（{listing_zh}）。", f"Not one of the allowed values ({listing_en})."
            ) from None

    return parse


def cached(parse: Parser) -> Parser:
    """Remember each distinct value's verdict (a value, or the Invalid it raised)."""
    memo: dict[str, object] = {}

    def parse_cached(value: str):
        try:
            found = memo[value]
        except KeyError:
            try:
                found = parse(value)
            except Invalid as invalid:
                found = invalid
            memo[value] = found
        if type(found) is Invalid:
            raise Invalid(found.message_zh, found.message_en)  # fresh: no growing traceback
        return found

    inner_whole = getattr(parse, "whole_column", None)

    def whole_column(values) -> list | None:
        distinct = list(set(values))
        parsed = inner_whole(distinct) if inner_whole is not None else None
        if parsed is not None:  # every distinct value parsed at once (codes as stored)
            verdicts = dict(zip(distinct, parsed, strict=True))
        else:
            verdicts = {}
            for value in distinct:
                try:
                    verdicts[value] = parse_cached(value)
                except Invalid:
                    return None
        return list(map(verdicts.__getitem__, values))

    parse_cached.whole_column = whole_column  # type: ignore[attr-defined]  # as above
    return parse_cached


def normalise_choice(value: str) -> str:
    return " ".join(str(value).split()).lower().replace("_", " ")


parse_date = validators.parse_date
mobile_phone = validators.mobile_phone
email = validators.email


def past_date(today: date, earliest: date = date(1900, 1, 1)) -> Parser:
    """A date not after `today`; cached, since a roster repeats the same dates."""
    cache: dict[str, date] = {}

    def parse(value: str) -> date:
        found = cache.get(value)
        if found is not None:
            return found
        parsed = validators.past_date(parse_date(value), today, earliest)
        cache[value] = parsed
        return parsed

    return parse


# Money as most files hold it: digits, a point and at most two decimals, nothing else.
_PLAIN_MONEY = re.compile(r"-?\d{1,12}(?:\.\d{1,2})?")


def money(value: str):
    """An amount in yuan to the cent (`validators.parse_money`): Excel numbers, "1,234.50",
    "¥1234", "1.2万", full-width digits."""
    return validators.parse_money(value)


def _money_column(values) -> list | None:
    # A column of plain numbers (what Excel's number cells read as) is parsed at C speed;
    # any other spelling goes cell by cell through `parse_money`.
    from decimal import Decimal

    values = list(values)
    if not all(map(_PLAIN_MONEY.fullmatch, values)):
        return None
    return list(map(Decimal, values))


money.whole_column = _money_column  # type: ignore[attr-defined]  # mypy knows no function attributes


def month() -> Parser:
    """A month as its first day (`validators.parse_month`), cached: a file repeats few months."""
    return cached(validators.parse_month)
