"""The order of a process step's cases (案例地图): best first.

Rule (documented, pure): a case's score is its smoothed useful rate, decayed with its age,
plus the reviewer's pick bonus.

    rate  = (useful + PRIOR_USEFUL) / (readers + PRIOR_READERS)
    decay = 0.5 ** (age_days / HALF_LIFE_DAYS)
    score = rate × decay + (PICK_BONUS if picked else 0)

`useful` is the number of readers who marked the case useful (有用), `readers` the number
who opened it (never fewer than `useful`: a mark implies a read), `age_days` the days since
it was published. The prior (1 useful mark in 5 readers, a rate of 0.2) keeps a case with one
reader who marked it from outranking one with 40 of 100: (1+1)/(1+5) = 0.33 against
(40+1)/(100+5) = 0.39. The half-life of 180 days lets newer experience rise; the pick bonus
(0.2, not decayed) is the reviewer's word that the case is exemplary.
Ties: the one published later first, then the higher id.

Example: 3 useful of 10 readers, published 180 days ago, picked:
(3+1)/(10+5) = 0.2667, × 0.5 = 0.1333, + 0.2 = 0.3333.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

PRIOR_USEFUL = 1
PRIOR_READERS = 5
HALF_LIFE_DAYS = 180
PICK_BONUS = 0.2


@dataclass(frozen=True)
class CaseFigures:
    """What the rule reads of one published case."""

    case_id: int
    useful: int
    readers: int
    published_at: datetime
    picked: bool = False


def case_score(useful: int, readers: int, age_days: float, picked: bool = False) -> float:
    for name, value in (("useful", useful), ("readers", readers)):
        if not isinstance(value, int) or value < 0:
            raise ValueError(f"{name} must be a non-negative integer, got {value!r}")
    readers = max(readers, useful)
    rate = (useful + PRIOR_USEFUL) / (readers + PRIOR_READERS)
    decay = 0.5 ** (max(age_days, 0.0) / HALF_LIFE_DAYS)
    return rate * decay + (PICK_BONUS if picked else 0.0)


def age_in_days(published_at: datetime, now: datetime) -> float:
    return max((now - published_at).total_seconds() / 86400, 0.0)


def rank_cases(figures: Iterable[CaseFigures], now: datetime) -> list[int]:
    """The cases' ids, best first (score, then published later, then higher id)."""
    scored = [
        (
            case_score(f.useful, f.readers, age_in_days(f.published_at, now), f.picked),
            f.published_at,
            f.case_id,
        )
        for f in figures
    ]
    scored.sort(key=lambda row: (row[0], row[1], row[2]), reverse=True)
    return [case_id for _, _, case_id in scored]
