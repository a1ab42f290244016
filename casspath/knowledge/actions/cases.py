"""Writes of the case library (案例地图): a case saved, submitted, sent back with a comment,
published, retired; comments; useful marks; the reviewer's pick.

Each write locks the case's row, checks who makes it (the author: save his draft or a case
sent back to him, submit, reply; a reviewer, who may edit the case's map: everything but
submitting), checks the move against CASE_TRANSITIONS (the one InvalidTransition for any
other, naming the case and both states) and the actor's roles on the case against what
CASE_MOVES asks of that move (a reviewer publishes another author's draft only once it was
submitted to him), and writes one audit row. Publishing makes or
updates the case's learning resource (cass.Resource of kind case) through cass's actions.
"""

from collections.abc import Iterable
from functools import partial

from django.db import IntegrityError, transaction
from django.utils import timezone

from casspath.analytics.reading import text_reading_minutes
from casspath.cass.access import visible_maps_q
from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.models import (
    ActionSkill,
    CassMap,
    KeyAction,
    Resource,
    ResourceKind,
    ResourceStatus,
    WorkItem,
)
from casspath.core import audit
from casspath.core.actors import actor_label
from casspath.core.errors import InvalidTransition
from casspath.knowledge.access import case_roles, is_case_author, may_review_case
from casspath.knowledge.actions.guides import KnowledgeError
from casspath.knowledge.actions.process import _dimension_codes
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import (
    AUTHOR,
    CASE_TRANSITIONS,
    Case,
    CaseComment,
    CaseRead,
    CaseStatus,
    CaseUseful,
    Industry,
    ProcessStep,
    Product,
    may_discard,
    may_move,
)
from casspath.org import scopes
from casspath.org.models import Employee

CASE_FIELDS = (
    "code",
    "title",
    "knowledge_point",
    "story",
    "background",
    "challenge",
    "actions",
    "result",
    "tools",
    "dimension_codes",
    "customer_type",
    "customer_size",
)
# The structured parts after the story, in the order the page and the resource's text show them.
PARTS = ("background", "challenge", "actions", "result", "tools")
# The import's headers (CONTRACTS.md): one name for each part, on the page and in the file.
PART_LABELS = {
    "background": "背景",
    "challenge": "挑战",
    "actions": "做法",
    "result": "结果",
    "tools": "工具",
}
# A dimension a case teaches when no key action of its steps names a level for it.
DEFAULT_LEVEL = 1
# Whoever edits a case, these stay the author's to change only through the moves below.
EDITABLE_BY_AUTHOR = frozenset({CaseStatus.DRAFT, CaseStatus.CHANGES_REQUESTED})


class CaseError(KnowledgeError):
    """A write to a case refused for what it says (both languages)."""


def _label(status: str) -> str:
    return str(CaseStatus(status).label)


def check_move(case: Case, to: str) -> None:
    """Refuse (InvalidTransition) a move CASE_TRANSITIONS does not allow, naming the case."""
    if to not in CASE_TRANSITIONS.get(case.status, frozenset()):
        raise InvalidTransition(
            f"案例“{case.title}”不能从「{_label(case.status)}」改为「{_label(to)}」",
            f"The case '{case.title}' cannot go from {case.status} to {to}",
        )


def _refuse(acting_user, zh: str, en: str) -> scopes.ScopeRefused:
    who = actor_label(acting_user)
    return scopes.ScopeRefused(f"{who} {zh}", f"{who} {en}")


def _lock(case: Case) -> Case:
    locked = (
        Case.objects.select_for_update(of=("self",))
        .select_related("cass_map__org_unit", "author", "resource")
        .filter(pk=case.pk)
        .first()
    )
    if locked is None:
        raise CaseError("该案例已被删除", "This case no longer exists")
    return locked


def _require_reviewer(case: Case, acting_user) -> None:
    if not may_review_case(acting_user, case):
        raise _refuse(acting_user, f"无权审核案例“{case.title}”", f"may not review the case '{case.title}'")


def _require_author(case: Case, acting_user) -> None:
    if not is_case_author(acting_user, case):
        raise _refuse(
            acting_user, f"不是案例“{case.title}”的作者", f"is not the author of the case '{case.title}'"
        )


def _record(acting_user, verb: KnowledgeVerb, case: Case, changes: dict | None = None) -> None:
    audit.record(
        acting_user,
        verb,
        case,
        summary=f"{case.cass_map.name} · {case.code} {case.title}",
        changes=changes,
        unit=case.cass_map.org_unit,
    )


