"""Reads of the library of learning resources: a map's resources filtered, a resource's page,
the learner's progress in a video or audio."""

import re
from dataclasses import dataclass

from django.db.models import Exists, OuterRef, Prefetch, QuerySet, prefetch_related_objects

from casspath.cass.access import visible_resources_q
from casspath.cass.models import (
    CassMap,
    Device,
    KeyAction,
    MediaProgress,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    StudyMode,
    WorkItem,
)
from casspath.cass.queries.maps import map_dimensions
from casspath.org.queries import my_employee

# The library of learning resources ----------------------------------------------------

RESOURCES_PER_PAGE = 25


@dataclass(frozen=True)
class ResourceFilters:
    """A library page's filters, each a code out of its choices or "" for all."""

    kind: str = ""
    status: str = ""
    dimension: str = ""
    mode: str = ""
    device: str = ""

    @classmethod
    def from_params(cls, params, *, may_filter_status: bool) -> "ResourceFilters":
        def pick(name: str, choices) -> str:
            value = (params.get(name) or "").strip()
            return value if value in choices else ""

        dimension = (params.get("dimension") or "").strip().upper()
        return cls(
            kind=pick("kind", ResourceKind.values),
            status=pick("status", ResourceStatus.values) if may_filter_status else "",
            dimension=dimension if re.fullmatch(r"[A-Z0-9]{1,10}", dimension) else "",
            mode=pick("mode", StudyMode.values),
            device=pick("device", Device.values),
        )


def library(user, cass_map: CassMap, filters: ResourceFilters) -> QuerySet[Resource]:
    """The resources of a map's library `user` may see (published ones for learners), by
    the filters, in code order, each with its skills prefetched: a page costs the same
    queries however many resources the library holds."""
    resources = Resource.objects.filter(visible_resources_q(user), cass_map=cass_map)
    if filters.kind:
        resources = resources.filter(kind=filters.kind)
    if filters.status:
        resources = resources.filter(status=filters.status)
    if filters.dimension:
        resources = resources.filter(Exists(ResourceSkill.objects.filter(
            resource=OuterRef("pk"), dimension_code=filters.dimension)))
    # A JSON list of codes, matched as text (`"phone"` with its quotes) alike on SQLite,
    # which has no JSON containment, and PostgreSQL.
    if filters.mode:
        resources = resources.filter(study_modes__icontains=f'"{filters.mode}"')
    if filters.device:
        resources = resources.filter(devices__icontains=f'"{filters.device}"')
    return resources.prefetch_related(
        Prefetch("skills", queryset=ResourceSkill.objects.order_by("dimension_code"))).order_by("code")


def resource_page(resource: Resource) -> Resource:
    """A resource with what its page shows prefetched: skills, work items, key actions."""
    prefetch_related_objects(
        [resource],
        Prefetch("skills", queryset=ResourceSkill.objects.order_by("dimension_code")),
        Prefetch("work_items", queryset=WorkItem.objects.order_by("code")),
        Prefetch("key_actions", queryset=KeyAction.objects.select_related("work_item").order_by("code")),
    )
    return resource


def my_media_progress(user, resource: Resource) -> MediaProgress | None:
    """The logged-in employee's progress in a video or audio, if he has started it."""
    employee = my_employee(user)
    if employee is None:
        return None
    return MediaProgress.objects.filter(resource=resource, employee=employee).first()


def media_progress_states(employee, resource_ids) -> tuple[set[int], set[int]]:
    """(completed, started but not completed): the ids among `resource_ids` of the videos and
    audio `employee` has finished or begun, in one query (his learning map's badges)."""
    completed: set[int] = set()
    started: set[int] = set()
    rows = MediaProgress.objects.filter(employee=employee, resource_id__in=set(resource_ids))
    for resource_id, done in rows.values_list("resource_id", "completed"):
        (completed if done else started).add(resource_id)
    return completed, started


def map_work_items_and_actions(cass_map: CassMap) -> tuple[QuerySet[WorkItem], QuerySet[KeyAction]]:
    """What a resource of the map may be linked to (its edit form's choices)."""
    return (WorkItem.objects.filter(cass_map=cass_map).order_by("code"),
            KeyAction.objects.filter(cass_map=cass_map).select_related("work_item").order_by("code"))


def dimension_choices(cass_map: CassMap) -> list[tuple[str, str]]:
    """(code, "D01 name") of the map's dimensions (`map_dimensions`), for the skill rows and
    the library's filter."""
    return [(code, f"{code} {name}") for code, name in map_dimensions(cass_map).items()]
