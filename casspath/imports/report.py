"""What an import tells its user: counts, bad rows, warnings, a preview of the changes.

A report stays small whatever the file: it keeps the first `IMPORT_REPORT_MAX_ITEMS` errors
and warnings (settings, default 1,000) and counts the rest, and quotes values shortened
(errors.py `shorten`), so that 480,000 bad rows or a 50 MB cell make a report of kilobytes.
"""

import json
from collections.abc import Iterable
from dataclasses import asdict, dataclass, field
from typing import Self, SupportsIndex, TypeVar

from django.conf import settings

from casspath.imports.errors import ImportFileError, ImportWarning, RowError, shorten

PREVIEW_LIMIT = 200

T = TypeVar("T")


def max_items() -> int:
    return int(settings.CASSPATH.get("IMPORT_REPORT_MAX_ITEMS", 1000))


class Capped(list[T]):
    """A list that keeps its first `max_items()` items and counts the others in `more`."""

    def __init__(self, items: Iterable[T] = ()):
        super().__init__()
        self.limit = max_items()
        self.more = 0
        self.extend(items)

    def append(self, item: T) -> None:
        if len(self) < self.limit:
            super().append(item)
        else:
            self.more += 1

    def extend(self, items: Iterable[T]) -> None:
        for item in items:
            self.append(item)

    # `+=` takes any iterable, as list's own does (typeshed ignores the same clash with `__add__`).
    def __iadd__(self, items: Iterable[T]) -> Self:  # type: ignore[override, misc]
        self.extend(items)
        return self

    def insert(self, index: SupportsIndex, item: T) -> None:
        if len(self) < self.limit:
            super().insert(index, item)
        else:
            self.more += 1

    @property
    def total(self) -> int:
        return len(self) + self.more


@dataclass
class Change:
    """One planned write: the row it comes from, its natural key, and the fields it changes."""

    row: int
    key: str
    action: str  # "create" | "update" | "deactivate"
    fields: dict[str, list] = field(default_factory=dict)  # {field: [old, new]}
    # The change in the user's words, where field names would not say it (a competency
    # model's new version); shown instead of `fields`.
    text_zh: str = ""
    text_en: str = ""

    def __post_init__(self):
        self.key = shorten(self.key)
        self.fields = {
            shorten(name): [shorten(value) if isinstance(value, str) else value for value in pair]
            for name, pair in self.fields.items()
        }

CLI_MISSING_LISTED = 50  # the CLI names this many employees missing from the file, then counts


@dataclass
class ImportReport:
    kind: str
    filename: str
    dry_run: bool
    ok: bool = False
    applied: bool = False  # written to the database (not a dry run, no error)
    total: int = 0  # data rows read (blank rows skipped)
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    deactivated: int = 0
    sha256: str = ""
    file_error: dict | None = None  # {"message_zh", "message_en"} when the file is unreadable
    errors: Capped[RowError] = field(default_factory=Capped)
    warnings: Capped[ImportWarning] = field(default_factory=Capped)
    preview: list[Change] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)  # roster: in the file's units, not in the file
    missing_total: int = 0  # how many are missing; `missing` names the first of them

    def __post_init__(self):
        if not isinstance(self.errors, Capped):
            self.errors = Capped(self.errors)
        if not isinstance(self.warnings, Capped):
            self.warnings = Capped(self.warnings)

    @property
    def error_count(self) -> int:
        """Every error found, the ones the report keeps and the ones it only counts."""
        return len(self.errors) + getattr(self.errors, "more", 0)

    @property
    def errors_more(self) -> int:
        return getattr(self.errors, "more", 0)

    @property
    def warnings_more(self) -> int:
        return getattr(self.warnings, "more", 0)

    def add_change(self, change: Change) -> None:
        if len(self.preview) < PREVIEW_LIMIT:
            self.preview.append(change)

    def fail_file(self, error: ImportFileError) -> None:
        self.file_error = {
            "message_zh": shorten(error.message_zh, 2000),
            "message_en": shorten(error.message_en, 2000),
        }
        self.ok = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["errors"] = [error.as_dict() for error in self.errors]
        data["warnings"] = [warning.as_dict() for warning in self.warnings]
        data["errors_more"] = self.errors_more
        data["warnings_more"] = self.warnings_more
        return data

    def to_json(self) -> str:
        return json.dumps(self.as_dict(), ensure_ascii=False, default=str)

    @classmethod
    def from_dict(cls, data: dict) -> "ImportReport":
        data = dict(data)
        data["errors"] = [RowError.from_dict(item) for item in data.get("errors", [])]
        data["warnings"] = [ImportWarning.from_dict(item) for item in data.get("warnings", [])]
        data["preview"] = [Change(**item) for item in data.get("preview", [])]
        known = cls.__dataclass_fields__
        report = cls(**{key: value for key, value in data.items() if key in known})
        report.errors.more = int(data.get("errors_more") or 0)
        report.warnings.more = int(data.get("warnings_more") or 0)
        return report

    def lines(self) -> list[str]:
        """The report as text, for the CLI: counts, then every problem kept, one per line."""
        out = []
        if self.file_error:
            out.append(
                f"文件错误 / File error: {self.file_error['message_zh']} / {self.file_error['message_en']}"
            )
        if self.ok:
            out.append(
                f"{self.kind} {self.filename}: {'dry run' if self.dry_run else 'import'}; "
                f"rows {self.total}, created {self.created}, updated {self.updated}, "
                f"unchanged {self.unchanged}, deactivated {self.deactivated}, errors {self.error_count}"
            )
        else:
            # A failed run wrote nothing: what its good rows would have done is no count of it.
            out.append(
                f"{self.kind} {self.filename}: {'dry run' if self.dry_run else 'import'} failed; "
                f"rows {self.total}, errors {self.error_count}"
            )
        for warning in self.warnings:
            out.append(f"警告 / warning: {warning}")
        if self.warnings_more:
            out.append(f"另有 {self.warnings_more} 条警告 / and {self.warnings_more} more warnings")
        for error in self.errors:
            out.append(
                f"第 {error.row} 行 / row {error.row}\t{error.column}\t{error.value!r}\t"
                f"{error.reason_zh}\t{error.reason_en}"
            )
        if self.errors_more:
            out.append(f"另有 {self.errors_more} 个错误 / and {self.errors_more} more errors")
        if self.missing:
            total = max(self.missing_total, len(self.missing))
            out.append(f"文件中缺少的在职员工 / active employees missing from the file: {total}")
            for item in self.missing[:CLI_MISSING_LISTED]:
                out.append(f"  {item['key']} {item.get('name', '')} {item.get('unit', '')}")
            if total > CLI_MISSING_LISTED:
                more = total - CLI_MISSING_LISTED
                out.append(f"  …另有 {more} 人 / and {more} more")
        return out