# --- saving ------------------------------------------------------------------------------


def _clean(cass_map: CassMap, values: dict) -> dict:
    unknown = set(values) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"not case fields: {sorted(unknown)}")
    cleaned = {
        key: value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
        for key, value in values.items()
    }
    if "dimension_codes" in cleaned:
        cleaned["dimension_codes"] = _dimension_codes(cass_map, cleaned["dimension_codes"])
    return cleaned


def _same_map(cass_map: CassMap, rows: Iterable, what_zh: str, what_en: str) -> list:
    rows = list(rows)
    foreign = next((row for row in rows if row.cass_map_id != cass_map.pk), None)
    if foreign is not None:
        raise CaseError(
            f"{what_zh}“{foreign}”不属于本 CASS 地图", f"The {what_en} '{foreign}' is in another CASS map"
        )
    return rows


def _next_code(cass_map: CassMap) -> str:
    """C0001, C0002…: the next free number of the map's cases written on the pages."""
    taken = set(Case.objects.filter(cass_map=cass_map, code__startswith="C").values_list("code", flat=True))
    number = len(taken) + 1
    while f"C{number:04d}" in taken:
        number += 1
    return f"C{number:04d}"


def _code_taken(code: str) -> CaseError:
    return CaseError(
        f"案例编号“{code}”在本地图中已被使用", f"The case code '{code}' is already used in this map"
    )


def _set_tags(case: Case, tags: dict[str, list | None], changes: dict, creating: bool) -> None:
    for field, rows in tags.items():
        if rows is None:
            continue
        manager = getattr(case, field)
        before = set() if creating else set(manager.values_list("code", flat=True))
        after = {row.code for row in rows}
        if before != after:
            manager.set(rows)
            if not creating:
                changes[field] = [", ".join(sorted(before)), ", ".join(sorted(after))]


def _same_case_sent_again(cass_map: CassMap, author: Employee, values: dict) -> Case | None:
    """The case the author wrote with this very title, knowledge point and story and has not
    seen published yet: the same form sent twice (a double tap, the browser sending it
    again), which writes nothing more. The author's row is locked first, so two sendings at
    once are one after the other."""
    Employee.objects.select_for_update().filter(pk=author.pk).first()
    return (
        Case.objects.filter(
            cass_map=cass_map,
            author=author,
            status__in=[*EDITABLE_BY_AUTHOR, CaseStatus.IN_REVIEW],
            title=values.get("title", ""),
            knowledge_point=values.get("knowledge_point", ""),
            story=values.get("story", ""),
        )
        .order_by("-id")
        .first()
    )


@transaction.atomic
def do_save_case(
    cass_map: CassMap,
    values: dict,
    *,
    case: Case | None = None,
    steps: Iterable[ProcessStep] | None = None,
    products: Iterable[Product] | None = None,
    industries: Iterable[Industry] | None = None,
    acting_user,
) -> Case:
    """Write a new case (case None: a draft by the acting user's employee, on a map he may
    read; the same text sent again returns his case written with it) or change one: its
    author while it is a draft or sent back to him, a reviewer in any status (a published
    case's resource follows). `values` holds CASE_FIELDS; the tags
    (steps of the map's process map, products, industries), when given, replace the case's."""
    values = _clean(cass_map, values)
    tags = {
        "steps": _same_map(cass_map, steps, "流程步骤", "process step") if steps is not None else None,
        "products": _same_map(cass_map, products, "产品", "product") if products is not None else None,
        "industries": _same_map(cass_map, industries, "行业", "industry") if industries is not None else None,
    }
    creating = case is None
    if case is None:
        author = _employee_of(acting_user)
        if author is None:
            raise _refuse(
                acting_user, "没有员工档案，不能撰写案例", "has no employee record and cannot write a case"
            )
        if not CassMap.objects.filter(visible_maps_q(acting_user), pk=cass_map.pk).exists():
            raise _refuse(acting_user, "无权在该地图撰写案例", "may not write a case in this map")
        sent_again = _same_case_sent_again(cass_map, author, values)
        if sent_again is not None:
            return sent_again
        values.setdefault("code", "")
        if not values["code"]:
            values["code"] = _next_code(cass_map)
        case = Case(cass_map=cass_map, author=author, status=CaseStatus.DRAFT)
    else:
        case = _lock(case)
        if case.cass_map_id != cass_map.pk:
            raise CaseError("该案例不属于本 CASS 地图", "This case is in another CASS map")
        if not may_review_case(acting_user, case):
            _require_author(case, acting_user)
            if case.status not in EDITABLE_BY_AUTHOR:
                raise CaseError(
                    f"案例“{case.title}”{_label(case.status)}，作者不能修改",
                    f"The case '{case.title}' is {case.status}: its author cannot change it now",
                )
    if (
        "code" in values
        and Case.objects.filter(cass_map=cass_map, code=values["code"]).exclude(pk=case.pk).exists()
    ):
        raise CaseError(
            f"案例编号“{values['code']}”在本地图中已被使用",
            f"The case code '{values['code']}' is already used in this map",
        )
    changes = {} if creating else audit.diff(case, values)
    for key, value in values.items():
        setattr(case, key, value)
    case.full_clean(
        exclude=["cass_map", "author", "resource"], validate_unique=False, validate_constraints=False
    )
    case.updated_at = timezone.now()
    try:
        with transaction.atomic():
            case.save()
    except IntegrityError:  # another case took the code meanwhile (two writers at once)
        raise _code_taken(case.code) from None
    _set_tags(case, tags, changes, creating)
    case.cass_map = cass_map
    if creating or changes:
        if case.status == CaseStatus.PUBLISHED:
            publish_resource(case, acting_user=acting_user)
        _record(
            acting_user, KnowledgeVerb.CREATE_CASE if creating else KnowledgeVerb.UPDATE_CASE, case, changes
        )
    return case


