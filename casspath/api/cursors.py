"""The API's cursor pages (casspath/core/paging.py keysets), one way for every list: the
`cursor` parameter, its decoding (a forged or damaged cursor is a 400 in both languages)."""

from ninja import Field

from casspath.api.errors import ApiError
from casspath.core import paging

CURSOR_DESCRIPTION = "next_cursor or previous_cursor of a previous answer, unchanged"


def cursor_field(description: str = CURSOR_DESCRIPTION):
    """A list's optional `cursor` query parameter."""
    return Field(None, max_length=paging.CURSOR_MAX_LENGTH, description=description)


def cursor_keys(salt: str, cursor: str | None) -> tuple[str | None, str | None]:
    """(after, before) of a cursor the list handed out with `salt`; (None, None) without one."""
    if cursor is None:
        return None, None
    try:
        return paging.decode_cursor(salt, cursor)
    except paging.InvalidCursor as invalid:
        raise ApiError(400, invalid.message_zh, invalid.message_en) from None
