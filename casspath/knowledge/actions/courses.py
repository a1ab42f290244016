"""Writes of a product course, its check (three questions) and its lecturer manual. Each
locks the course, checks the actor may edit its map, writes one audit row, and keeps the
course's learning resource in step: its title and summary with the course's, its duration
with the reading time. Publishing checks the check and the manual's length
(casspath.analytics.sessions)."""

from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from casspath.analytics.reading import text_reading_minutes
from casspath.analytics.sessions import MAX_SESSION_MINUTES, MIN_SESSION_MINUTES, session_length
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.models import KeyAction, ResourceKind, ResourceStatus
from casspath.cass.queries import map_dimensions
from casspath.core import audit
from casspath.core.errors import BilingualError
from casspath.knowledge.actions.ordering import remove_in_order, swap_with_neighbour
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import Course, CourseQuestion, LecturerManual, ManualSegment, Product
from casspath.knowledge.models.courses import COURSE_FIELDS
from casspath.org import scopes

QUESTIONS = 3  # the check: three questions, no more, no fewer to publish
QUESTION_FIELDS = ("stem", "options", "answer", "explanation")
MANUAL_FIELDS = ("objective", "preparation")
SEGMENT_FIELDS = ("minutes", "kind", "title", "say", "show", "question", "expected")
# What a course teaches: product knowledge (产品知识), where the map's model has it.
SKILL = ("D07", 2)


class CourseError(BilingualError):
    """A write to a product course refused for what it says (both languages)."""


def _lock(course: Course, acting_user) -> Course:
    locked = (
        Course.objects.select_for_update(of=("self",))
        .select_related("resource__cass_map__org_unit", "product", "manual")
        .filter(pk=course.pk)
        .first()
    )
    if locked is None:
        raise CourseError("该课程已被删除", "This course no longer exists")
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, locked.resource.cass_map.org_unit)
    return locked


def _unit(course: Course):
    return course.resource.cass_map.org_unit


def _stripped(values: dict, allowed: tuple[str, ...], what: str) -> dict:
    unknown = set(values) - set(allowed)
    if unknown:
        raise ValueError(f"not {what} fields: {sorted(unknown)}")
    return {key: value.strip() if isinstance(value, str) else value for key, value in values.items()}


def reading_minutes_of(course: Course) -> int:
    """The course's reading time (casspath.analytics.reading): its text and its check."""
    questions = CourseQuestion.objects.filter(course=course).values_list("stem", "options", "explanation")
    texts = [getattr(course, name) for name in COURSE_FIELDS]
    return text_reading_minutes([*texts, *(part for row in questions for part in row)])


def _changed(course: Course, acting_user, *, resource_values: dict | None = None) -> None:
    """Mark the course changed (a PDF printed before is stale) and bring its resource in step."""
    course.updated_at = timezone.now()
    course.save(update_fields=["updated_at"])
    values = dict(resource_values or {})
    minutes = reading_minutes_of(course)
    if minutes != course.resource.duration_minutes:
        values["duration_minutes"] = minutes
    if values:
        do_save_resource(course.resource.cass_map, values, resource=course.resource, acting_user=acting_user)


def _summary(course: Course) -> str:
    return course.definition[:300]


@transaction.atomic
def do_create_course(product: Product, *, title: str, acting_user) -> Course:
    """The product's course, new and in draft, with its learning resource (kind course) and
    its empty lecturer manual; the existing one when it has one already (one course per
    product: a retry creates nothing twice)."""
    cass_map = product.cass_map
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, cass_map.org_unit)
    existing = Course.objects.filter(product=product).first()
    if existing is not None:
        return existing
    course = Course(product=product, title=title.strip())
    course.full_clean(exclude=["resource", "product"])
    code, level = SKILL
    # What a product course trains: the key actions that need product knowledge, and their
    # work items (a plan finds the course through them).
    actions = list(
        KeyAction.objects.filter(cass_map=cass_map, skills__dimension_code=code)
        .select_related("work_item")
        .distinct()
        .order_by("code")
    )
    items = sorted({action.work_item for action in actions}, key=lambda item: item.code)
    resource = do_save_resource(
        cass_map,
        {
            "code": f"COURSE-{product.code}",
            "kind": ResourceKind.COURSE,
            "title": course.title,
            "summary": "",
            "duration_minutes": text_reading_minutes([course.title]),
            "devices": ["phone", "print"],
            "study_modes": ["team", "leisure"],
        },
        skills={code: level} if code in map_dimensions(cass_map) else None,
        work_items=items,
        key_actions=actions,
        acting_user=acting_user,
    )
    course.resource = resource
    course.save()
    LecturerManual.objects.create(course=course)
    audit.record(
        acting_user,
        KnowledgeVerb.CREATE_COURSE,
        course,
        summary=f"{product.code} {course.title}",
        unit=cass_map.org_unit,
    )
    return course


