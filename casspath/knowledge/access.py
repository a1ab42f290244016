"""The only way a view loads a work guide, its steps, images and PDFs, a step of a process
map (its map is loaded through cass/access.py), a case, a product.

Scoped as the CASS map the guide hangs on (cass/access.py): who may read the map may read
its published guides; those who may edit the map (EDIT_MODELS over its owner unit) see its
guides in any status and edit them. The same 404 for "absent" and "not visible"; 403 for
visible but not editable.

Cases: a published case is read by whoever may read its map; a case in any other status by
its author (the employee whose login he is) and by its reviewers, those who may edit the
map (training admins and consultants over its owner unit). Its comments (the review's
thread) stay theirs once it is published. Products are read and edited as
their map.

Product courses are learning resources as guides are, read and edited by the same rule.
Their lecturer manuals are for those who run team sessions: who may read the course and
holds READ_MANUALS (team leads, lecturers; training admins and consultants), and whoever may
edit the map; an account manager gets the same 404 as for an absent manual.

A pocket book is downloaded by the one who asked for it and by whoever may edit its map; to
anyone else it is absent.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404

from casspath.cass.access import editable_maps_q, may_edit_map, visible_maps_q
from casspath.cass.models import CassMap, ResourceStatus
from casspath.knowledge.models import (
    AUTHOR,
    REVIEWER,
    Case,
    CaseAttachment,
    CaseStatus,
    Course,
    CourseQuestion,
    GuideImage,
    GuideStep,
    Industry,
    ManualSegment,
    PocketBook,
    ProcessStep,
    Product,
    ProductActivationStep,
    Solution,
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


def access_process_step_by_key(cass_map: CassMap, key: str) -> ProcessStep:
    """A step of a map's process map by its code (as written, then in any case) or, when no
    step has that code, by its id; 404 otherwise (another map's step included)."""
    steps = ProcessStep.objects.filter(cass_map=cass_map).select_related("parent__parent")
    key = (key or "").strip()
    step = steps.filter(code=key).first() or steps.filter(code__iexact=key).order_by("id").first()
    if step is None and key.isdigit():
        step = steps.filter(pk=int(key)).first()
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


def case_roles(user, case: Case) -> set[str]:
    """What `user` is to the case (AUTHOR, REVIEWER): the roles its moves ask for (CASE_MOVES)."""
    roles = set()
    if is_case_author(user, case):
        roles.add(AUTHOR)
    if may_review_case(user, case):
        roles.add(REVIEWER)
    return roles


def may_read_case_comments(user, case: Case) -> bool:
    """The case's comments are its review's (the reviewers' asks, the author's replies): read
    by its author and its reviewers only, a published case's readers included out."""
    return is_case_author(user, case) or may_review_case(user, case)


def visible_courses_q(user) -> Q:
    """A filter on Course: as on guides (both hang on their learning resource)."""
    return visible_guides_q(user)


def may_edit_course(user, course: Course) -> bool:
    return may_edit_map(user, course.resource.cass_map)


def may_read_manual(user, course: Course) -> bool:
    """The course's lecturer manual (the caller has accessed the course): its editors, and
    those who run team sessions once the course is published."""
    if may_edit_course(user, course):
        return True
    return course.resource.status == ResourceStatus.PUBLISHED and scopes.has_perm(
        user, scopes.Perm.READ_MANUALS
    )


def access_course_by_id(user, course_id, *, for_edit: bool = False) -> Course:
    course = (
        Course.objects.filter(visible_courses_q(user), pk=_id(course_id))
        .select_related("resource__cass_map__org_unit", "product", "manual")
        .first()
    )
    if course is None:
        raise Http404("no such course")
    if for_edit and not may_edit_course(user, course):
        raise PermissionDenied("not allowed to edit this course")
    return course


def access_manual_by_course_id(user, course_id) -> Course:
    """The course whose lecturer manual `user` may read; 404 as for an absent one otherwise."""
    course = access_course_by_id(user, course_id)
    if not may_read_manual(user, course):
        raise Http404("no such lecturer manual")
    return course


def access_question_in_course(course: Course, question_id) -> CourseQuestion:
    question = CourseQuestion.objects.filter(course=course, pk=_id(question_id)).first()
    if question is None:
        raise Http404("no such question")
    question.course = course
    return question


def access_segment_in_course(course: Course, segment_id) -> ManualSegment:
    segment = (
        ManualSegment.objects.filter(manual__course=course, pk=_id(segment_id))
        .select_related("manual")
        .first()
    )
    if segment is None:
        raise Http404("no such segment")
    segment.manual.course = course
    return segment


# --- the product map: products and solutions are read and edited as their map --------------


def access_product_by_id(user, product_id, *, for_edit: bool = False) -> Product:
    """A product of a map `user` may read (an inactive one too: its cases still name it);
    403 with for_edit unless he may edit the map."""
    product = (
        Product.objects.filter(visible_maps_q(user, "cass_map__"), pk=_id(product_id))
        .select_related("cass_map__org_unit")
        .first()
    )
    if product is None:
        raise Http404("no such product")
    if for_edit and not may_edit_map(user, product.cass_map):
        raise PermissionDenied("not allowed to edit this product")
    return product


def access_activation_step_in_product(product: Product, step_id) -> ProductActivationStep:
    """A step of a product the caller has already accessed; 404 if it belongs to another."""
    step = ProductActivationStep.objects.filter(product=product, pk=_id(step_id)).first()
    if step is None:
        raise Http404("no such activation step")
    step.product = product
    return step


def access_industry_in_map(cass_map: CassMap, industry_id) -> Industry:
    """An industry of a map the caller has already accessed; 404 if it belongs to another."""
    industry = Industry.objects.filter(cass_map=cass_map, pk=_id(industry_id)).first()
    if industry is None:
        raise Http404("no such industry")
    industry.cass_map = cass_map
    return industry


def access_solution_by_id(user, solution_id, *, for_edit: bool = False) -> Solution:
    solution = (
        Solution.objects.filter(visible_maps_q(user, "cass_map__"), pk=_id(solution_id))
        .select_related("cass_map__org_unit", "industry")
        .first()
    )
    # One no longer offered is its editors' only, as the list shows it.
    if solution is None or (not solution.active and not may_edit_map(user, solution.cass_map)):
        raise Http404("no such solution")
    if for_edit and not may_edit_map(user, solution.cass_map):
        raise PermissionDenied("not allowed to edit this solution")
    return solution
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


def access_pocketbook_by_id(user, book_id) -> PocketBook:
    """A pocket book `user` asked for, or of a map he may edit; 404 otherwise."""
    found = PocketBook.objects.filter(pk=_id(book_id)).select_related("cass_map__org_unit").first()
    if found is None or not (
        (found.created_by_id is not None and found.created_by_id == getattr(user, "pk", None))
        or may_edit_map(user, found.cass_map)
    ):
        raise Http404("no such pocket book")
    return found
