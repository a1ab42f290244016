"""Writes of learning resources: their metadata and links, and their status."""

from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from casspath.cass.actions.common import CassError, clean, require_editable, save_changes, touch
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.models import (
    MEDIA_KINDS,
    RESOURCE_TRANSITIONS,
    CassMap,
    KeyAction,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    WorkItem,
)
from casspath.core import audit
from casspath.core.errors import InvalidTransition

# Kinds with a row of their own beside the resource (cass.QACard, knowledge.WorkGuide, knowledge.Course).
OWN_ROW_KINDS = frozenset({ResourceKind.QA_CARD, ResourceKind.WORK_GUIDE, ResourceKind.COURSE})
RESOURCE_FIELDS = ("code", "kind", "title", "summary", "body", "duration_minutes", "devices", "study_modes")


@transaction.atomic
def do_save_resource(cass_map: CassMap, values: dict, *, resource: Resource | None = None,
                     skills: dict[str, int] | None = None, work_items: list[WorkItem] | None = None,
                     key_actions: list[KeyAction] | None = None, acting_user) -> Resource:
    """Create a resource in a map's library (resource None) or change one. Links to work
    items and key actions must be of the same map; `skills` maps a dimension code to the
    level taught, replacing the resource's when given."""
    require_editable(cass_map, acting_user)
    unknown = set(values) - set(RESOURCE_FIELDS)
    if unknown:
        raise ValueError(f"not resource fields: {sorted(unknown)}")
    for linked in (work_items or []) + (key_actions or []):
        if linked.cass_map_id != cass_map.pk:
            raise CassError(f"“{linked}”不属于本地图", f"'{linked}' belongs to another map")
    resource = resource or Resource(cass_map=cass_map)
    creating = resource.pk is None
    kind = values.get("kind", resource.kind)
    if not creating and kind != resource.kind and (
            {kind, resource.kind} & OWN_ROW_KINDS or (resource.kind in MEDIA_KINDS and resource.media)):
        # A card's or a guide's row, or a video's file, belongs to the kind it was made as.
        raise CassError(f"“{resource.code}”不能改变类型："
                        "问答卡和工作指引在各自的页面建立，已上传文件的音视频保持其类型",
                        f"'{resource.code}' is a {resource.kind} and cannot change its kind: Q&A cards "
                        "and work guides are made on their own pages, and a video or audio keeps its "
                        "kind once its file is uploaded")
    values = dict(values)
    values["updated_at"] = timezone.now()
    try:
        with transaction.atomic():
            changes = save_changes(resource, values)
    except IntegrityError:
        code = values.get("code", resource.code)
        raise CassError(f"资源编码“{code}”在本地图中已被使用",
                        f"The resource code '{code}' is already used in this map") from None
    changes.pop("updated_at", None)
    if skills is not None:
        rows = [ResourceSkill(resource=resource, dimension_code=c, level=lv) for c, lv in skills.items()]
        for row in rows:
            clean(row)
        ResourceSkill.objects.filter(resource=resource).delete()
        ResourceSkill.objects.bulk_create(rows)
    if work_items is not None:
        resource.work_items.set(work_items)
    if key_actions is not None:
        resource.key_actions.set(key_actions)
    touch(cass_map)
    audit.record(acting_user, CassVerb.SAVE_RESOURCE, resource, summary=str(resource),
                 changes={} if creating else changes, unit=cass_map.org_unit)
    return resource


@transaction.atomic
def do_set_resource_status(resource: Resource, status: str, *, acting_user,
                           owner_checked: bool = False) -> Resource:
    """Move a resource along RESOURCE_TRANSITIONS; a media resource is published only with
    its file; a product course (knowledge's) only by its own page, which checks it (`owner_checked`).
    Setting the status it has already is a no-op (a retried click)."""
    require_editable(resource.cass_map, acting_user)
    resource.refresh_from_db(fields=["status", "media", "published_at"])
    if resource.status == status:
        return resource
    if status not in RESOURCE_TRANSITIONS.get(resource.status, frozenset()):
        raise InvalidTransition(
            f"资源不能从「{ResourceStatus(resource.status).label}」改为「{status}」",
            f"A resource cannot go from {resource.status} to {status}",
        )
    if status == ResourceStatus.PUBLISHED and resource.kind in MEDIA_KINDS and not resource.media:
        raise CassError("音视频资源须先上传媒体文件才能发布", "Upload the media file before publishing")
    # A product course's resource (knowledge.Course, read through the reverse relation).
    course = getattr(resource, "course", None) if resource.kind == ResourceKind.COURSE else None
    if status == ResourceStatus.PUBLISHED and course is not None and not owner_checked:
        raise CassError("产品课程请在其课程页面发布（须有三道检测题和 15–20 分钟的讲师手册）",
                        "Publish a product course on its course page (three check questions and a 15–20 "
                        "minute lecturer manual)")
    # A guide's resource (its status button is also on this page) is published with a step,
    # as on the guide's own page; read through the reverse relation (knowledge sits above cass).
    guide = getattr(resource, "work_guide", None) if resource.kind == ResourceKind.WORK_GUIDE else None
    if status == ResourceStatus.PUBLISHED and guide is not None and not guide.steps.exists():
        raise CassError("工作指引至少要有一个步骤才能发布",
                        "Add at least one step before publishing the guide")
    before = resource.status
    resource.status = status
    fields = ["status", "updated_at"]
    resource.updated_at = timezone.now()
    if status == ResourceStatus.PUBLISHED:
        resource.published_at = resource.updated_at
        fields.append("published_at")
    resource.save(update_fields=fields)
    touch(resource.cass_map)
    audit.record(acting_user, CassVerb.SET_RESOURCE_STATUS, resource, summary=str(resource),
                 changes={"status": [before, status]}, unit=resource.cass_map.org_unit)
    return resource


@transaction.atomic
def do_remove_resource(resource: Resource, *, acting_user) -> None:
    """Remove a resource and its stored files (once the removal commits)."""
    cass_map = resource.cass_map
    require_editable(cass_map, acting_user)
    label, pk = str(resource), resource.pk
    files = [(f.storage, f.name) for f in (resource.media, resource.poster) if f.name]
    resource.delete()
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))
    touch(cass_map)
    audit.record(acting_user, CassVerb.REMOVE_RESOURCE, object_type="cass.resource", object_id=str(pk),
                 summary=label, unit=cass_map.org_unit)
