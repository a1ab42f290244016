"""The import framework: one way to parse, validate, plan, apply and report any import.

An `Importer` is registered per kind (see `registry.py` and README.md). Most imports are one
table and subclass `TabularImporter`: they declare `columns`, may build per-run parsers, and
implement `plan` (what would change) and `apply` (write it). Imports of another shape (a
multi-sheet workbook) subclass `Importer` and own `run`.
"""

import gc
import hashlib
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, BinaryIO, Protocol

from django.utils.functional import Promise

from casspath.core import validators
from casspath.core.actors import SystemActor
from casspath.core.audit import AuditVerb, record

if TYPE_CHECKING:
    from casspath.core.audit import UnitRef
from casspath.imports.columns import Column, HeaderMatch, Parser, match_headers
from casspath.imports.errors import ImportFileError, Invalid, RowError, RowsRefused
from casspath.imports.limits import budget_of
from casspath.imports.locks import UnitLines, hold_exclusive, run_locked
from casspath.imports.reader import Sheet, read_table
from casspath.imports.report import ImportReport

# progress(phase, done, total): phase is one of PHASES.
Progress = Callable[[str, int, int], None]
# The phases of a run, in order: reading the file, parsing its cells, waiting for another
# import of the same scope (locks.py), checking and planning against the database, writing
# (and waiting, before writing new employees, for another import writing new ones).
PHASES = ("reading", "validating", "waiting", "planning", "writing", "waiting_numbers")


def _no_progress(phase: str, done: int, total: int) -> None:
    return None


class ImportScope(Protocol):
    """Who may import with an importer, and into which org units. The framework sits below
    the domain apps (docs/CONTRIBUTING.md) and cannot ask org's scopes itself: each importer
    brings its app's scope (org's `scopes.PermScope(perm)` for every importer today)."""

    def allows(self, user) -> bool: ...

    def require(self, user) -> None:
        """Refuse, with a bilingual PermissionDenied, a user who may not import at all."""
        ...

    def unrestricted(self, user) -> bool: ...

    def unit_ids(self, user) -> set[int]: ...

    def reaches_units(self, user, unit_ids: Iterable[int]) -> set[int]:
        """Those of `unit_ids` within the user's scope."""
        ...

    def roots(self, user) -> list[dict]:
        """The user's scope roots as {"id", "code", "name", "path"}, kept with a run."""
        ...

    def root_lines(self, user) -> list[list[int]]:
        """Each of the user's scope roots as the ids of the units from the top of the tree
        down to it (what an import of his locks, locks.py)."""
        ...


def audit_unit(roots: list) -> "UnitRef | None":
    """The unit an import's audit row concerns: the actor's scope root when he has one
    (a run's `scope` snapshot, or `ImportScope.roots`); none for an unrestricted actor ("*")
    or one whose scope has several roots (those rows are seen by unrestricted users only)."""
    from casspath.core.audit import UnitRef  # like `record` below: core's models load late

    if len(roots) == 1 and isinstance(roots[0], dict) and roots[0].get("path"):
        return UnitRef(pk=roots[0]["id"], path=roots[0]["path"])
    return None


