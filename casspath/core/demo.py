"""What the demo's parts share. Each app that has demo data adds a part in its own
`demo.py` (a module-level `part`, a `DemoPart`); the site's orchestrator
(casspath/site/demo.py) runs them in INSTALLED_APPS order from one seed, in one transaction.

A part is deterministic in (managers, seed): one `random.Random` seeded from them (a part
other than org's seeds its own from f"{seed}:{label}", so that adding a part changes no
other part's data), lists rather than sets, and `DEMO_TODAY` rather than the clock.
"""

import time
from abc import ABC, abstractmethod
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from django.db import connection, models
from django.utils import timezone

from casspath.core.errors import BilingualError

# Tenure is measured on this day, not today, so that a seed's stages never drift.
DEMO_TODAY = date(2026, 6, 30)
MAX_MANAGERS = 200_000
# SQLite refuses a query with more than 32,766 parameters: look up big lists in slices.
CHUNK = 5000
# A build prints where it is at most this often (seconds), and not at all when it is quicker.
PROGRESS_EVERY = 3.0
# Rows per INSERT batch on SQLite (COPY streams them all on PostgreSQL).
INSERT_BATCH = 5000


class DemoError(BilingualError):
    """The demo cannot be built as asked; says why in Chinese and English."""


@dataclass(frozen=True)
class ShowcaseLogin:
    """A login printed at the end of the build, one per role."""

    role: str
    username: str
    name: str
    unit: str


@dataclass
class DemoRun:
    """One build of the demo: its size, its seed, who acts, and what earlier
    parts hand to later ones in `shared` (org puts the province there, for instance)."""

    managers: int
    seed: int
    acting_user: Any
    shared: dict[str, Any] = field(default_factory=dict)
    # Where progress lines go (the command prints them); None: nowhere.
    on_progress: Callable[[str], None] | None = None
    started: float = field(default_factory=time.monotonic)
    last_progress: float = 0.0

    def __post_init__(self):
        if not 1 <= self.managers <= MAX_MANAGERS:
            raise DemoError(f"客户经理人数须在 1 到 {MAX_MANAGERS} 之间：{self.managers}",
                            f"the number of managers must be between 1 and {MAX_MANAGERS}: {self.managers}")
        self.last_progress = self.started

    def progress(self, what: str, done: int | None = None, total: int | None = None) -> None:
        """Say what the build is doing: at each step (`done` None) and at most every
        PROGRESS_EVERY seconds within one, once the build has taken that long."""
        now = time.monotonic()
        if self.on_progress is None or now - self.started < PROGRESS_EVERY:
            return
        if done is not None and now - self.last_progress < PROGRESS_EVERY:
            return
        self.last_progress = now
        count = f" {done:,}/{total:,}" if done is not None and total is not None else ""
        self.on_progress(f"  … {what}{count} ({now - self.started:.0f} s)")


class DemoPart(ABC):
    """One app's share of the demo. `build` creates what is missing and touches nothing
    that exists, so that a second run of the same seed changes nothing."""

    def conflicts(self, run: DemoRun) -> list[str]:
        """Codes or names the part would use that data not made by the demo already holds."""
        return []

    @abstractmethod
    def build(self, run: DemoRun) -> dict[str, int]:
        """Create what is missing; return how many of each thing were created."""

    def describe(self, run: DemoRun) -> list[str]:
        """Lines for the command's summary, after a build."""
        return []

    def logins(self, run: DemoRun) -> list[ShowcaseLogin]:
        """Logins to print, one per role this part's data gives."""
        return []


def chunks(values) -> list[list]:
    values = list(values)
    return [values[start:start + CHUNK] for start in range(0, len(values), CHUNK)]


def pairs(queryset, key: str, values, *fields: str) -> list[tuple]:
    """`queryset.filter(<key>__in=values).values_list(*fields)`, for lists of any length."""
    rows: list[tuple] = []
    for chunk in chunks(values):
        rows += queryset.filter(**{f"{key}__in": chunk}).values_list(*fields)
    return rows



_AS_IS = (models.CharField, models.TextField, models.IntegerField, models.BooleanField, models.ForeignKey)


def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence],
                run: DemoRun | None = None, what: str = "") -> None:
    """INSERT `rows` (tuples of the values of `fields`: field names or attnames such as
    "org_unit_id") into `model`'s table: COPY on PostgreSQL, executemany in batches on SQLite.
    The other columns take their defaults (auto_now and auto_now_add fields: now).

    For the demo's 100,000s of rows: `bulk_create` builds a model instance and compiles each
    value (a minute for 300,000 rows), where the database needs seconds. No signals are sent
    (as with bulk_create) and nothing is validated: the values must be valid already, as the
    demo's are by construction (its tests validate them). Progress goes to `run`.
    """
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    if not all(isinstance(field, models.Field) and field.column for field in given):
        raise ValueError(f"not all of {fields} are columns of {meta.label}")
    others = [f for f in meta.concrete_fields if f not in given and not isinstance(f, models.AutoField)]
    now = timezone.now()
    defaults: list = []
    for other in others:
        if getattr(other, "auto_now", False) or getattr(other, "auto_now_add", False):
            defaults.append(now if isinstance(other, models.DateTimeField) else now.date())
        elif other.null or other.get_default() is not None:  # "" for text fields
            defaults.append(other.get_default())
        else:
            raise ValueError(f"{meta.label}.{other.name} has no default: give it")
    columns = [field for field in [*given, *others] if isinstance(field, models.Field)]
    converters = [_converter(column) for column in columns]
    tail = tuple(convert(value) if convert else value
                 for convert, value in zip(converters[len(given):], defaults, strict=True))
    head_converters = list(enumerate(converters[:len(given)]))
    converting = [(i, convert) for i, convert in head_converters if convert is not None]

    def prepared(row: Sequence) -> tuple:
        if converting:
            row = list(row)
            for i, convert in converting:
                row[i] = convert(row[i])
        return (*row, *tail)

    quote = connection.ops.quote_name
    names = ", ".join(quote(str(column.column)) for column in columns)
    table = quote(meta.db_table)
    total = len(rows)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:  # noqa: S608 - model names
                for done, row in enumerate(rows, start=1):
                    copy.write_row(prepared(row))
                    if run is not None and done % INSERT_BATCH == 0:
                        run.progress(what, done, total)
            return
        sql = f"INSERT INTO {table} ({names}) VALUES ({', '.join(['%s'] * len(columns))})"  # noqa: S608
        for start in range(0, total, INSERT_BATCH):
            cursor.executemany(sql, [prepared(row) for row in rows[start:start + INSERT_BATCH]])
            if run is not None:
                run.progress(what, min(start + INSERT_BATCH, total), total)


def _converter(column: models.Field) -> Callable[[Any], Any] | None:
    """How a Python value becomes the driver's; None where the driver takes it as it is."""
    if isinstance(column, models.DateTimeField):
        return None if connection.vendor == "postgresql" else connection.ops.adapt_datetimefield_value
    if isinstance(column, models.DateField):
        return None if connection.vendor == "postgresql" else connection.ops.adapt_datefield_value
    if isinstance(column, _AS_IS):
        return None
    return lambda value: column.get_db_prep_save(value, connection)