# --- the case's learning resource --------------------------------------------------------


def case_texts(case: Case) -> list[str]:
    return [case.title, case.knowledge_point, case.story, *(getattr(case, part) for part in PARTS)]


def case_body(case: Case) -> str:
    """The resource's text: the story, then each structured part under its heading."""
    blocks = [case.story]
    blocks += [f"【{PART_LABELS[part]}】\n{getattr(case, part)}" for part in PARTS if getattr(case, part)]
    return "\n\n".join(block for block in blocks if block)


def _resource_code(case: Case) -> str:
    code = f"CASE-{case.code}"
    return code if len(code) <= 30 else f"CASE-{case.pk}"


def _skills_and_items(case: Case) -> tuple[dict[str, int], list[WorkItem], list[KeyAction]]:
    """What the case teaches: the dimensions tagged on it and on its process steps, each at
    the highest level a key action of those steps' work items needs for it (DEFAULT_LEVEL
    when none names it); the work items of its steps; and their key actions that need one
    of those dimensions (the actions the story shows done)."""
    steps = list(case.steps.prefetch_related("work_items"))
    items = {item.pk: item for step in steps for item in step.work_items.all()}
    codes = list(dict.fromkeys([*case.dimension_codes, *(c for s in steps for c in s.dimension_codes)]))
    levels: dict[str, int] = {}
    action_ids: set[int] = set()
    for action_id, code, level in ActionSkill.objects.filter(action__work_item__in=list(items)).values_list(
        "action_id", "dimension_code", "level"
    ):
        levels[code] = max(levels.get(code, 0), level)
        if code in codes:
            action_ids.add(action_id)
    actions = list(KeyAction.objects.filter(pk__in=action_ids).order_by("code"))
    return (
        {code: levels.get(code, DEFAULT_LEVEL) for code in codes},
        sorted(items.values(), key=lambda i: i.code),
        actions,
    )


def publish_resource(case: Case, *, acting_user) -> Resource:
    """Make or update the case's learning resource (kind case, on its map) and publish it:
    title, summary (the knowledge point) and text from the case, its reading time
    (casspath.analytics.reading), the dimensions, work items and key actions of its steps. The actor
    must be one who may edit the map (cass's actions check it, and audit each write)."""
    skills, items, actions = _skills_and_items(case)
    values = {
        "title": case.title,
        "summary": case.knowledge_point,
        "body": case_body(case),
        "duration_minutes": min(600, text_reading_minutes(case_texts(case))),
    }
    resource = case.resource
    if resource is None:
        values.update(
            code=_resource_code(case),
            kind=ResourceKind.CASE,
            devices=["phone", "pc"],
            study_modes=["leisure", "team"],
        )
    resource = do_save_resource(
        case.cass_map,
        values,
        resource=resource,
        skills=skills,
        work_items=items,
        key_actions=actions,
        acting_user=acting_user,
    )
    if resource.status != ResourceStatus.PUBLISHED:
        resource = do_set_resource_status(resource, ResourceStatus.PUBLISHED, acting_user=acting_user)
    if case.resource_id != resource.pk:
        case.resource = resource
        case.save(update_fields=["resource"])
    return resource


