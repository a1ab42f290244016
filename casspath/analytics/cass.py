"""The rank of work items in a CASS map.

The CASS model ranks the work content by how much it matters and how often it comes up.
Rule: priority = importance × frequency (each 1–5); higher priority ranks first; ties go to
the more important item, then by code, so the order is total and stable. Ranks are 1, 2, 3…
with no shared rank (a ranked list a manager walks top-down).
"""

from collections.abc import Iterable


def priority(importance: int, frequency: int) -> int:
    """importance × frequency, each an integer 1–5."""
    for name, value in (("importance", importance), ("frequency", frequency)):
        if not isinstance(value, int) or not 1 <= value <= 5:
            raise ValueError(f"{name} must be an integer 1-5, got {value!r}")
    return importance * frequency


def rank_work_items(items: Iterable[tuple[str, int, int]]) -> dict[str, int]:
    """Rank (code, importance, frequency) triples: {code: rank}, rank 1 first.

    Order by priority descending, then importance descending, then code ascending.
    """
    rows = list(items)
    codes = [code for code, _, _ in rows]
    if len(set(codes)) != len(codes):
        raise ValueError("work item codes must be unique")
    ordered = sorted(rows, key=lambda r: (-priority(r[1], r[2]), -r[1], r[0]))
    return {code: rank for rank, (code, _, _) in enumerate(ordered, start=1)}
