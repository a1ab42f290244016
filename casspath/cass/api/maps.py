"""The cass API's maps (mounted at /api/v1/cass/).

- GET /maps and /maps/{id}: the CASS maps a user may read, and one map's work items in rank
  order with their key actions and skills. A map one may not read answers 404, as an absent one.
- GET /maps/{map_id}/learning-map[?stage=&grade=]: the learning map of a CASS map the user
  may read: without stage or grade one view per stage, then one per grade with
  requirements; with either or both, that one view (both: the effective requirement, the
  higher of the two).
- GET /my-learning-map: the caller's own (his stage by tenure today, his grade).

Each dimension lists its first work items (rank order) and the first resources of each
level, with the counts of all of them (as the page; the Excel export holds everything).
"""

from datetime import datetime
from decimal import Decimal

from django.http import Http404
from django.utils import timezone
from ninja import Field, Router, Schema

from casspath.api.auth import api_user
from casspath.api.errors import ApiError, ErrorOut
from casspath.cass.access import access_map_by_id, may_edit_map
from casspath.cass.learning_map import (
    LearningMap,
    LearningMapView,
    learning_map,
    my_learning_map,
    view_targets,
)
from casspath.cass.models import CassMap
from casspath.cass.queries import map_view, maps_with_counts, media_progress_states
from casspath.org.queries import my_employee

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


class ResourceOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    level: int
    duration_minutes: int
    devices: list[str]
    study_modes: list[str]


class LevelOut(Schema):
    level: int
    required: bool
    total: int
    resources: list[ResourceOut]


class ActionOut(Schema):
    id: int
    code: str
    name: str
    level: int


class DimensionWorkItemOut(Schema):
    """A work item using a dimension, in the learning map, with its actions that need it."""

    id: int
    code: str
    name: str
    rank: int
    actions: list[ActionOut]


class DimensionOut(Schema):
    code: str
    name: str
    name_en: str
    level: int
    weight: float
    stage_level: int | None
    grade_level: int | None
    work_items_total: int
    work_items: list[DimensionWorkItemOut]
    resources_total: int
    levels: list[LevelOut]


class ViewOut(Schema):
    stage: str | None
    grade: str | None
    dimensions: list[DimensionOut]


class LearningMapOut(Schema):
    map_id: int
    map_name: str
    org_unit_code: str
    model_id: int | None
    model_family: str
    model_version: int | None
    views: list[ViewOut]


class MyLearningMapOut(Schema):
    employee_no: str
    stage: str | None
    tenure_years: int | None
    grade: str | None
    learning_map: LearningMapOut | None
    finished: list[int] = Field(description="Ids of the resources shown that he has played to the end")
    in_progress: list[int] = Field(description="Ids of the resources shown that he has begun")


def _weight(value: Decimal) -> float:
    return float(value)


def _view(view: LearningMapView) -> dict:
    return {
        "stage": view.stage.code if view.stage else None,
        "grade": view.grade.code if view.grade else None,
        "dimensions": [{
            "code": d.code, "name": d.name, "name_en": d.name_en, "level": d.level,
            "weight": _weight(d.weight),
            "stage_level": d.stage_level, "grade_level": d.grade_level,
            "work_items_total": d.work_items_total,
            "work_items": [{"id": i.id, "code": i.code, "name": i.name, "rank": i.rank,
                            "actions": [vars(a) for a in i.actions]} for i in d.work_items],
            "resources_total": d.resources_total,
            "levels": [{"level": g.level, "required": g.required, "total": g.total,
                        "resources": [vars(r) for r in g.resources]} for g in d.levels],
        } for d in view.dimensions],
    }


def _learning_map(learning: LearningMap) -> dict:
    m, model = learning.cass_map, learning.model
    return {
        "map_id": m.pk, "map_name": m.name, "org_unit_code": m.org_unit.code,
        "model_id": model.pk if model else None, "model_family": m.model_family,
        "model_version": model.version if model else None,
        "views": [_view(view) for view in learning.views],
    }


@router.get("/maps/{map_id}/learning-map", response={200: LearningMapOut, 400: ErrorOut, 404: ErrorOut},
            summary="The learning map of a CASS map")
def get_learning_map(request, map_id: int, stage: str = "", grade: str = ""):
    cass_map = access_map_by_id(api_user(request), map_id)
    targets = None
    if stage or grade:
        target = view_targets(stage or None, grade or None)
        if target is None:
            asked = stage or grade
            raise ApiError(400, f"没有这个阶段或职级：{asked}", f"No such stage or grade: {asked}")
        targets = [target]
    return _learning_map(learning_map(cass_map, targets))


@router.get("/my-learning-map", response=MyLearningMapOut, summary="The caller's own learning map")
def get_my_learning_map(request):
    employee = my_employee(api_user(request))
    if employee is None:
        raise Http404("no employee record")
    mine = my_learning_map(employee, timezone.localdate())
    shown = [r.id for d in (mine.view.dimensions if mine.view else []) for g in d.levels for r in g.resources]
    finished, begun = media_progress_states(employee, shown)
    return {
        "finished": sorted(finished), "in_progress": sorted(begun),
        "employee_no": employee.employee_no, "stage": mine.stage_code, "tenure_years": mine.years,
        "grade": mine.grade.code if mine.grade else None,
        "learning_map": _learning_map(mine.learning) if mine.learning else None,
    }
