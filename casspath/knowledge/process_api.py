"""The process map API (mounted with knowledge/api.py at /api/v1/knowledge/):

- GET /maps/{map_id}/process: the map's process map as a tree: each phase with its steps,
  each step with its sub-steps (`children`), every node with its purpose, key techniques,
  tools, dimensions (code and name in the map's competency model) and work items.
- GET /maps/{map_id}/process/{code_or_id}: one phase, step or sub-step (by code, else by
  id) with its breadcrumb (the phase and step above it) and what is below it.

Every node carries its published cases' count and its best three (the page's order).

Scoped as the process map page: whoever may read the map reads its process map; a map one
may not read answers 404, as an absent one, and so does a step of another map.
"""

from django.http import Http404
from django.urls import reverse
from ninja import Field, Router, Schema

from casspath.api.auth import api_user
from casspath.api.errors import ErrorOut
from casspath.cass.access import access_map_by_id, may_edit_map
from casspath.knowledge import queries
from casspath.knowledge.access import access_process_step_by_key
from casspath.knowledge.models import ProcessStep

router = Router(tags=["knowledge"])


class DimensionRefOut(Schema):
    code: str
    name: str = Field(description="In the competency model that applies to the map; '' if it lacks the code")


class ProcessWorkItemOut(Schema):
    id: int
    code: str
    name: str


class CaseRefOut(Schema):
    id: int
    code: str
    title: str
    knowledge_point: str


class StepRefOut(Schema):
    id: int
    code: str
    name: str
    level: int = Field(description="1 a phase, 2 a step, 3 a sub-step")


class ProcessNodeOut(StepRefOut):
    order: int = Field(description="1, 2, 3… among its siblings")
    purpose: str
    techniques: list[str] = Field(description="One point an entry")
    tools: list[str] = Field(description="One point an entry")
    dimensions: list[DimensionRefOut]
    work_items: list[ProcessWorkItemOut]
    case_count: int = Field(
        description="The published cases tagged to it or its sub-steps, as the page counts them "
        "(GET /cases?map=…&step=… lists them)"
    )
    cases: list[CaseRefOut] = Field(description="Its best published cases, at most three, best first")
    children: list["ProcessNodeOut"]


ProcessNodeOut.model_rebuild()


class ProcessMapOut(Schema):
    map_id: int
    map_name: str
    may_edit: bool
    page_url: str
    step_count: int = Field(description="Phases, steps and sub-steps")
    phases: list[ProcessNodeOut]


class ProcessStepOut(ProcessNodeOut):
    map_id: int
    page_url: str
    breadcrumb: list[StepRefOut] = Field(description="The phase and step above it, top first")


def _ref(step: ProcessStep, level: int) -> dict:
    return {"id": step.pk, "code": step.code, "name": step.name, "level": level}


def _tree(cass_map) -> list[ProcessStep]:
    """The map's process tree with every node's published cases, best first."""
    phases = queries.process_tree(cass_map)
    queries.attach_cases(cass_map, phases)
    return phases


def _node(step: ProcessStep, level: int) -> dict:
    """A node of _tree (children in `steps`, dimensions set, work items prefetched,
    published cases attached) and everything below it."""
    return {
        **_ref(step, level),
        "order": step.order,
        "purpose": step.purpose,
        "techniques": step.technique_lines,
        "tools": step.tool_lines,
        "dimensions": [{"code": code, "name": name} for code, name in step.dimensions],
        "work_items": [{"id": i.pk, "code": i.code, "name": i.name} for i in step.work_items.all()],
        "case_count": step.case_count,
        "cases": [
            {"id": c.pk, "code": c.code, "title": c.title, "knowledge_point": c.knowledge_point}
            for c in step.published_cases
        ],
        "children": [_node(child, level + 1) for child in step.steps],
    }


def _count(nodes: list[ProcessStep]) -> int:
    return sum(1 + _count(node.steps) for node in nodes)


def _find(nodes: list[ProcessStep], pk: int) -> ProcessStep | None:
    for node in nodes:
        if node.pk == pk:
            return node
        found = _find(node.steps, pk)
        if found is not None:
            return found
    return None


@router.get(
    "/maps/{map_id}/process",
    response={200: ProcessMapOut, 404: ErrorOut},
    summary="A CASS map's process map, as a tree",
)
def get_process_map(request, map_id: int):
    user = api_user(request)
    cass_map = access_map_by_id(user, map_id)
    phases = _tree(cass_map)
    return {
        "map_id": cass_map.pk,
        "map_name": cass_map.name,
        "may_edit": may_edit_map(user, cass_map),
        "page_url": request.build_absolute_uri(reverse("knowledge:process_map", args=[cass_map.pk])),
        "step_count": _count(phases),
        "phases": [_node(phase, 1) for phase in phases],
    }


@router.get(
    "/maps/{map_id}/process/{code_or_id}",
    response={200: ProcessStepOut, 404: ErrorOut},
    summary="A phase, step or sub-step of a process map, with its breadcrumb",
)
def get_process_step(request, map_id: int, code_or_id: str):
    """By the step's code in the map (PM01-1), else by its id."""
    cass_map = access_map_by_id(api_user(request), map_id)
    step = access_process_step_by_key(cass_map, code_or_id)
    above = queries.process_breadcrumb(step)
    node = _find(_tree(cass_map), step.pk)
    if node is None:  # removed in between
        raise Http404("no such process step")
    page = reverse("knowledge:process_map", args=[cass_map.pk])
    return {
        **_node(node, len(above) + 1),
        "map_id": cass_map.pk,
        "page_url": request.build_absolute_uri(f"{page}#ps-{step.code}"),
        "breadcrumb": [_ref(s, level) for level, s in enumerate(above, start=1)],
    }