@dataclass
class RunContext:
    """What one run knows: who acts, with which options, and the caches importers fill."""

    acting_user: Any
    importer: "Importer"
    filename: str = ""
    sha256: str = ""
    dry_run: bool = True
    options: Mapping[str, Any] = field(default_factory=dict)
    progress: Progress = _no_progress
    # Called with the report inside the transaction that writes the import, last: the caller
    # records its own success there, so the rows and the success commit together or not at all.
    before_commit: Callable[[ImportReport], None] | None = None
    cache: dict[str, Any] = field(default_factory=dict)
    # How long the run waits for its locks (locks.py); None: IMPORT_LOCK_WAIT_SECONDS. A web
    # request (the employee batch API) waits IMPORT_LOCK_WAIT_SECONDS_REQUEST.
    lock_wait_seconds: float | None = None
    # The ImportRun this run is (None: run without one, as benchmarks and some tests do),
    # for importers whose rows say which run wrote them.
    run_id: int | None = None

    def refresh_scope(self) -> None:
        """Forget the actor's roles and units read so far, so that they are read again."""
        self.cache.pop("allowed_unit_ids", None)
        if hasattr(self.acting_user, "_casspath_bindings"):
            del self.acting_user._casspath_bindings

    @property
    def unrestricted(self) -> bool:
        return self.importer.scope.unrestricted(self.acting_user)

    def allowed_unit_ids(self) -> set[int] | None:
        """Ids of the org units the actor may import into; None when he may import anywhere."""
        if self.unrestricted:
            return None
        if "allowed_unit_ids" not in self.cache:
            self.cache["allowed_unit_ids"] = self.importer.scope.unit_ids(self.acting_user)
        return self.cache["allowed_unit_ids"]

    def waiting(self) -> None:
        """The run waits for a lock (locks.py): say so, which also keeps its job's heartbeat."""
        self.progress("waiting", 0, 0)

    def lock(self, name: str, *, phase: str = "waiting") -> None:
        """In `apply`: also hold the company-wide lock `name` until the run's transaction
        ends (locks.hold_exclusive), for a write no scope covers (a new 工号 is unique in the
        whole company). Take it just before that write, the last of the run. `phase` is
        what the run page says while it waits."""
        hold_exclusive(name, waiting=lambda: self.progress(phase, 0, 0), wait_seconds=self.lock_wait_seconds)


@dataclass
class Option:
    """A switch an importer accepts (CLI flag, form checkbox, API field)."""

    name: str
    label: str | Promise
    help_zh: str = ""
    help_en: str = ""
    # A valued option (an org code, a model code) rather than a switch: the CLI takes
    # `--option NAME=VALUE`, the form a text field, the API `options` "NAME=VALUE"; it
    # reaches the importer in `ctx.options[NAME]` as stripped text ("" when not given).
    takes_value: bool = False


OPTION_VALUE_MAX = 100


def option_values(importer: "Importer", given: Mapping[str, Any]) -> dict[str, Any]:
    """The options of a run as kept: switches as booleans, valued options as stripped text
    (at most OPTION_VALUE_MAX characters); undeclared names are dropped."""
    valued = {option.name for option in importer.options if option.takes_value}
    declared = {option.name for option in importer.options}
    kept: dict[str, Any] = {}
    for key, value in given.items():
        if key not in declared:
            continue
        if key in valued:
            text = value.strip()[:OPTION_VALUE_MAX] if isinstance(value, str) else ""
            if text:
                kept[key] = text
        else:
            kept[key] = bool(value)
    return kept


def parse_option_words(importer: "Importer", words: Iterable[str]) -> tuple[dict[str, Any], list[str]]:
    """CLI and API words ("as_draft", "unit=GZ") as options, and the words not understood
    (an undeclared name, a switch given a value, a valued option without one)."""
    kinds = {option.name: option.takes_value for option in importer.options}
    options: dict[str, Any] = {}
    unknown: list[str] = []
    for word in words:
        name, has_value, value = (word or "").partition("=")
        name = name.strip()
        if not name:
            continue
        if name not in kinds or kinds[name] != bool(has_value):
            unknown.append(word.strip())
        else:
            options[name] = value.strip() if has_value else True
    return options, unknown


