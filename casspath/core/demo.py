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

from django.db import models
from django.utils import timezone

from casspath.core import bulk
from casspath.core.errors import BilingualError

# Tenure is measured on this day, not today, so that a seed's stages never drift.
DEMO_TODAY = date(2026, 6, 30)
MAX_MANAGERS = 200_000
# SQLite refuses a query with more than 32,766 parameters: look up big lists in slices.
CHUNK = 5000
# A build prints where it is at most this often (seconds), and not at all when it is quicker.
PROGRESS_EVERY = 3.0


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

    # A part that reads what every other part wrote (the search index) runs after them all.
    runs_last: bool = False

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



def insert_rows(model: type[models.Model], fields: Sequence[str], rows: Sequence[Sequence],
                run: DemoRun | None = None, what: str = "") -> None:
    """INSERT `rows` (tuples of the values of `fields`: field names or attnames such as
    "org_unit_id") into `model`'s table through the one bulk writer (core/bulk.py: COPY on
    PostgreSQL, multi-row INSERTs on SQLite). The other columns take their defaults
    (auto_now and auto_now_add fields: now).

    For the demo's 100,000s of rows: `bulk_create` builds a model instance and compiles each
    value (a minute for 300,000 rows), where the database needs seconds. No signals are sent
    (as with bulk_create) and nothing is validated: the values must be valid already, as the
    demo's are by construction (its tests validate them). Progress goes to `run`.
    """
    meta = model._meta
    given = [meta.get_field(name) for name in fields]
    if not all(isinstance(f, models.Field) and f.column for f in given):
        raise ValueError(f"not all of {fields} are columns of {meta.label}")
    if not rows:
        return
    names = list(fields)
    columns: list[bulk.Column] = [list(column) for column in zip(*rows, strict=True)]
    now = timezone.now()
    for other in meta.concrete_fields:
        if other in given or isinstance(other, models.AutoField):
            continue
        if getattr(other, "auto_now", False) or getattr(other, "auto_now_add", False):
            default = now if isinstance(other, models.DateTimeField) else now.date()
        elif other.null or other.get_default() is not None:  # "" for text fields
            default = other.get_default()
        else:
            raise ValueError(f"{meta.label}.{other.name} has no default: give it")
        names.append(other.attname)
        columns.append(bulk.Same(default))
    total = len(rows)
    bulk.insert_rows(model, names, columns,
                     None if run is None else (lambda done: run.progress(what, done, total)))
