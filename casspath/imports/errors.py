"""What an import says when input is bad: always in Chinese and English, always naming where."""

from dataclasses import asdict, dataclass


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong type, corrupt, empty, missing columns).

    The only exception an import parser may raise on bad input.
    """

    def __init__(self, message_zh: str, message_en: str):
        super().__init__(f"{message_zh} / {message_en}")
        self.message_zh = message_zh
        self.message_en = message_en


@dataclass(frozen=True)
class RowError:
    """One bad value: its row as the user sees it in Excel (header = row 1), its column
    as headed in the file, the value, and the reason."""

    row: int
    column: str
    value: str
    reason_zh: str
    reason_en: str

    def as_dict(self) -> dict:
        return asdict(self)

    def __str__(self) -> str:
        return f"row {self.row}, {self.column} = {self.value!r}: {self.reason_zh} / {self.reason_en}"
