"""What an import tells its user: counts, every bad row, warnings, a preview of the changes."""

import json
from dataclasses import asdict, dataclass, field

from casspath.imports.errors import ImportFileError, ImportWarning, RowError

PREVIEW_LIMIT = 200


@dataclass
class Change:
    """One planned write: the row it comes from, its natural key, and the fields it changes."""

    row: int
    key: str
    action: str  # "create" | "update" | "deactivate"
    fields: dict[str, list] = field(default_factory=dict)  # {field: [old, new]}

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
    errors: list[RowError] = field(default_factory=list)
    warnings: list[ImportWarning] = field(default_factory=list)
    preview: list[Change] = field(default_factory=list)
    missing: list[dict] = field(default_factory=list)  # roster: in the file's units, not in the file
    missing_total: int = 0  # how many are missing; `missing` names the first of them

    def add_change(self, change: Change) -> None:
        if len(self.preview) < PREVIEW_LIMIT:
            self.preview.append(change)

    def fail_file(self, error: ImportFileError) -> None:
        self.file_error = error.as_dict()
        self.ok = False

    def as_dict(self) -> dict:
        data = asdict(self)
        data["errors"] = [error.as_dict() for error in self.errors]
        data["warnings"] = [warning.as_dict() for warning in self.warnings]
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
        return cls(**{key: value for key, value in data.items() if key in known})

    def lines(self) -> list[str]:
        """The report as text, for the CLI: counts, then every problem, one per line."""
        out = []
        if self.file_error:
            out.append(
                f"文件错误 / File error: {self.file_error['message_zh']} / {self.file_error['message_en']}"
            )
        out.append(
            f"{self.kind} {self.filename}: {'dry run' if self.dry_run else 'import'}; "
            f"rows {self.total}, created {self.created}, updated {self.updated}, "
            f"unchanged {self.unchanged}, deactivated {self.deactivated}, errors {len(self.errors)}"
        )
        for warning in self.warnings:
            out.append(f"警告 / warning: {warning}")
        for error in self.errors:
            out.append(
                f"第 {error.row} 行 / row {error.row}\t{error.column}\t{error.value!r}\t"
                f"{error.reason_zh}\t{error.reason_en}"
            )
        if self.missing:
            total = max(self.missing_total, len(self.missing))
            out.append(f"文件中缺少的在职员工 / active employees missing from the file: {total}")
            for item in self.missing[:CLI_MISSING_LISTED]:
                out.append(f"  {item['key']} {item.get('name', '')} {item.get('unit', '')}")
            if total > CLI_MISSING_LISTED:
                more = total - CLI_MISSING_LISTED
                out.append(f"  …另有 {more} 人 / and {more} more")
        return out