# --- the moves ---------------------------------------------------------------------------


def _comment(case: Case, acting_user, text: str, status: str = "") -> CaseComment | None:
    text = text.replace("\r\n", "\n").strip()
    if not text:
        return None
    comment = CaseComment(
        case=case, author=acting_user, author_label=_author_label(acting_user), text=text, status=status
    )
    comment.full_clean(exclude=["case", "author"])
    comment.save()
    return comment


def _employee_of(user) -> Employee | None:
    """The employee whose login `user` is (None for the system actor, a login without one)."""
    pk = getattr(user, "pk", None)
    return None if pk is None else Employee.objects.filter(user_id=pk).first()


def _author_label(user) -> str:
    employee = _employee_of(user)
    if employee is not None:
        return employee.name
    return getattr(user, "first_name", "") or actor_label(user)


def _move(
    case: Case, to: str, acting_user, verb: KnowledgeVerb, comment: str = "", *, as_writer: bool = False
) -> Case:
    before = case.status
    check_move(case, to)
    roles = case_roles(acting_user, case) | ({AUTHOR} if as_writer else set())
    if not may_move(roles, before, to):
        if before == CaseStatus.DRAFT:
            raise _refuse(
                acting_user,
                f"不能发布他人的草稿“{case.title}”：作者尚未提交审核，请待作者提交后再审核发布",
                f"may not publish another author's draft '{case.title}': its author has not submitted it "
                "for review yet",
            )
        raise _refuse(
            acting_user,
            f"不能将案例“{case.title}”从「{_label(before)}」改为「{_label(to)}」",
            f"may not move the case '{case.title}' from {before} to {to}",
        )
    now = timezone.now()
    case.status = to
    case.updated_at = now
    fields = ["status", "updated_at"]
    if to == CaseStatus.IN_REVIEW:
        case.submitted_at = now
        fields.append("submitted_at")
    if to == CaseStatus.PUBLISHED:
        case.published_at = now
        fields.append("published_at")
    case.save(update_fields=fields)
    _comment(case, acting_user, comment, to)
    _record(acting_user, verb, case, {"status": [before, to]})
    return case


@transaction.atomic
def do_submit_case(case: Case, *, acting_user, comment: str = "") -> Case:
    """The author sends his draft, or the case sent back to him, to review (with a reply)."""
    case = _lock(case)
    _require_author(case, acting_user)
    return _move(case, CaseStatus.IN_REVIEW, acting_user, KnowledgeVerb.SUBMIT_CASE, comment)


@transaction.atomic
def do_request_changes(case: Case, *, comment: str, acting_user) -> Case:
    """A reviewer sends a case in review back to its author, saying what to change."""
    case = _lock(case)
    _require_reviewer(case, acting_user)
    if not comment.strip():
        raise CaseError("退回修改时请写明需要修改什么", "Say what to change when asking for changes")
    return _move(case, CaseStatus.CHANGES_REQUESTED, acting_user, KnowledgeVerb.REQUEST_CASE_CHANGES, comment)


@transaction.atomic
def do_publish_case(case: Case, *, acting_user, comment: str = "", as_writer: bool = False) -> Case:
    """A reviewer publishes a case in review, a retired one again, or a draft of his own
    (CASE_MOVES): its learning resource is made or updated and published (publish_resource).
    `as_writer`: the actor wrote the case in this same transaction (an import's new case),
    so he counts as its author for the move."""
    case = _lock(case)
    _require_reviewer(case, acting_user)
    case = _move(
        case, CaseStatus.PUBLISHED, acting_user, KnowledgeVerb.PUBLISH_CASE, comment, as_writer=as_writer
    )
    publish_resource(case, acting_user=acting_user)
    return case


@transaction.atomic
def do_retire_case(case: Case, *, acting_user, comment: str = "") -> Case:
    """A reviewer takes a published case out of the library; its resource is retired too."""
    case = _lock(case)
    _require_reviewer(case, acting_user)
    case = _move(case, CaseStatus.RETIRED, acting_user, KnowledgeVerb.RETIRE_CASE, comment)
    if case.resource is not None and case.resource.status == ResourceStatus.PUBLISHED:
        do_set_resource_status(case.resource, ResourceStatus.RETIRED, acting_user=acting_user)
    return case


