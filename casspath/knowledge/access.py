"""The only way a view loads a work guide, its steps, images and PDFs, a step of a process
map (its map is loaded through cass/access.py), a case, a product.

Scoped as the CASS map the guide hangs on (cass/access.py): who may read the map may read
its published guides; those who may edit the map (EDIT_MODELS over its owner unit) see its
guides in any status and edit them. The same 404 for "absent" and "not visible"; 403 for
visible but not editable.

Cases: a published case is read by whoever may read its map; a case in any other status by
its author (the employee whose login he is) and by its reviewers, those who may edit the
map (training admins and consultants over its owner unit). Products are read and edited as
their map.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casspath.cass.access import editable_maps_q, may_edit_map, visible_maps_q
from casspath.cass.models import CassMap, ResourceStatus
from casspath.knowledge.models import (
    Case,
    CaseAttachment,
    CaseStatus,
    GuideImage,
    GuideStep,
    ProcessStep,
    WorkGuide,
)
from casspath.org import scopes

MAP = "resource__cass_map__"


def visible_guides_q(user) -> Q:
    """A filter on WorkGuide: published ones of the maps he may read, any of those he may edit."""
    if scopes.is_unrestricted(user):
        # Q() | X is X in Django (an empty Q drops out of an OR): say "everything" plainly.
        return Q()
    published = visible_maps_q(user, MAP) & Q(resource__status=ResourceStatus.PUBLISHED)
    return published | editable_maps_q(user, MAP)


def editable_guides_q(user) -> Q:
    return editable_maps_q(user, MAP)


def may_edit_guide(user, guide: WorkGuide) -> bool:
    return may_edit_map(user, guide.resource.cass_map)


def _id(value) -> int:
    try:
        return int(value)
    except (TypeError, ValueError):
        raise Http404("no such object") from None


def access_guide_by_id(user, guide_id, *, for_edit: bool = False) -> WorkGuide:
    guide = (
        WorkGuide.objects.filter(visible_guides_q(user), pk=_id(guide_id))
        .select_related("resource__cass_map__org_unit", "work_item")
        .first()
    )
    if guide is None:
        raise Http404("no such work guide")
    if for_edit and not may_edit_guide(user, guide):
        raise PermissionDenied("not allowed to edit this work guide")
    return guide


def access_step_in_guide(guide: WorkGuide, step_id) -> GuideStep:
    """A step of a guide the caller has already accessed; 404 if it belongs to another."""
    step = GuideStep.objects.filter(guide=guide, pk=_id(step_id)).first()
    if step is None:
        raise Http404("no such step")
    step.guide = guide
    return step


def access_image_in_guide(guide: WorkGuide, image_id) -> GuideImage:
    image = GuideImage.objects.filter(step__guide=guide, pk=_id(image_id)).select_related("step").first()
    if image is None:
        raise Http404("no such image")
    image.step.guide = guide
    return image


def access_process_step_in_map(cass_map: CassMap, step_id) -> ProcessStep:
    """A phase or step of a map's process map, the map already accessed; 404 if it belongs
    to another map."""
    step = ProcessStep.objects.filter(cass_map=cass_map, pk=_id(step_id)).select_related("parent").first()
    if step is None:
        raise Http404("no such process step")
    step.cass_map = cass_map
    return step


def visible_cases_q(user) -> Q:
    """A filter on Case: published ones of the maps he may read, his own of those maps in any
    status, any of the maps he may review (edit)."""
    if scopes.is_unrestricted(user):
        return Q()
    readable = visible_maps_q(user, "cass_map__")
    published = readable & Q(status=CaseStatus.PUBLISHED)
    if getattr(user, "is_authenticated", False):
        published |= readable & Q(author__user=user)
    return published | editable_maps_q(user, "cass_map__")


def may_review_case(user, case: Case) -> bool:
    """Edit, ask for changes, publish, retire: who may edit the case's map."""
    return may_edit_map(user, case.cass_map)


def is_case_author(user, case: Case) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and (
        case.author is not None and case.author.user_id == user.pk
    )


def may_edit_case(user, case: Case) -> bool:
    """Change its text and tags: a reviewer always, its author while it is his to change
    (a draft, or sent back to him)."""
    if may_review_case(user, case):
        return True
    return is_case_author(user, case) and case.status in (CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED)


def access_case_by_id(user, case_id, *, for_review: bool = False, for_edit: bool = False) -> Case:
    """A case he may see (visible_cases_q); 404 for one absent or not visible, 403 for one
    visible that he may not review (`for_review`) or change (`for_edit`)."""
    case = (
        Case.objects.filter(visible_cases_q(user), pk=_id(case_id))
        .select_related("cass_map__org_unit", "author", "resource")
        .first()
    )
    if case is None:
        raise Http404("no such case")
    if for_review and not may_review_case(user, case):
        raise PermissionDenied("not allowed to review this case")
    if for_edit and not may_edit_case(user, case):
        raise PermissionDenied("not allowed to change this case")
    return case


def access_attachment_in_case(case: Case, attachment_id) -> CaseAttachment:
    """An attachment of a case the caller has already accessed; 404 if it belongs to another."""
    attachment = CaseAttachment.objects.filter(case=case, pk=_id(attachment_id)).first()
    if attachment is None:
        raise Http404("no such attachment")
    attachment.case = case
    return attachment
