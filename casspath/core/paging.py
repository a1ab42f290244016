"""Lists that cost the same on their first page as on their last, whatever the size of the
table: counts capped, pages by key (keyset) instead of by offset.

- `capped_count`: exact up to a cap, "more than N" past it. Counting stops at the cap
  (a LIMIT inside the count), so a list of 100,000 employees counts 1,001 rows, not 100,000.
- `keyset_page`: the rows after (or before) a key, read from the key's index: no OFFSET,
  whose cost grows with the page number (OFFSET 90,000 reads and drops 90,000 rows).
- `encode_cursor` / `decode_cursor`: the key of a page as the API hands it out: signed, so a
  forged or damaged cursor is refused (`InvalidCursor`, bilingual) instead of read.
"""

from dataclasses import dataclass
from typing import Generic, TypeVar

from django.core import signing
from django.db.models import Model, QuerySet

from casspath.core.errors import BilingualError

COUNT_CAP = 1000
# Longest cursor accepted (a key of a few dozen characters signs to about a hundred).
CURSOR_MAX_LENGTH = 300

M = TypeVar("M", bound=Model)


@dataclass(frozen=True)
class CappedCount:
    value: int  # the count when exact; else the cap, which the rows exceed
    exact: bool
    cap: int


def capped_count(rows: QuerySet, cap: int | None = None) -> CappedCount:
    """How many `rows` there are, counting no further than `cap` (default `COUNT_CAP`) + 1."""
    cap = COUNT_CAP if cap is None else cap
    found = rows.order_by().select_related(None)[: cap + 1].count()
    return CappedCount(value=min(found, cap), exact=found <= cap, cap=cap)


@dataclass(frozen=True)
class KeysetPage(Generic[M]):
    rows: list[M]
    next_key: str | None  # pass as `after` for the next page; None on the last
    previous_key: str | None  # pass as `before` for the previous page; None on the first


def keyset_page(rows: QuerySet[M], key: str, *, size: int, after: str | None = None,
                before: str | None = None) -> KeysetPage[M]:
    """A page of `rows` in the order of `key` (a unique, non-null field with an index): the
    `size` rows after `after`, or the `size` rows before `before`, or the first ones.

    Two queries: the page (one row more than shown, to know whether another page follows) and
    whether any row lies on the other side (an indexed LIMIT 1).
    """
    rows = rows.order_by()
    if before is not None:
        found = list(rows.filter(**{f"{key}__lt": before}).order_by(f"-{key}")[: size + 1])
        shown = found[:size][::-1]
        more_before = len(found) > size
        more_after = bool(shown) and rows.filter(**{f"{key}__gt": getattr(shown[-1], key)}).exists()
    else:
        page = rows.filter(**{f"{key}__gt": after}) if after is not None else rows
        found = list(page.order_by(key)[: size + 1])
        shown = found[:size]
        more_after = len(found) > size
        more_before = after is not None and bool(shown) and rows.filter(
            **{f"{key}__lt": getattr(shown[0], key)}).exists()
    return KeysetPage(
        rows=shown,
        next_key=getattr(shown[-1], key) if more_after else None,
        previous_key=getattr(shown[0], key) if more_before else None,
    )


def offset_page(rows: QuerySet[M], key: str, *, size: int, offset: int) -> KeysetPage[M]:
    """The `size` rows from `offset` in the order of `key`, for callers that ask by page number
    (an OFFSET: keep it shallow, `MAX_OFFSET`); the keys either side as `keyset_page` gives."""
    found = list(rows.order_by(key)[offset: offset + size + 1])
    shown = found[:size]
    return KeysetPage(
        rows=shown,
        next_key=getattr(shown[-1], key) if len(found) > size else None,
        previous_key=getattr(shown[0], key) if offset and shown else None,
    )


# The deepest row a page number may start at: beyond, pages go by key (an OFFSET reads and
# drops every row before the page).
MAX_OFFSET = 10_000


class InvalidCursor(BilingualError):  # noqa: N818 (a value's verdict, like InvalidValue)
    """A cursor this site did not hand out, or one damaged on the way."""


_CURSOR_REFUSAL = (
    "分页游标无效：请将上一次响应中的 next_cursor 或 previous_cursor 原样传回，"
    "或去掉 cursor 从第一页开始。",
    "Invalid cursor: pass back the next_cursor or previous_cursor of a previous answer unchanged, or leave "
    "cursor out to start from the first page.",
)


def encode_cursor(salt: str, *, after: str | None = None, before: str | None = None) -> str:
    """An opaque, signed cursor for the page after (or before) a key."""
    payload = {"a": after} if after is not None else {"b": before}
    return signing.dumps(payload, salt=salt, compress=False)


def cursor_links(salt: str, next_key, previous_key) -> dict[str, str | None]:
    """An API page's next_cursor and previous_cursor (None at either end) for its keys."""
    return {
        "next_cursor": encode_cursor(salt, after=str(next_key)) if next_key else None,
        "previous_cursor": encode_cursor(salt, before=str(previous_key)) if previous_key else None,
    }


def decode_cursor(salt: str, cursor: str) -> tuple[str | None, str | None]:
    """(after, before) from a cursor `encode_cursor` made with the same salt; InvalidCursor
    for anything else."""
    if len(cursor) > CURSOR_MAX_LENGTH:
        raise InvalidCursor(*_CURSOR_REFUSAL)
    try:
        payload = signing.loads(cursor, salt=salt)
    except (signing.BadSignature, ValueError):
        raise InvalidCursor(*_CURSOR_REFUSAL) from None
    if not isinstance(payload, dict) or len(payload) != 1:
        raise InvalidCursor(*_CURSOR_REFUSAL)
    (field, value), = payload.items()
    if field not in ("a", "b") or not isinstance(value, str):
        raise InvalidCursor(*_CURSOR_REFUSAL)
    return (value, None) if field == "a" else (None, value)
