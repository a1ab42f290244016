"""What the demo's parts share. Each app that has demo data adds a part in its own
`demo.py` (a module-level `part`, a `DemoPart`); the site's orchestrator
(casspath/site/demo.py) runs them in INSTALLED_APPS order from one seed, in one transaction.

A part is deterministic in (managers, seed): one `random.Random` seeded from them (a part
other than org's seeds its own from f"{seed}:{label}", so that adding a part changes no
other part's data), lists rather than sets, and `DEMO_TODAY` rather than the clock.
"""

from abc import ABC, abstractmethod
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from casspath.core.errors import BilingualError

# Tenure is measured on this day, not today, so that a seed's stages never drift.
DEMO_TODAY = date(2026, 6, 30)
MAX_MANAGERS = 200_000
# SQLite refuses a query with more than 32,766 parameters: look up big lists in slices.
CHUNK = 5000


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

    def __post_init__(self):
        if not 1 <= self.managers <= MAX_MANAGERS:
            raise DemoError(f"客户经理人数须在 1 到 {MAX_MANAGERS} 之间：{self.managers}",
                            f"the number of managers must be between 1 and {MAX_MANAGERS}: {self.managers}")


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

