"""Roster figures: headcount by growth stage, by tenure year, by any key, by subtree.

Each figure has two forms that give the same numbers: from one value per person (a hire
date, a key, a unit path), and from counts a database grouped already (people per completed
year, per key, per path prefix), so that a page never loads everyone to count them.
"""

from collections import Counter
from collections.abc import Hashable, Iterable, Mapping, Sequence
from datetime import date
from typing import TypeVar

from casspath.analytics.tenure import StageBounds, completed_years, stage_for

K = TypeVar("K", bound=Hashable)  # a key that figures are counted by


def years_counts(hire_dates: Iterable[date], on: date) -> dict[int, int]:
    """Headcount per completed year of tenure on `on` (only years someone has); hire dates
    after `on` (people not yet started) are not counted. What a database groups instead."""
    return dict(Counter(completed_years(hire, on) for hire in hire_dates if hire <= on))


def stage_counts(hire_dates: Iterable[date], on: date, bounds: StageBounds) -> dict[str, int]:
    """Headcount per stage code, every stage present (0 where empty), in bound order.

    Hire dates after `on` (people not yet started) are not counted.
    """
    return stage_counts_by_years(years_counts(hire_dates, on), bounds)


def stage_counts_by_years(by_years: Mapping[int, int], bounds: StageBounds) -> dict[str, int]:
    """`stage_counts` from headcounts per completed year (a stage is a range of years)."""
    counts: Counter[str] = Counter()
    for years, n in by_years.items():
        counts[stage_for(years, bounds)] += n
    return {code: counts.get(code, 0) for code, _lower, _upper in bounds}


def tenure_histogram(hire_dates: Iterable[date], on: date) -> dict[int, int]:
    """Headcount per completed year of tenure, from 0 to the longest, gaps filled with 0."""
    return tenure_histogram_by_years(years_counts(hire_dates, on))


def tenure_histogram_by_years(by_years: Mapping[int, int]) -> dict[int, int]:
    """`tenure_histogram` from headcounts per completed year: years without anyone, up to
    the longest tenure, filled with 0."""
    present = {years: n for years, n in by_years.items() if n}
    if any(years < 0 for years in present):
        raise ValueError("negative tenure")
    if not present:
        return {}
    return {year: present.get(year, 0) for year in range(max(present) + 1)}


def headcount_by(keys: Iterable[K | None], order: Sequence[K] = ()) -> list[tuple[K | None, int]]:
    """Headcount per key: the keys of `order` first, in that order and even when 0; then
    any other key by headcount, largest first (ties by key); None (no value) last."""
    return headcount_by_counts(Counter(keys), order)


def headcount_by_counts(by_key: Mapping[K | None, int],
                        order: Sequence[K] = ()) -> list[tuple[K | None, int]]:
    """`headcount_by` from headcounts per key (a key absent or 0 counts for nobody)."""
    counts = Counter({key: n for key, n in by_key.items() if n})
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
    return rollup_counts(((path, 1) for path in paths), root_path)


def rollup_counts(path_counts: Iterable[tuple[str, int]] | Mapping[str, int],
                  root_path: str) -> dict[str, int]:
    """`rollup_under` from headcounts per path, or per path prefix: a database groups people
    by the first segment of their unit's path below the root, and the prefixes roll up
    to themselves. Paths or prefixes outside the root are ignored."""
    if not root_path.startswith("/") or not root_path.endswith("/"):
        raise ValueError(f"not a materialised path: {root_path!r}")
    pairs = path_counts.items() if isinstance(path_counts, Mapping) else path_counts
    counts: Counter[str] = Counter()
    depth = len(root_path)
    for path, n in pairs:
        if not n or not path.startswith(root_path):
            continue
        rest = path[depth:]
        if not rest:
            counts[root_path] += n
        else:
            counts[root_path + rest.split("/", 1)[0] + "/"] += n
    return dict(counts)


def top_counts(counts: Mapping[K, int], n: int) -> tuple[list[tuple[K, int]], int]:
    """The `n` largest entries (ties by key) and the total of the rest."""
    if n < 0:
        raise ValueError("n must not be negative")
    ranked = sorted(counts.items(), key=lambda item: (-item[1], str(item[0])))
    return ranked[:n], sum(count for _key, count in ranked[n:])