@transaction.atomic
def do_update_course(course: Course, values: dict, *, acting_user) -> Course:
    """Change the course's text (`values` holds COURSE_FIELDS)."""
    course = _lock(course, acting_user)
    values = _stripped(values, COURSE_FIELDS, "course")
    changes = audit.diff(course, values)
    for key, value in values.items():
        setattr(course, key, value)
    course.full_clean(exclude=["resource", "product"])
    course.save(update_fields=list(values))
    _changed(
        course,
        acting_user,
        resource_values={"title": course.title, "summary": _summary(course)} if changes else None,
    )
    audit.record(
        acting_user,
        KnowledgeVerb.UPDATE_COURSE,
        course,
        summary=course.title,
        changes=changes,
        unit=_unit(course),
    )
    return course


def _question_problem(number: int, question: CourseQuestion) -> BilingualError | None:
    """Why the question cannot stand in the check, or None: at least two distinct options,
    the answer one of them."""
    options = question.option_lines
    if len(options) < 2:
        return CourseError(
            f"第 {number} 题至少要有两个选项（每行一个）",
            f"Question {number} needs at least two options (one a line)",
        )
    if len(set(options)) != len(options):
        return CourseError(f"第 {number} 题有重复的选项", f"Question {number} lists an option twice")
    if question.answer not in options:
        return CourseError(
            f"第 {number} 题的答案「{question.answer}」不在选项中",
            f"The answer '{question.answer}' of question {number} is not among its options",
        )
    return None


def _save_part(course: Course, part, values: dict, *, creating: bool, verb, check, acting_user):
    """Write `values` on a question or a segment of the locked course, refused with what
    `check(part)` finds wrong, and audit it."""
    changes = {} if creating else audit.diff(part, values)
    for key, value in values.items():
        setattr(part, key, value)
    part.full_clean(exclude=["course", "manual"])
    problem = check(part)
    if problem is not None:
        raise problem
    part.save()
    _changed(course, acting_user)
    audit.record(
        acting_user, verb, part, summary=f"{course.title} · {part}", changes=changes, unit=_unit(course)
    )
    return part


@transaction.atomic
def do_save_question(
    course: Course, values: dict, *, question: CourseQuestion | None = None, acting_user
) -> CourseQuestion:
    """Add a question at the end of the check (question None) or change one; `values` holds
    QUESTION_FIELDS. A check holds three questions at most; an answer must be one of the options."""
    course = _lock(course, acting_user)
    values = _stripped(values, QUESTION_FIELDS, "question")
    creating = question is None
    if question is None:
        count = CourseQuestion.objects.filter(course=course).count()
        if count >= QUESTIONS:
            raise CourseError(
                f"课程检测最多 {QUESTIONS} 道题，请先修改或删除已有的题目",
                f"The check holds {QUESTIONS} questions at most: change or remove one first",
            )
        question = CourseQuestion(course=course, order=count + 1)
    elif question.course_id != course.pk:
        raise CourseError("该题目不属于本课程", "This question belongs to another course")
    return _save_part(
        course,
        question,
        values,
        creating=creating,
        verb=KnowledgeVerb.SAVE_QUESTION,
        check=lambda q: _question_problem(q.order, q),
        acting_user=acting_user,
    )


@transaction.atomic
def do_remove_question(question: CourseQuestion, *, acting_user) -> None:
    course = _lock(question.course, acting_user)
    remove_in_order(
        CourseQuestion.objects.filter(course=course),
        question,
        gone=CourseError("该题目已被删除", "This question no longer exists"),
        acting_user=acting_user,
        verb=KnowledgeVerb.REMOVE_QUESTION,
        summary=f"{course.title} · {question}",
        unit=_unit(course),
    )
    _changed(course, acting_user)


@transaction.atomic
def do_update_manual(course: Course, values: dict, *, acting_user) -> LecturerManual:
    """The manual's objective and preparation (`values` holds MANUAL_FIELDS)."""
    course = _lock(course, acting_user)
    values = _stripped(values, MANUAL_FIELDS, "manual")
    manual = course.manual
    changes = audit.diff(manual, values)
    for key, value in values.items():
        setattr(manual, key, value)
    manual.full_clean(exclude=["course"])
    manual.save(update_fields=list(values))
    _changed(course, acting_user)
    audit.record(
        acting_user,
        KnowledgeVerb.UPDATE_MANUAL,
        manual,
        summary=course.title,
        changes=changes,
        unit=_unit(course),
    )
    return manual


