"""Writes of a work guide, its steps and their images. Each locks the guide, checks the
actor may edit its map, writes one audit row, and keeps the guide's learning resource in
step: its title and summary with the guide's, its duration with the reading time."""

import hashlib

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casspath.analytics.reading import text_reading_minutes
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.models import ActionSkill, ResourceKind, ResourceStatus, WorkItem
from casspath.core import audit
from casspath.core.errors import BilingualError
from casspath.core.filetypes import check_image
from casspath.knowledge.actions.ordering import remove_in_order, swap_with_neighbour
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import GuideImage, GuideStep, WorkGuide
from casspath.org import scopes

STEP_FIELDS = ("title", "text", "tips", "mistakes")
EXTENSIONS = {"image/png": "png", "image/jpeg": "jpg", "image/webp": "webp", "image/gif": "gif"}
MAX_IMAGES_PER_STEP = 12


class KnowledgeError(BilingualError):
    """A write to a work guide refused for what it says (both languages)."""


def _digest(upload: UploadedFile) -> str:
    """The file's name: its content's hash (never the uploader's name; the same demo twice
    gives the same names)."""
    sha = hashlib.sha256()
    for chunk in upload.chunks():
        sha.update(chunk)
    upload.seek(0)
    return sha.hexdigest()[:20]


def _lock(guide: WorkGuide, acting_user) -> WorkGuide:
    """Lock the guide's row until the transaction ends and check the actor may edit its map;
    a guide deleted since the page loaded is refused."""
    locked = (
        WorkGuide.objects.select_for_update(of=("self",))
        .select_related("resource__cass_map__org_unit", "work_item")
        .filter(pk=guide.pk)
        .first()
    )
    if locked is None:
        raise KnowledgeError("该工作指引已被删除", "This work guide no longer exists")
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, locked.resource.cass_map.org_unit)
    return locked


def reading_minutes_of(guide: WorkGuide) -> int:
    """The guide's reading time (casspath.analytics.reading): its intro, steps and images."""
    steps = list(GuideStep.objects.filter(guide=guide).values_list("title", "text", "tips", "mistakes"))
    images = GuideImage.objects.filter(step__guide=guide).count()
    return text_reading_minutes([guide.title, guide.intro, *(part for row in steps for part in row)], images)


def _changed(guide: WorkGuide, acting_user, *, resource_values: dict | None = None) -> None:
    """Mark the guide changed (a PDF printed before is stale) and bring its resource in step."""
    guide.updated_at = timezone.now()
    guide.save(update_fields=["updated_at"])
    values = dict(resource_values or {})
    minutes = reading_minutes_of(guide)
    if minutes != guide.resource.duration_minutes:
        values["duration_minutes"] = minutes
    if values:
        do_save_resource(guide.resource.cass_map, values, resource=guide.resource, acting_user=acting_user)


def _unit(guide: WorkGuide):
    return guide.resource.cass_map.org_unit


@transaction.atomic
def do_create_guide(work_item: WorkItem, *, title: str, intro: str = "", acting_user) -> WorkGuide:
    """The work item's guide, new and in draft, with its learning resource (kind work_guide)
    linked to the work item and its key actions; the existing one when it has one already
    (one guide per work event: a retry creates nothing twice)."""
    cass_map = work_item.cass_map
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, cass_map.org_unit)
    existing = WorkGuide.objects.filter(work_item=work_item).first()
    if existing is not None:
        return existing
    title, intro = title.strip(), intro.strip()
    guide = WorkGuide(work_item=work_item, title=title, intro=intro)
    guide.full_clean(exclude=["resource", "work_item"])
    resource = do_save_resource(
        cass_map,
        {
            "code": f"GUIDE-{work_item.code}",
            "kind": ResourceKind.WORK_GUIDE,
            "title": title,
            "summary": intro,
            "duration_minutes": text_reading_minutes([title, intro]),
            "devices": ["phone", "print"],
            "study_modes": ["action", "on_the_way"],
        },
        skills=_skills_of(work_item),
        work_items=[work_item],
        key_actions=list(work_item.actions.all()),
        acting_user=acting_user,
    )
    guide.resource = resource
    guide.save()
    audit.record(
        acting_user,
        KnowledgeVerb.CREATE_GUIDE,
        guide,
        summary=f"{work_item.code} {title}",
        unit=cass_map.org_unit,
    )
    return guide


def _skills_of(work_item: WorkItem) -> dict[str, int]:
    """What a guide teaches: each dimension its work item's key actions need, at the highest
    level any of them needs (so the learning map lists the guide under those dimensions)."""
    skills: dict[str, int] = {}
    for code, level in ActionSkill.objects.filter(action__work_item=work_item).values_list(
            "dimension_code", "level"):
        skills[code] = max(skills.get(code, 0), level)
    return skills


@transaction.atomic
def do_update_guide(guide: WorkGuide, *, title: str, intro: str, acting_user) -> WorkGuide:
    guide = _lock(guide, acting_user)
    values = {"title": title.strip(), "intro": intro.strip()}
    changes = audit.diff(guide, values)
    for key, value in values.items():
        setattr(guide, key, value)
    guide.full_clean(exclude=["resource", "work_item"])
    guide.save(update_fields=list(values))
    _changed(
        guide,
        acting_user,
        resource_values={"title": guide.title, "summary": guide.intro} if changes else None,
    )
    audit.record(
        acting_user,
        KnowledgeVerb.UPDATE_GUIDE,
        guide,
        summary=guide.title,
        changes=changes,
        unit=_unit(guide),
    )
    return guide


