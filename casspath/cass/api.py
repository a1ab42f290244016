"""GET /api/v1/cass/maps and /maps/{id}: the CASS maps a user may read, and one map's work
items in rank order with their key actions and skills.

Authentication is set on the API as a whole (casspath/site/api.py); `api_user` gives the
user a call acts as. A map one may not read answers 404, as an absent one.
"""

from datetime import datetime

from ninja import Router, Schema

from casspath.api.auth import api_user
from casspath.cass.access import access_map_by_id, may_edit_map
from casspath.cass.models import CassMap
from casspath.cass.queries import map_view, maps_with_counts

router = Router(tags=["cass"])


class MapOut(Schema):
    id: int
    name: str
    model_family: str
    org_unit_code: str
    org_unit_name: str
    work_item_count: int
    action_count: int
    updated_at: datetime


class SkillOut(Schema):
    dimension: str
    name: str  # in the competency model that applies to the map; "" when it has no such code
    level: int


class KeyActionOut(Schema):
    code: str
    order: int
    name: str
    standard: str
    mistakes: str
    study_modes: list[str]
    checks: list[str]
    skills: list[SkillOut]


class WorkItemOut(Schema):
    code: str
    name: str
    description: str
    rank: int
    priority: int
    importance: int
    frequency: int
    stages: list[str]
    positions: list[str]
    key_actions: list[KeyActionOut]


class ModelRefOut(Schema):
    family: str
    version: int
    name: str


class MapDetailOut(MapOut):
    description: str
    competency_model: ModelRefOut | None
    may_edit: bool
    work_items: list[WorkItemOut]


def _summary(cass_map: CassMap, work_items: int, actions: int) -> dict:
    return {"id": cass_map.pk, "name": cass_map.name, "model_family": cass_map.model_family,
            "org_unit_code": cass_map.org_unit.code, "org_unit_name": cass_map.org_unit.name,
            "work_item_count": work_items, "action_count": actions, "updated_at": cass_map.updated_at}


@router.get("/maps", response=list[MapOut], summary="CASS maps visible to the user")
def list_maps(request):
    return [_summary(m, m.work_item_count, m.action_count)  # type: ignore[attr-defined]  # annotated
            for m in maps_with_counts(api_user(request))]


@router.get("/maps/{map_id}", response=MapDetailOut,
            summary="One CASS map: work items in rank order, their key actions and skills")
def get_map(request, map_id: int):
    user = api_user(request)
    cass_map = access_map_by_id(user, map_id)
    view = map_view(cass_map)
    model = view.model
    return {
        **_summary(cass_map, len(view.items), view.action_count),
        "description": cass_map.description,
        "competency_model": ({"family": model.family, "version": model.version, "name": model.name}
                             if model is not None else None),
        "may_edit": may_edit_map(user, cass_map),
        "work_items": [
            {
                "code": iv.item.code, "name": iv.item.name, "description": iv.item.description,
                "rank": iv.rank, "priority": iv.priority, "importance": iv.item.importance,
                "frequency": iv.item.frequency,
                "stages": [s.code for s in iv.item.stages.all()],
                "positions": [p.code for p in iv.item.positions.all()],
                "key_actions": [
                    {
                        "code": av.action.code, "order": av.action.order, "name": av.action.name,
                        "standard": av.action.standard, "mistakes": av.action.mistakes,
                        "study_modes": av.action.study_modes, "checks": av.action.checks,
                        "skills": [{"dimension": s.code, "name": s.name, "level": s.level}
                                   for s in av.skills],
                    }
                    for av in iv.actions
                ],
            }
            for iv in view.items
        ],
    }