@transaction.atomic
def do_save_segment(
    course: Course, values: dict, *, segment: ManualSegment | None = None, acting_user
) -> ManualSegment:
    """Add a segment at the end of the manual (segment None) or change one; `values` holds
    SEGMENT_FIELDS."""
    course = _lock(course, acting_user)
    manual = course.manual
    values = _stripped(values, SEGMENT_FIELDS, "segment")
    creating = segment is None
    if segment is None:
        last = ManualSegment.objects.filter(manual=manual).aggregate(last=Max("order"))["last"] or 0
        segment = ManualSegment(manual=manual, order=last + 1)
    elif segment.manual_id != manual.pk:
        raise CourseError("该环节不属于本讲师手册", "This segment belongs to another lecturer manual")
    return _save_part(
        course,
        segment,
        values,
        creating=creating,
        verb=KnowledgeVerb.SAVE_SEGMENT,
        check=_segment_problem,
        acting_user=acting_user,
    )


def _segment_problem(segment: ManualSegment) -> BilingualError | None:
    if not 1 <= segment.minutes <= MAX_SESSION_MINUTES:
        return CourseError(
            f"每个环节的时长须在 1–{MAX_SESSION_MINUTES} 分钟之间",
            f"A segment lasts 1 to {MAX_SESSION_MINUTES} minutes",
        )
    return None


@transaction.atomic
def do_move_segment(segment: ManualSegment, offset: int, *, acting_user) -> ManualSegment:
    """Move a segment up (-1) or down (+1); at either end it stays where it is."""
    course = _lock(segment.manual.course, acting_user)
    try:
        moved, before, after = swap_with_neighbour(
            ManualSegment.objects.filter(manual=course.manual), segment.pk, offset
        )
    except LookupError:
        raise CourseError("该环节已被删除", "This segment no longer exists") from None
    if after is not None:
        _changed(course, acting_user)
        audit.record(
            acting_user,
            KnowledgeVerb.MOVE_SEGMENT,
            moved,
            summary=f"{course.title} · {moved}",
            changes={"order": [before, after]},
            unit=_unit(course),
        )
    return moved


@transaction.atomic
def do_remove_segment(segment: ManualSegment, *, acting_user) -> None:
    course = _lock(segment.manual.course, acting_user)
    remove_in_order(
        ManualSegment.objects.filter(manual=course.manual),
        segment,
        gone=CourseError("该环节已被删除", "This segment no longer exists"),
        acting_user=acting_user,
        verb=KnowledgeVerb.REMOVE_SEGMENT,
        summary=f"{course.title} · {segment}",
        unit=_unit(course),
    )
    _changed(course, acting_user)


def publish_problems(course: Course) -> list[BilingualError]:
    """Why the course cannot be published yet (empty when it can): its check must hold
    exactly three valid questions, its manual's segments must last 15–20 minutes in all."""
    problems: list[BilingualError] = []
    questions = list(CourseQuestion.objects.filter(course=course).order_by("order", "id"))
    if len(questions) != QUESTIONS:
        problems.append(
            CourseError(
                f"课程检测须恰好 {QUESTIONS} 道题才能发布，现有 {len(questions)} 道",
                f"The check needs exactly {QUESTIONS} questions to publish; it has {len(questions)}",
            )
        )
    problems += [p for n, q in enumerate(questions, start=1) if (p := _question_problem(n, q)) is not None]
    minutes = list(ManualSegment.objects.filter(manual__course=course).values_list("minutes", flat=True))
    length = session_length(minutes)
    low, high = MIN_SESSION_MINUTES, MAX_SESSION_MINUTES
    if not length.within:
        problems.append(
            CourseError(
                f"讲师手册各环节共 {length.total} 分钟，须在 {low}–{high} 分钟之间才能发布",
                f"The lecturer manual's segments last {length.total} minutes in all; a session must last "
                f"{low}–{high} minutes to publish",
            )
        )
    return problems


@transaction.atomic
def do_set_course_status(course: Course, status: str, *, acting_user) -> Course:
    """Publish, retire or take back to draft (the resource's status: cass's action, its audit
    row); the manual goes with its course. Publishing is refused with the reasons of
    publish_problems, all of them named."""
    course = _lock(course, acting_user)
    if status == ResourceStatus.PUBLISHED:
        problems = publish_problems(course)
        if problems:
            raise CourseError(
                "；".join(p.message_zh for p in problems), " ".join(f"{p.message_en}." for p in problems)
            )
    course.resource = do_set_resource_status(
        course.resource, status, acting_user=acting_user, owner_checked=True
    )
    return course