@transaction.atomic
def do_set_guide_status(guide: WorkGuide, status: str, *, acting_user) -> WorkGuide:
    """Publish, retire or take back to draft: the resource's status (cass's action, its audit
    row). A guide without steps is not published."""
    guide = _lock(guide, acting_user)
    if status == ResourceStatus.PUBLISHED and not GuideStep.objects.filter(guide=guide).exists():
        raise KnowledgeError(
            "工作指引至少要有一个步骤才能发布", "Add at least one step before publishing the guide"
        )
    guide.resource = do_set_resource_status(guide.resource, status, acting_user=acting_user)
    return guide


@transaction.atomic
def do_save_step(guide: WorkGuide, values: dict, *, step: GuideStep | None = None, acting_user) -> GuideStep:
    """Add a step at the end of the guide (step None) or change one; `values` holds STEP_FIELDS."""
    guide = _lock(guide, acting_user)
    unknown = set(values) - set(STEP_FIELDS)
    if unknown:
        raise ValueError(f"not step fields: {sorted(unknown)}")
    creating = step is None
    if step is None:
        last = GuideStep.objects.filter(guide=guide).aggregate(last=Max("order"))["last"] or 0
        step = GuideStep(guide=guide, order=last + 1)
    elif step.guide_id != guide.pk:
        raise KnowledgeError("该步骤不属于本指引", "This step belongs to another guide")
    values = {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}
    changes = audit.diff(step, values) if not creating else {}
    for key, value in values.items():
        setattr(step, key, value)
    step.full_clean(exclude=["guide"])
    step.save()
    step.guide = guide
    _changed(guide, acting_user)
    audit.record(
        acting_user,
        KnowledgeVerb.SAVE_STEP,
        step,
        summary=f"{guide.title} · {step}",
        changes=changes,
        unit=_unit(guide),
    )
    return step


@transaction.atomic
def do_move_step(step: GuideStep, offset: int, *, acting_user) -> GuideStep:
    """Move a step up (offset -1) or down (+1) by swapping it with its neighbour; at either
    end it stays where it is."""
    if offset not in (-1, 1):
        raise ValueError("a step moves by one place")
    guide = _lock(step.guide, acting_user)
    try:
        moved, before, after = swap_with_neighbour(GuideStep.objects.filter(guide=guide), step.pk, offset)
    except LookupError:
        raise KnowledgeError("该步骤已被删除", "This step no longer exists") from None
    if after is not None:
        _changed(guide, acting_user)
        audit.record(
            acting_user,
            KnowledgeVerb.MOVE_STEP,
            moved,
            summary=f"{guide.title} · {moved}",
            changes={"order": [before, after]},
            unit=_unit(guide),
        )
    moved.guide = guide
    return moved


@transaction.atomic
def do_remove_step(step: GuideStep, *, acting_user) -> None:
    """Remove a step with its images (their files once the removal commits: models.py); the
    steps after it move up."""
    guide = _lock(step.guide, acting_user)
    remove_in_order(
        GuideStep.objects.filter(guide=guide),
        step,
        gone=KnowledgeError("该步骤已被删除", "This step no longer exists"),
        acting_user=acting_user,
        verb=KnowledgeVerb.REMOVE_STEP,
        summary=f"{guide.title} · {step}",
        unit=_unit(guide),
    )
    _changed(guide, acting_user)


@transaction.atomic
def do_add_image(step: GuideStep, upload: UploadedFile, *, caption: str = "", acting_user) -> GuideImage:
    """Hang an uploaded image on a step, after the others. The file is checked by its content
    first (core.filetypes.check_image): a refused one stores nothing."""
    guide = _lock(step.guide, acting_user)
    info = check_image(upload)
    if GuideImage.objects.filter(step_id=step.pk).count() >= MAX_IMAGES_PER_STEP:
        raise KnowledgeError(
            f"每个步骤最多 {MAX_IMAGES_PER_STEP} 张图片", f"A step has at most {MAX_IMAGES_PER_STEP} images"
        )
    last = GuideImage.objects.filter(step_id=step.pk).aggregate(last=Max("order"))["last"] or 0
    image = GuideImage(
        step=step,
        caption=caption.strip(),
        order=last + 1,
        content_type=info.content_type,
        width=info.width,
        height=info.height,
    )
    image.full_clean(exclude=["step", "file"])
    image.file.save(f"{_digest(upload)}.{EXTENSIONS[info.content_type]}", upload, save=False)
    storage, name = image.file.storage, image.file.name or ""
    try:
        # Files are not transactional: whatever fails after the file is stored removes it.
        with transaction.atomic():
            image.save()
            step.guide = guide
            _changed(guide, acting_user)
            audit.record(
                acting_user,
                KnowledgeVerb.ADD_IMAGE,
                image,
                summary=f"{guide.title} · {step.title}",
                unit=_unit(guide),
            )
    except BaseException:
        storage.delete(name)
        raise
    return image


@transaction.atomic
def do_remove_image(image: GuideImage, *, acting_user) -> None:
    guide = _lock(image.step.guide, acting_user)
    pk, label = image.pk, str(image)
    deleted, _ = GuideImage.objects.filter(pk=pk, step__guide=guide).delete()
    if not deleted:
        raise KnowledgeError("该图片已被删除", "This image no longer exists")
    _changed(guide, acting_user)
    audit.record(
        acting_user,
        KnowledgeVerb.REMOVE_IMAGE,
        object_type="knowledge.guideimage",
        object_id=str(pk),
        summary=f"{guide.title} · {label}",
        unit=_unit(guide),
    )