class Importer(ABC):
    """One kind of import. Subclasses set the attributes and implement `template` and `run`."""

    kind: str = ""
    label: str | Promise = ""
    scope: ImportScope  # every importer sets one
    # The key space of its locks (locks.py): its kind unless it shares one with other writers
    # of the same data (locks.ORG_TREE: the roster, org-unit import and org's single edits).
    lock_space: str = ""
    options: Sequence[Option] = ()
    can_export: bool = False
    # The verbs of an applied import's audit row and of an export's, declared in the
    # importer's app (its audit_verbs.py); `registry.register` refuses an importer without.
    audit_verb: AuditVerb
    export_verb: AuditVerb | None = None
    # Values the report keeps raw (a choice's stored value) that pages show by their label,
    # in the page's language: {column key: {value: label}}.
    value_labels: Mapping[str, Mapping[str, str | Promise]] = {}

    @abstractmethod
    def template(self) -> bytes:
        """An .xlsx template the user fills in."""

    def template_filename(self) -> str:
        return f"casspath-{self.kind}-template.xlsx"

    @abstractmethod
    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        """Parse, validate, plan and (unless ctx.dry_run) apply in one transaction.

        Raise `ImportFileError` for a file that cannot be read; put bad rows in the report.
        """

    def export(self, acting_user, filename: str, out: BinaryIO,
               filters: Mapping[str, str] | None = None) -> int:
        """Write the data the actor may see (narrowed by `filters`, the importer's own list
        filters) to `out`, in the import's own format (.xlsx or .csv by name), through
        core.spreadsheets, and return the number of rows; refuse (ScopeRefused) an actor who
        may not. Callers go through imports.actions.do_export, which writes the audit row.

        Importers that can export set `can_export` and override this."""
        raise ImportFileError(f"“{self.kind}”类型不支持导出。", f"Kind '{self.kind}' cannot be exported.")

    def new_report(self, ctx: RunContext) -> ImportReport:
        return ImportReport(kind=self.kind, filename=ctx.filename, dry_run=ctx.dry_run, sha256=ctx.sha256)

    def lock_units(self, ctx: RunContext) -> UnitLines:
        """The part of the org tree a real run of this import writes to, which it locks
        (locks.py): by default the actor's scope roots, each as the ids from the top of the
        tree down to it; None (the whole tree) for an unrestricted actor. An importer that
        writes elsewhere says so here."""
        if ctx.unrestricted:
            return None
        return self.scope.root_lines(ctx.acting_user)

    def run_locked(self, ctx: RunContext, work: Callable[[], Any]) -> Any:
        """`work()` in the run's write transaction, under the lock of the scope it writes
        (`lock_units`, read again inside the lock with the actor's roles as they are then)."""

        asked: list[bool] = []

        def units_now() -> UnitLines:
            if asked:  # asked again under the lock: his roles as they are now
                ctx.refresh_scope()
            asked.append(True)
            return self.lock_units(ctx)

        return run_locked(self.lock_space or self.kind, work, units=units_now, waiting=ctx.waiting,
                          wait_seconds=ctx.lock_wait_seconds)


@dataclass
class ParsedRow:
    row: int  # as Excel numbers it
    values: dict[str, Any]


@dataclass
class Table:
    """The parsed content of a tabular file, column by column (fast to check and plan).

    `columns[key][i]` is the parsed value of the i-th data row, whose spreadsheet row number
    is `numbers[i]`; a blank cell, or one that failed to parse, is None.
    """

    numbers: list[int]
    columns: dict[str, list]
    present: set[str]  # keys of the columns the file has
    headers: dict[str, str]  # key -> header as written in the file
    bad: set[int] = field(default_factory=set)  # indexes of rows with an error

    def __len__(self) -> int:
        return len(self.numbers)

    @property
    def rows(self) -> list[ParsedRow]:
        """Row by row, for importers whose files are small (org units)."""
        keys = list(self.columns)
        return [
            ParsedRow(number, dict(zip(keys, values, strict=True)))
            for number, values in zip(self.numbers, zip(*self.columns.values(), strict=True), strict=False)
        ]


