"""Roster figures: headcount by growth stage, by tenure year, by any key, by subtree."""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from casspath.analytics.tenure import StageBounds, completed_years, stage_for

K = TypeVar("K", bound=Hashable)  # a key that figures are counted by


def stage_counts(hire_dates: Iterable[date], on: date, bounds: StageBounds) -> dict[str, int]:
    """Headcount per stage code, every stage present (0 where empty), in bound order.

    Hire dates after `on` (people not yet started) are not counted.
    """
    counts = Counter(
        stage_for(completed_years(hire, on), bounds) for hire in hire_dates if hire <= on
    )
    return {code: counts.get(code, 0) for code, _lower, _upper in bounds}


def tenure_histogram(hire_dates: Iterable[date], on: date) -> dict[int, int]:
    """Headcount per completed year of tenure, from 0 to the longest, gaps filled with 0."""
    counts = Counter(completed_years(hire, on) for hire in hire_dates if hire <= on)
    if not counts:
        return {}
    return {year: counts.get(year, 0) for year in range(max(counts) + 1)}


def headcount_by(keys: Iterable[K | None], order: Sequence[K] = ()) -> list[tuple[K | None, int]]:
    """Headcount per key: the keys of `order` first, in that order and even when 0; then
    any other key by headcount, largest first (ties by key); None (no value) last."""
    counts = Counter(keys)
    out: list[tuple[K | None, int]] = [(key, counts.pop(key, 0)) for key in order]
    missing = counts.pop(None, 0)
    out += sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    if missing:
        out.append((None, missing))
    return out


def rollup_under(paths: Iterable[str], root_path: str) -> dict[str, int]:
    """Headcount per child subtree of `root_path`, from each person's unit path.

    Paths are materialised ("/1/7/42/"). A person in the subtree of child "/1/7/" counts
    for "/1/7/"; one directly in the root counts for `root_path` itself; paths outside the
    root are ignored.
    """
    if not root_path.startswith("/") or not root_path.endswith("/"):
        raise ValueError(f"not a materialised path: {root_path!r}")
    counts: Counter[str] = Counter()
    depth = len(root_path)
    for path in paths:
        if not path.startswith(root_path):
            continue
        rest = path[depth:]
        if not rest:
            counts[root_path] += 1
        else:
            counts[root_path + rest.split("/", 1)[0] + "/"] += 1
    return dict(counts)


def top_counts(counts: Mapping[K, int], n: int) -> tuple[list[tuple[K, int]], int]:
    """The `n` largest entries (ties by key) and the total of the rest."""
    if n < 0:
        raise ValueError("n must not be negative")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return ranked[:n], sum(count for _key, count in ranked[n:])
