"""The ordering and grouping rules of the learning map (学习地图), pure.

The learning map is derived from the CASS map and the competency model, never typed: for a
stage (or a grade, or both, a person's case) the dimensions required and at what level, the
work items and key actions that use each dimension in rank order, and the resources that
teach each dimension, ordered by level.

Rules:
- A work item applies to a stage when it lists no stage (it applies to all) or lists that
  stage; with no stage asked (a grade's view), every work item applies.
- The key actions using a dimension come in the rank order of their work items
  (`analytics.cass.rank_work_items`), then by the action's order and code within an item.
- Resources teaching a dimension are ordered by the level taught, then by code; the page
  shows the first few of each level, and says how many more there are.
"""

from collections.abc import Collection, Iterable, Mapping, Sequence
from typing import NamedTuple, TypeVar

T = TypeVar("T")


def applies_to_stage(item_stages: Collection[str], stage: str | None) -> bool:
    """Whether a work item listing `item_stages` applies to `stage` (empty: all stages)."""
    return stage is None or not item_stages or stage in item_stages


class ActionUse(NamedTuple):
    """A key action that needs a dimension, at a level, under a work item."""

    item_code: str
    action_order: int
    action_code: str
    level: int


def in_rank_order(uses: Iterable[ActionUse], ranks: Mapping[str, int]) -> list[ActionUse]:
    """Actions by their work item's rank (1 first), then action order, then action code."""
    return sorted(uses, key=lambda u: (ranks[u.item_code], u.action_order, u.action_code))


def grouped_by_item(uses: Sequence[ActionUse]) -> list[tuple[str, list[ActionUse]]]:
    """Consecutive actions of one work item together, in the order given (rank order in,
    rank order out): [(item code, [its actions]), ...]."""
    groups: list[tuple[str, list[ActionUse]]] = []
    for use in uses:
        if groups and groups[-1][0] == use.item_code:
            groups[-1][1].append(use)
        else:
            groups.append((use.item_code, [use]))
    return groups


class Taught(NamedTuple):
    """A resource teaching a dimension at a level."""

    level: int
    code: str


def by_level(resources: Iterable[Taught]) -> list[Taught]:
    """Resources by the level they teach (1 first), then by code."""
    return sorted(resources, key=lambda r: (r.level, r.code))


def first_of_each_level(ordered: Sequence[T], level_of, limit: int) -> list[T]:
    """Of resources already in level order, the first `limit` of each level."""
    kept: list[T] = []
    counts: dict[int, int] = {}
    for row in ordered:
        level = level_of(row)
        if counts.get(level, 0) < limit:
            kept.append(row)
        counts[level] = counts.get(level, 0) + 1
    return kept


def top_dimensions(weights: Sequence[tuple[str, float]], n: int) -> list[str]:
    """The `n` dimensions weighing most (a manager's home card); ties keep the model's order
    (the order given)."""
    indexed = sorted(enumerate(weights), key=lambda item: (-item[1][1], item[0]))
    return [code for _index, (code, _weight) in indexed[:n]]
