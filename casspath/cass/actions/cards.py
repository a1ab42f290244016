"""Writes of Q&A cards (问答卡): a resource of kind qa_card and its card row, saved together."""

from django.db import IntegrityError, transaction
from django.utils import timezone

from casspath.cass.actions.common import CassError, clean, require_editable, touch
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.models import (
    CassMap,
    Device,
    QACard,
    Resource,
    ResourceKind,
    ResourceSkill,
    ResourceStatus,
    StudyMode,
    WorkItem,
)
from casspath.cass.queries import card_title
from casspath.core import audit

CARD_FIELDS = ("code", "question", "answer", "product_code", "tags", "duration_minutes", "status")
NEW_CARD_DEVICES = [Device.PHONE]
NEW_CARD_MODES = [StudyMode.PRE_SHIFT, StudyMode.ON_THE_WAY, StudyMode.LEISURE]


@transaction.atomic
def do_save_qa_card(
    cass_map: CassMap,
    values: dict,
    *,
    resource: Resource | None = None,
    dimension: tuple[str, int] | None = None,
    work_items: list[WorkItem] | None = None,
    acting_user,
) -> Resource:
    """Create a Q&A card in a map (resource None) or change one. `values` holds CARD_FIELDS;
    `dimension` is (code, level) or None; `work_items` (of the same map) replace the card's.
    One audit row with the changed fields."""
    require_editable(cass_map, acting_user)
    unknown = set(values) - set(CARD_FIELDS)
    if unknown:
        raise ValueError(f"not Q&A card fields: {sorted(unknown)}")
    for item in work_items or []:
        if item.cass_map_id != cass_map.pk:
            raise CassError(f"“{item}”不属于本地图", f"'{item}' belongs to another map")
    creating = resource is None
    if resource is None:
        resource = Resource(
            cass_map=cass_map,
            kind=ResourceKind.QA_CARD,
            devices=list(NEW_CARD_DEVICES),
            study_modes=list(NEW_CARD_MODES),
            duration_minutes=1,
        )
        card = QACard(resource=resource)
    else:
        if resource.kind != ResourceKind.QA_CARD or resource.cass_map_id != cass_map.pk:
            raise CassError("这不是本地图的问答卡", "This is not a Q&A card of this map")
        card = getattr(resource, "qa_card", None) or QACard(resource=resource)
    before = {
        "code": resource.code,
        "question": card.question,
        "answer": card.answer,
        "product_code": card.product_code,
        "tags": list(card.tags or []),
        "duration_minutes": resource.duration_minutes,
        "status": resource.status,
        "dimension": _dimension_of(resource) if not creating else None,
        "work_items": sorted(w.code for w in resource.work_items.all()) if not creating else [],
    }
    now = timezone.now()
    was_published = not creating and resource.status == ResourceStatus.PUBLISHED
    for key in ("code", "duration_minutes", "status"):
        if key in values:
            setattr(resource, key, values[key])
    for key in ("question", "answer", "product_code", "tags"):
        if key in values:
            setattr(card, key, values[key])
    resource.title = card_title(card.question)
    resource.updated_at = now
    if resource.status == ResourceStatus.PUBLISHED and not was_published:
        resource.published_at = now
    clean(resource)
    try:
        with transaction.atomic():
            resource.save()
    except IntegrityError:
        raise CassError(
            f"卡片编码“{resource.code}”在本地图中已被使用",
            f"The card code '{resource.code}' is already used in this map",
        ) from None
    card.resource = resource
    clean(card)
    card.save()
    ResourceSkill.objects.filter(resource=resource).delete()
    if dimension is not None:
        skill = ResourceSkill(resource=resource, dimension_code=dimension[0], level=dimension[1])
        clean(skill)
        skill.save()
    if work_items is not None:
        resource.work_items.set(work_items)
    after = {
        "code": resource.code,
        "question": card.question,
        "answer": card.answer,
        "product_code": card.product_code,
        "tags": list(card.tags or []),
        "duration_minutes": resource.duration_minutes,
        "status": resource.status,
        "dimension": dimension,
        "work_items": sorted(w.code for w in (work_items or []))
        if work_items is not None
        else before["work_items"],
    }
    changes = {} if creating else {k: [str(before[k]), str(after[k])] for k in after if before[k] != after[k]}
    touch(cass_map)
    audit.record(
        acting_user,
        CassVerb.SAVE_QA_CARD,
        resource,
        summary=str(resource),
        changes=changes,
        unit=cass_map.org_unit,
    )
    return resource


def _dimension_of(resource: Resource) -> tuple[str, int] | None:
    skills = sorted(resource.skills.all(), key=lambda s: s.dimension_code)
    return (skills[0].dimension_code, skills[0].level) if skills else None
