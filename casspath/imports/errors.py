"""What an import says when input is bad: always in Chinese and English, always naming where."""

from dataclasses import asdict, dataclass

from casspath.core.errors import BilingualError, InvalidValue

# A report quotes values, not whole cells: a 50 MB cell must not make a 50 MB report.
VALUE_LIMIT = 200
MESSAGE_LIMIT = 600


def shorten(text, limit: int = VALUE_LIMIT) -> str:
    """The text (None as ""), cut to `limit` characters with an ellipsis when longer."""
    text = "" if text is None else str(text)
    return text if len(text) <= limit else text[: limit - 1] + "…"


class ImportFileError(BilingualError):
    """The file as a whole cannot be read (wrong type, corrupt, empty, missing columns).

    The only exception an import parser may raise on bad input.
    """


class UploadTooLarge(ImportFileError):
    """The uploaded file is larger than the import limit (settings IMPORT_MAX_UPLOAD_BYTES)."""


# A column parser raises the core validators' one error for a bad value; the framework turns
# it into a `RowError` naming the row, the column and the value.
Invalid = InvalidValue


@dataclass(frozen=True)
class RowError:
    """One bad value: its row as the user sees it in Excel (header = row 1), its column
    as headed in the file, the value, and the reason."""

    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def __post_init__(self):
        object.__setattr__(self, "column", shorten(self.column))
        object.__setattr__(self, "value", shorten(self.value))
        object.__setattr__(self, "reason_zh", shorten(self.reason_zh, MESSAGE_LIMIT))
        object.__setattr__(self, "reason_en", shorten(self.reason_en, MESSAGE_LIMIT))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "RowError":
        return cls(
            int(data["row"]),
            str(data["column"]),
            str(data["value"]),
            str(data["reason_zh"]),
            str(data["reason_en"]),
        )

    def __str__(self) -> str:
        return f"row {self.row}, {self.column} = {self.value!r}: {self.reason_zh} / {self.reason_en}"


@dataclass(frozen=True)
class ImportWarning:
    """Something the user should know that does not stop the import (an unknown column)."""

    message_zh: str
    message_en: str

    def __post_init__(self):
        object.__setattr__(self, "message_zh", shorten(self.message_zh, MESSAGE_LIMIT))
        object.__setattr__(self, "message_en", shorten(self.message_en, MESSAGE_LIMIT))

    def as_dict(self) -> dict:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportWarning":
        return cls(str(data["message_zh"]), str(data["message_en"]))

    def __str__(self) -> str:
        return f"{self.message_zh} / {self.message_en}"


class RowsRefused(Exception):
    """Raised by an importer's `apply` when rows turn out not to be writable after all (a
    new 工号 another import created meanwhile): the run's transaction is rolled back, and
    the framework reports `errors` as the import's row errors (nothing is written)."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"{len(errors)} rows refused")
        self.errors = errors
