"""The reads every page of the CASS app starts from: the maps a user may read, the map that
applies to a unit, a map's work items in rank order."""


from django.db.models import Prefetch, QuerySet

from casspath.analytics.cass import rank_work_items
from casspath.cass.access import visible_maps_q
from casspath.cass.models import (
    ActionSkill,
    CassMap,
    KeyAction,
    WorkItem,
)


def maps_for(user) -> QuerySet[CassMap]:
    """The maps `user` may read (access.py), the top of the tree first."""
    return CassMap.objects.filter(visible_maps_q(user)).select_related("org_unit")


def map_applying(unit, model_family: str | None = None) -> CassMap | None:
    """The map nearest up `unit`'s path (its own unit's first, then each unit above)."""
    ids = [int(part) for part in unit.path.strip("/").split("/") if part]
    maps = CassMap.objects.filter(org_unit_id__in=ids).select_related("org_unit")
    if model_family is not None:
        maps = maps.filter(model_family=model_family)
    by_unit = {m.org_unit_id: m for m in maps}
    for unit_id in reversed(ids):
        if unit_id in by_unit:
            return by_unit[unit_id]
    return None


def ranked_work_items(cass_map: CassMap) -> list[WorkItem]:
    """The map's work items in rank order, each with `rank` set and its actions (with their
    skills) prefetched, in order."""
    items = list(
        WorkItem.objects.filter(cass_map=cass_map).prefetch_related(
            "stages", "positions",
            Prefetch("actions", queryset=KeyAction.objects.order_by("order", "code").prefetch_related(
                Prefetch("skills", queryset=ActionSkill.objects.order_by("dimension_code")))),
        )
    )
    ranks = rank_work_items([(i.code, i.importance, i.frequency) for i in items])
    for item in items:
        item.rank = ranks[item.code]
    return sorted(items, key=lambda i: i.rank)


