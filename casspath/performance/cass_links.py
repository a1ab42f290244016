"""A diagnosis's bottlenecks linked to the CASS map: for each tier's bottleneck dimensions,
the work items and key actions of the map applying to the diagnosis's unit that need the
dimension, and how many published resources of that map teach it.

Added to the figures when a diagnosis runs (`add_links`: the keys `cass_map` and each
tier's `bottleneck_links`, beside issue 7's keys, which stay as they were). A snapshot
stored before the links existed gets them from the map as it is now (`links_of`), so every
snapshot's page shows them.
"""

from casspath.cass.models import CassMap
from casspath.cass.queries import dimension_uses, map_applying
from casspath.org.models import OrgUnit


def _map_ref(cass_map: CassMap | None) -> dict | None:
    if cass_map is None:
        return None
    return {"id": cass_map.pk, "name": cass_map.name, "org_unit": cass_map.org_unit.code,
            "model_family": cass_map.model_family}


def compute_links(figures: dict, unit: OrgUnit, family: str | None) -> tuple[dict | None, dict[str, list]]:
    """(the map applying to `unit` for `family`, or None; {tier code: its bottleneck links,
    in bottleneck order}). Each link: {dimension, work_items [{code, name, rank}], key_actions
    [{code, name, work_item}], published_resources}. Four queries, whatever the map's size."""
    tiers = figures.get("tiers") or []
    cass_map = map_applying(unit, family)
    if cass_map is None:
        return None, {tier["tier"]: [] for tier in tiers}
    codes = [code for tier in tiers for code in tier.get("bottlenecks") or []]
    uses = dimension_uses(cass_map, codes)
    links = {}
    for tier in tiers:
        links[tier["tier"]] = [
            {"dimension": code,
             "work_items": [{"code": c, "name": n, "rank": r} for c, n, r in uses[code].work_items],
             "key_actions": [{"code": c, "name": n, "work_item": w} for c, n, w in uses[code].key_actions],
             "published_resources": uses[code].published_resources}
            for code in tier.get("bottlenecks") or []
        ]
    return _map_ref(cass_map), links


def add_links(figures: dict, unit: OrgUnit, family: str | None) -> dict:
    """`figures` with `cass_map` and each tier's `bottleneck_links` set (in place)."""
    cass_map, links = compute_links(figures, unit, family)
    figures["cass_map"] = cass_map
    for tier in figures.get("tiers") or []:
        tier["bottleneck_links"] = links.get(tier["tier"], [])
    return figures


def links_of(figures: dict, unit: OrgUnit) -> tuple[dict | None, dict[str, list]]:
    """The links a snapshot's page shows: the stored ones, else (a snapshot stored before
    them) those of the map applying to the unit now."""
    tiers = figures.get("tiers") or []
    if "cass_map" in figures:
        return figures["cass_map"], {tier["tier"]: tier.get("bottleneck_links") or [] for tier in tiers}
    family = (figures.get("model") or {}).get("family")
    return compute_links(figures, unit, family)