class TabularImporter(Importer):
    """An import of one table: declared columns, a parse per column, then plan and apply."""

    columns: Sequence[Column] = ()
    sheet_name: str = ""  # the template's data sheet
    instructions_zh: Sequence[str] = ()
    instructions_en: Sequence[str] = ()

    # --- hooks ----------------------------------------------------------------------

    def parsers(self, ctx: RunContext) -> dict[str, Parser]:
        """Parsers for this run by column key; default: each column's static `parse`."""
        return {column.key: column.parse for column in self.columns if column.parse}

    def check(self, ctx: RunContext, table: Table, report: ImportReport) -> None:
        """Cross-column and cross-row checks (duplicates, scope): add RowErrors to the report
        and the rows' indexes to `table.bad`. Cells that failed to parse are None."""

    @abstractmethod
    def plan(self, ctx: RunContext, table: Table, report: ImportReport) -> Any:
        """Work out creates, updates and unchanged rows; fill the report's counts and preview;
        add RowErrors for rows that cannot be applied. Returns the plan for `apply`.

        Rows in `table.bad` already have errors: skip them (the plan will not be applied)
        but report what else is wrong with the others."""

    @abstractmethod
    def apply(self, ctx: RunContext, plan: Any, report: ImportReport) -> None:
        """Write the plan. Runs inside the run's one transaction."""

    def audit_changes(self, ctx: RunContext, report: ImportReport) -> dict:
        return {
            "filename": ctx.filename,
            "sha256": ctx.sha256,
            "rows": report.total,
            "created": report.created,
            "updated": report.updated,
            "unchanged": report.unchanged,
            "deactivated": report.deactivated,
        }

    # --- the run --------------------------------------------------------------------

    def template(self) -> bytes:
        from casspath.imports.template import build_template

        return build_template(self)

    def run(self, data: bytes, ctx: RunContext) -> ImportReport:
        with gc_paused():
            return self.run_sheet(self.read(data, ctx), ctx)[0]

    def read(self, data: bytes, ctx: RunContext) -> Sheet:
        """The file's table, read within the budget of this kind (limits.budget_of)."""
        ctx.progress("reading", 0, 0)
        with budget_of(self.kind):
            return read_table(data, ctx.filename)

    def run_records(self, records: Sequence[Mapping[str, str]], ctx: RunContext) -> tuple[ImportReport, Any]:
        """Rows given as data rather than a file (an API batch), as {column key: text}: the
        same parsing, checks, plan and set-based write as a file's. Record i is row i + 2 of
        the report (as if under a header row). Returns the report and the plan."""
        keys = [column.key for column in self.columns]
        columns = [[key, *((record.get(key) or "").strip() for record in records)] for key in keys]
        return self.run_sheet(Sheet("records", columns=columns), ctx)

    def run_sheet(self, sheet: Sheet, ctx: RunContext) -> tuple[ImportReport, Any]:
        report = self.new_report(ctx)
        # The file's cells are parsed first, outside any transaction: the run's progress is
        # committed as it goes, and nothing here depends on what another import writes.
        header_at, header = header_row(sheet)
        match = match_headers(header, self.columns)
        report.warnings.extend(match.warnings)
        scope = self._scope_seen(ctx)
        table = self.parse_table(ctx, sheet, header_at, match, report)
        if ctx.dry_run or report.errors:
            # Nothing will be written: checked and planned without the lock, so that the
            # report names every problem at once.
            return report, self._check_and_plan(ctx, table, report)
        # Checked, planned and written under the lock of the scope it writes (locks.py), in
        # one transaction: a second import of the same rows waits, then plans against what
        # the first wrote; the actor's scope is read again inside it (his roles may have
        # changed), and the cells parsed again if it did.
        try:
            return self.run_locked(
                ctx, lambda: self._apply_locked(ctx, sheet, (header_at, match, scope), table, report))
        except RowsRefused as refused:
            report.errors.extend(refused.errors)
            report.errors.sort(key=lambda e: e.row)
            report.ok = report.applied = False
            return report, None

    def _scope_seen(self, ctx: RunContext) -> tuple:
        """What the parsers may have judged by: whether the actor is unrestricted, his units."""
        allowed = ctx.allowed_unit_ids()
        return ctx.unrestricted, None if allowed is None else frozenset(allowed)

    def _check_and_plan(self, ctx: RunContext, table: Table, report: ImportReport) -> Any:
        """Check and plan; the plan, with report.ok set when no row is bad."""
        self.check(ctx, table, report)
        # Planned even when rows are bad, so that the report names every problem at once
        # (an unknown parent as well as a bad kind); such a plan is never applied.
        plan = self.plan(ctx, table, report)
        if report.errors:
            report.errors.sort(key=lambda e: e.row)
        else:
            report.ok = True
        return plan

    def _apply_locked(self, ctx: RunContext, sheet: Sheet, parsed: tuple, table: Table,
                      report: ImportReport) -> tuple[ImportReport, Any]:
        header_at, match, scope = parsed
        # (`run_locked` read the actor's roles again once it held the lock.)
        if not may_import(ctx.acting_user, self):
            raise ImportFileError("您已没有导入权限。", "You no longer hold the permission to import.")
        if self._scope_seen(ctx) != scope:
            # His units changed since the cells were parsed (a unit judged in scope then may
            # not be now): parse them again, with his scope as it is under the lock.
            report.errors = type(report.errors)()
            table = self.parse_table(ctx, sheet, header_at, match, report)
        ctx.progress("planning", 0, report.total)
        from casspath.core.jobs import pause_for_tests  # the job machinery's models load late

        pause_for_tests("import.locked")
        plan = self._check_and_plan(ctx, table, report)
        if not report.ok:
            return report, plan
        ctx.progress("writing", 0, report.total)
        self.apply(ctx, plan, report)
        record(
            ctx.acting_user,
            self.audit_verb,
            summary=f"{ctx.filename}: +{report.created} ~{report.updated}",
            changes=self.audit_changes(ctx, report),
            object_type="imports.kind",
            object_id=self.kind,
            unit=None if ctx.unrestricted else audit_unit(self.scope.roots(ctx.acting_user)),
        )
        report.applied = True
        if ctx.before_commit is not None:
            ctx.before_commit(report)
        return report, plan

    def parse_table(
        self, ctx: RunContext, sheet: Sheet, header_at: int, match: HeaderMatch, report: ImportReport
    ) -> Table:
        """Parse column by column: a clean column is one `map` of its parser (no per-cell
        Python beyond the parser itself); a column with blanks or bad values takes the
        careful path that names each problem."""
        numbers, cells = _data_columns(sheet, header_at, max(match.index.values(), default=-1) + 1)
        report.total = rows = len(numbers)
        parsers = self.parsers(ctx)
        by_key = {column.key: column for column in self.columns}
        errors = report.errors
        bad: set[int] = set()
        parsed: dict[str, list] = {}
        formulas = bool(sheet.unsaved_formulas)
        total_cells = max(1, len(match.index)) * rows
        done_cells = 0
        for key, index in sorted(match.index.items(), key=lambda item: item[1]):
            header, parse, blank_ok = match.headers[key], parsers.get(key), by_key[key].blank_ok
            raw = cells[index]
            values: list | None = None
            # A NUL (U+0000, also what calamine makes of an xlsx's "_x0000_") is refused in
            # every column, before any parser: one C-speed scan of the column finds it.
            has_nul = validators.NUL in "".join(raw)
            if "" not in raw and not has_nul:
                whole_column = getattr(parse, "whole_column", None)
                try:
                    if whole_column is not None:
                        values = whole_column(raw)
                    else:
                        values = list(map(parse, raw)) if parse is not None else list(raw)
                except Invalid:
                    values = None  # some value is bad: redo this column cell by cell
            if values is None:
                values = []
                append = values.append
                for i, value in enumerate(raw):
                    if not value:
                        unsaved = formulas and sheet.unsaved_formula(numbers[i] - 1, index)
                        if unsaved:  # not empty: a formula whose value the file lacks
                            errors.append(
                                RowError(numbers[i], header, "", unsaved.message_zh, unsaved.message_en)
                            )
                            bad.add(i)
                        elif not blank_ok:
                            errors.append(
                                RowError(
                                    numbers[i], header, "", "必填，不能为空。", "Required: may not be empty."
                                )
                            )
                            bad.add(i)
                        append(None)
                        continue
                    try:
                        if has_nul:
                            validators.no_nul(value)
                        append(parse(value) if parse is not None else value)
                    except Invalid as invalid:
                        shown = value.replace(validators.NUL, validators.SHOWN_NUL) if has_nul else value
                        errors.append(
                            RowError(numbers[i], header, shown, invalid.message_zh, invalid.message_en)
                        )
                        bad.add(i)
                        append(None)
            parsed[key] = values
            done_cells += rows
            ctx.progress("validating", done_cells * rows // total_cells, rows)
        return Table(numbers, parsed, set(match.index), dict(match.headers), bad)


_gc_pauses = 0  # runs in progress that paused the collector (threads of one process)
_gc_restore = False  # whether it was on before the first of them
_gc_lock = threading.Lock()


@contextmanager
def gc_paused() -> Iterator[None]:
    """The cyclic garbage collector off while a file is read and written: a 100,000-row file
    makes millions of cells, tuples and lists (none of them cycles) whose allocation sets off
    full collections that each walk all of them again (0.3-0.4 s of 2.5). Reference counting
    frees them as usual; the collector is on again afterwards, also when the run fails, once
    the last run overlapping in another thread ends."""
    global _gc_pauses, _gc_restore
    with _gc_lock:
        if _gc_pauses == 0:
            _gc_restore = gc.isenabled()
            gc.disable()
        _gc_pauses += 1
    try:
        yield
    finally:
        with _gc_lock:
            _gc_pauses -= 1
            if _gc_pauses == 0 and _gc_restore:
                gc.enable()


def header_row(sheet: Sheet) -> tuple[int, list[str]]:
    """The first row that holds anything is the header."""
    if sheet.columns is not None:
        height = len(sheet.columns[0]) if sheet.columns else 0
        for index in range(height):
            row = [column[index] for column in sheet.columns]
            if any(row):
                return index, row
    else:
        for index, row in enumerate(sheet.rows):
            if any(row):
                return index, row
    raise ImportFileError("文件中没有任何数据。", "The file holds no data.")


def _data_columns(sheet: Sheet, header_at: int, min_width: int) -> tuple[list[int], list]:
    """Spreadsheet row numbers of the non-blank rows below the header, and their cells by
    column (padded to `min_width` columns)."""
    if sheet.columns is not None:
        columns = [column[header_at + 1 :] for column in sheet.columns]
        height = len(columns[0]) if columns else 0
        if columns and "" not in columns[0]:  # no cell of the first column is empty: no row is
            numbers = list(range(header_at + 2, header_at + 2 + height))
        else:
            blank = [not any(cells) for cells in zip(*columns, strict=True)] if columns else []
            numbers = [header_at + 2 + i for i in range(height) if not blank[i]]
        if len(numbers) != height:
            keep = [i for i in range(height) if not blank[i]]
            columns = [[column[i] for i in keep] for column in columns]
        columns += [[""] * len(numbers) for _ in range(min_width - len(columns))]
        return numbers, columns
    rows = sheet.rows
    numbers = [position + 1 for position in range(header_at + 1, len(rows)) if any(rows[position])]
    body = [rows[number - 1] for number in numbers]
    width = max(max((len(row) for row in body), default=0), min_width)
    body = [row if len(row) == width else row + [""] * (width - len(row)) for row in body]
    return numbers, list(zip(*body, strict=True)) if body else [() for _ in range(width)]


def sha256_of(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def run_import(
    importer: Importer,
    data: bytes,
    filename: str,
    *,
    acting_user,
    dry_run: bool = True,
    options: Mapping[str, Any] | None = None,
    progress: Progress | None = None,
    before_commit: Callable[[ImportReport], None] | None = None,
    run_id: int | None = None,
) -> ImportReport:
    """Run one import and always return a report (a file error is in `report.file_error`).

    The caller has checked that the actor may import (`importer.scope`); rows outside his
    scope are row errors.
    """
    ctx = RunContext(
        acting_user=acting_user,
        importer=importer,
        filename=filename,
        sha256=sha256_of(data),
        dry_run=dry_run,
        options=dict(options or {}),
        progress=progress or _no_progress,
        before_commit=before_commit,
        run_id=run_id,
    )
    try:
        return importer.run(data, ctx)
    except ImportFileError as error:
        report = importer.new_report(ctx)
        report.fail_file(error)
        return report


def may_import(user, importer: Importer) -> bool:
    return isinstance(user, SystemActor) or importer.scope.allows(user)
