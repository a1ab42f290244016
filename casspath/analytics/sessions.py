"""The clock of a team session run from a lecturer manual (讲师手册).

Rule: a product course's team session lasts 15 to 20 minutes (班组学习: a slot before the
shift). Its segments run one after another, so segment i starts at the sum of the minutes
of the segments before it and ends at its start plus its own minutes; the session's length
is the sum of all of them. Example: segments of 3, 5, 4, 5 and 2 minutes start at 0, 3, 8,
12 and 17 and end at 3, 8, 12, 17 and 19: 19 minutes, within 15–20.
"""

from dataclasses import dataclass

MIN_SESSION_MINUTES = 15
MAX_SESSION_MINUTES = 20


@dataclass(frozen=True)
class Slot:
    start: int  # minutes from the session's start
    end: int

    @property
    def label(self) -> str:
        """ "00:03–00:08" style: minutes and seconds of the running clock."""
        return f"{self.start:02d}:00–{self.end:02d}:00"


@dataclass(frozen=True)
class SessionLength:
    total: int
    low: int = MIN_SESSION_MINUTES
    high: int = MAX_SESSION_MINUTES

    @property
    def within(self) -> bool:
        return self.low <= self.total <= self.high

    @property
    def short_by(self) -> int:
        return max(0, self.low - self.total)

    @property
    def over_by(self) -> int:
        return max(0, self.total - self.high)


def _checked(minutes: list[int]) -> list[int]:
    for index, value in enumerate(minutes, start=1):
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise ValueError(f"segment {index}: minutes must be a positive integer, got {value!r}")
    return list(minutes)


def timeline(minutes: list[int]) -> list[Slot]:
    """Each segment's start and end on the session's clock, in order."""
    slots, clock = [], 0
    for value in _checked(minutes):
        slots.append(Slot(clock, clock + value))
        clock += value
    return slots


def session_length(minutes: list[int]) -> SessionLength:
    """The session's total minutes, and whether it is within 15–20."""
    return SessionLength(sum(_checked(minutes)))