@transaction.atomic
def do_discard_case(case: Case, *, acting_user) -> None:
    """Delete a case never published, as CASE_DISCARDS lets the actor (its author, his
    draft or one he withdraws; a reviewer, one sent to him): its comments, tags and
    attachments (their files once the deletion commits) with it; recorded by its code and
    title. One already gone is a retry and writes nothing."""
    try:
        current = _lock(case)
    except CaseError:
        return
    roles = case_roles(acting_user, current)
    if not roles:
        raise _refuse(
            acting_user, f"无权删除案例“{current.title}”", f"may not delete the case '{current.title}'"
        )
    if not may_discard(roles, current.status):
        raise CaseError(
            f"案例“{current.title}”{_label(current.status)}，不能删除"
            + ("；已发布的案例请下架" if current.status == CaseStatus.PUBLISHED else ""),
            f"The case '{current.title}' is {current.status} and cannot be deleted"
            + ("; retire a published case instead" if current.status == CaseStatus.PUBLISHED else ""),
        )
    files = [(a.file.storage, a.file.name) for a in current.attachments.all() if a.file.name]
    pk, status, unit = current.pk, current.status, current.cass_map.org_unit
    label = f"{current.cass_map.name} · {current.code} {current.title}"
    current.delete()
    for storage, name in files:
        transaction.on_commit(partial(storage.delete, name))
    audit.record(
        acting_user,
        KnowledgeVerb.DISCARD_CASE,
        object_type="knowledge.case",
        object_id=str(pk),
        summary=label,
        unit=unit,
        changes={"status": [status, ""]},
    )


@transaction.atomic
def do_comment_case(case: Case, text: str, *, acting_user) -> CaseComment:
    """The author's reply or a reviewer's comment, at the end of the case's thread."""
    case = _lock(case)
    if not may_review_case(acting_user, case):
        _require_author(case, acting_user)
    comment = _comment(case, acting_user, text)
    if comment is None:
        raise CaseError("评论不能为空", "A comment may not be empty")
    _record(acting_user, KnowledgeVerb.COMMENT_CASE, case)
    return comment


# --- readers' marks and the reviewer's pick -----------------------------------------------


def _require_reader(case: Case, acting_user) -> None:
    """A useful mark is a reader's of a published case of a map he may read; not its author's."""
    if case.status != CaseStatus.PUBLISHED:
        raise CaseError(
            f"案例“{case.title}”尚未发布，不能标记有用", f"The case '{case.title}' is not published"
        )
    if not CassMap.objects.filter(visible_maps_q(acting_user), pk=case.cass_map_id).exists():
        raise _refuse(acting_user, "无权阅读该案例", "may not read this case")
    if is_case_author(acting_user, case):
        raise CaseError("不能给自己的案例标记有用", "You cannot mark your own case useful")


@transaction.atomic
def do_mark_case_useful(case: Case, *, acting_user) -> bool:
    """Mark the case useful (有用); True when the mark is new (marking twice changes nothing)."""
    case = _lock(case)
    _require_reader(case, acting_user)
    _, created = CaseUseful.objects.get_or_create(case=case, user=acting_user)
    if created:
        _record(acting_user, KnowledgeVerb.MARK_CASE_USEFUL, case)
    return created


@transaction.atomic
def do_unmark_case_useful(case: Case, *, acting_user) -> bool:
    """Take the mark back; True when there was one."""
    case = _lock(case)
    deleted, _ = CaseUseful.objects.filter(case=case, user=acting_user).delete()
    if deleted:
        _record(acting_user, KnowledgeVerb.UNMARK_CASE_USEFUL, case)
    return bool(deleted)


@transaction.atomic
def do_pick_case(case: Case, picked: bool, *, acting_user) -> Case:
    """A reviewer's pick (推荐) on or off; setting what it is already records nothing."""
    case = _lock(case)
    _require_reviewer(case, acting_user)
    if case.picked != picked:
        case.picked = picked
        case.save(update_fields=["picked"])
        _record(acting_user, KnowledgeVerb.PICK_CASE, case, {"picked": [not picked, picked]})
    return case


def do_record_case_read(case: Case, *, acting_user) -> bool:
    """Count the reader of a published case (once: True the first time). Its author and its
    reviewers are not readers. One audit row, the first time, as a video's completion is."""
    if case.status != CaseStatus.PUBLISHED or not getattr(acting_user, "is_authenticated", False):
        return False
    if is_case_author(acting_user, case) or may_review_case(acting_user, case):
        return False
    with transaction.atomic():
        _, created = CaseRead.objects.get_or_create(case=case, user=acting_user)
        if created:
            _record(acting_user, KnowledgeVerb.READ_CASE, case)
    return created
