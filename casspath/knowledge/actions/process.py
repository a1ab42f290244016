"""Writes of a CASS map's process map (流程地图): save, move, reparent and remove a phase,
step or sub-step, and the checks of its values the import (knowledge/importers/process.py) shares.
Each locks the map's row (two editors' writes queue behind each other), checks the
actor may edit it (EDIT_MODELS over its owner unit) and writes one audit row when something
changed: a retry of the same save changes nothing and records nothing."""

import re
from collections.abc import Iterable, Mapping

from django.db import transaction
from django.db.models import Max

from casspath.cass.actions.common import require_editable
from casspath.cass.models import CassMap, WorkItem
from casspath.cass.queries import map_dimensions
from casspath.core import audit, validators
from casspath.core.validators import InvalidValue
from casspath.core.validators import code as normal_code
from casspath.knowledge.actions.guides import KnowledgeError
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import PROCESS_DEPTH, ProcessStep

PROCESS_FIELDS = ("code", "name", "purpose", "techniques", "tools", "dimension_codes")


# --- the checks of a step's values, one each: the form's action and the import call them --

DIMENSION_SEPARATORS = re.compile(r"[；;，,、\s]+")


def split_dimension_codes(codes) -> list[str]:
    """ "d05 D06" / "D05；D06" / ["D05", "D06"] → the codes normalised and upper-cased, in the
    order given; an ill-formed code refused (InvalidValue)."""
    if isinstance(codes, str):
        codes = DIMENSION_SEPARATORS.split(codes)
    return [validators.code(str(c).strip(), 10, upper=True) for c in codes or [] if str(c).strip()]


def check_dimension_codes(codes: list[str], dimensions: Mapping[str, str]) -> list[str]:
    """The codes as split_dimension_codes gives them, each in `dimensions` (the map's model,
    cass.queries.map_dimensions) and none twice; refused (InvalidValue) naming the code."""
    for code in codes:
        if not dimensions:
            raise InvalidValue(
                f"没有适用于本地图的已发布技能模型，不能关联维度 {code}",
                f"No published competency model applies to this map, so {code} cannot be linked",
            )
        if code not in dimensions:
            raise InvalidValue(
                f"维度编码 {code} 不在适用于本地图的技能模型中",
                f"The dimension code {code} is not in the competency model that applies to this map",
            )
    doubled = sorted({c for c in codes if codes.count(c) > 1})
    if doubled:
        raise InvalidValue(f"维度 {'、'.join(doubled)} 填了两次", f"{', '.join(doubled)} listed twice")
    return codes


def check_work_item_codes(codes: list[str], known: Mapping[str, object]) -> None:
    """Each code one of the map's work items (`known`, by code); refused naming the first other."""
    for code in codes:
        if code not in known:
            raise InvalidValue(
                f"工作内容 {code} 不属于本 CASS 地图", f"The work item {code} is not in this CASS map"
            )


def check_place(code: str | None, parent_code: str | None, parent_of: Mapping[str, str | None]) -> None:
    """Refuse (InvalidValue) putting the step `code` (None: a new one, with nothing below it)
    under `parent_code` (None: as a phase), given every step's parent by code (`parent_of`;
    code's own entry is ignored): under itself or a step below it, or so that it or a step
    below it would sit deeper than PROCESS_DEPTH."""
    chain: list[str] = []
    above = parent_code
    while above is not None:
        if above in chain:
            break  # a loop above it, not through it: the steps in that loop are refused
        if above == code:
            loop = " → ".join([*chain, above])
            raise InvalidValue(
                f"步骤 {code} 不能放在自己或自己的下级之下（{code} → {loop}）",
                f"The step {code} cannot be placed under itself or a step below it ({code} → {loop})",
            )
        chain.append(above)
        above = parent_of.get(above)
    depth = len(chain) + 1
    deepest, below = code, 0
    if code is not None:
        children: dict[str, list[str]] = {}
        for child, parent in parent_of.items():
            if parent is not None and child != code:
                children.setdefault(parent, []).append(child)
        level = [code]
        seen = {code}
        while True:
            nxt = [c for p in level for c in children.get(p, []) if c not in seen]
            if not nxt or below > PROCESS_DEPTH:
                break
            seen.update(nxt)
            level, below, deepest = nxt, below + 1, nxt[0]
    if depth + below > PROCESS_DEPTH:
        where = f"{parent_code} 之下" if parent_code else "作为阶段"
        where_en = f"under {parent_code}" if parent_code else "as a phase"
        raise InvalidValue(
            f"流程地图最多三层（阶段 → 步骤 → 子步骤）：放在{where}，"
            f"{deepest or '新步骤'} 将在第 {depth + below} 层",
            f"A process map has three levels at most (phase → step → sub-step): {where_en}, "
            f"{deepest or 'the new step'} would be at level {depth + below}",
        )


def _refused(invalid: InvalidValue) -> KnowledgeError:
    return KnowledgeError(invalid.message_zh, invalid.message_en)


def _parents_of(cass_map: CassMap) -> dict[str, str | None]:
    return dict(ProcessStep.objects.filter(cass_map=cass_map).values_list("code", "parent__code"))


def _dimension_codes(cass_map: CassMap, codes) -> list[str]:
    """The codes as stored (upper case, in the order given), each in the map's competency
    model and none twice; refused otherwise, naming the code."""
    try:
        cleaned = split_dimension_codes(codes)
        return check_dimension_codes(cleaned, map_dimensions(cass_map)) if cleaned else []
    except InvalidValue as invalid:
        raise _refused(invalid) from None


def _clean_values(cass_map: CassMap, values: dict) -> dict:
    unknown = set(values) - set(PROCESS_FIELDS)
    if unknown:
        raise ValueError(f"not process step fields: {sorted(unknown)}")
    # A browser's textarea sends CRLF: stored as LF, so saving a form unchanged changes nothing.
    cleaned = {
        key: value.replace("\r\n", "\n").strip() if isinstance(value, str) else value
        for key, value in values.items()
    }
    if "code" in cleaned:
        try:
            cleaned["code"] = normal_code(cleaned["code"])
        except InvalidValue:
            pass  # full_clean below names what is wrong with it, in both languages
    if "dimension_codes" in cleaned:
        cleaned["dimension_codes"] = _dimension_codes(cass_map, cleaned["dimension_codes"])
    return cleaned


def _work_items(cass_map: CassMap, items: Iterable[WorkItem]) -> list[WorkItem]:
    items = list(items)
    foreign = [item for item in items if item.cass_map_id != cass_map.pk]
    if foreign:
        raise KnowledgeError(
            f"工作内容 {foreign[0].code} 不属于本 CASS 地图",
            f"The work item {foreign[0].code} is in another CASS map",
        )
    return items


def _check_parent(cass_map: CassMap, parent: ProcessStep | None) -> None:
    if parent is None:
        return
    if parent.cass_map_id != cass_map.pk:
        raise KnowledgeError("上级步骤不属于本 CASS 地图", "The parent step is in another CASS map")
    try:
        check_place(None, parent.code, _parents_of(cass_map))
    except InvalidValue as invalid:
        raise _refused(invalid) from None


def _summary(step: ProcessStep) -> str:
    return f"{step.cass_map.name} · {step}"


@transaction.atomic
def do_save_process_step(
    cass_map: CassMap,
    values: dict,
    *,
    step: ProcessStep | None = None,
    parent: ProcessStep | None = None,
    work_items: Iterable[WorkItem] | None = None,
    acting_user,
) -> ProcessStep:
    """Add a phase (parent None) or a step under `parent`, last among its siblings (step
    None), or change one (its parent stays); `values` holds PROCESS_FIELDS, `work_items`
    (when given) replaces its work items. Adding a code the map holds already under the same
    parent with the same values is a retry: the step as it is, nothing written."""
    require_editable(cass_map, acting_user)
    values = _clean_values(cass_map, values)
    items = _work_items(cass_map, work_items) if work_items is not None else None
    if step is None:
        _check_parent(cass_map, parent)
        existing = ProcessStep.objects.filter(cass_map=cass_map, code=values.get("code", "")).first()
        if existing is not None:
            same_items = items is None or {i.pk for i in items} == set(
                existing.work_items.values_list("pk", flat=True)
            )
            if (
                existing.parent_id == (parent.pk if parent else None)
                and same_items
                and not audit.diff(existing, values)
            ):
                existing.cass_map = cass_map
                return existing
            raise _code_taken(values["code"])
        siblings = ProcessStep.objects.filter(cass_map=cass_map, parent=parent)
        last = siblings.aggregate(last=Max("order"))["last"] or 0
        step = ProcessStep(cass_map=cass_map, parent=parent, order=last + 1)
        creating = True
    else:
        if step.cass_map_id != cass_map.pk:
            raise KnowledgeError("该步骤不属于本 CASS 地图", "This step is in another CASS map")
        if not ProcessStep.objects.filter(pk=step.pk).exists():
            raise KnowledgeError("该步骤已被删除", "This step no longer exists")
        creating = False
        if (
            "code" in values
            and values["code"] != step.code
            and ProcessStep.objects.filter(cass_map=cass_map, code=values["code"])
            .exclude(pk=step.pk)
            .exists()
        ):
            raise _code_taken(values["code"])
    changes = {} if creating else audit.diff(step, values)
    for key, value in values.items():
        setattr(step, key, value)
    step.full_clean(exclude=["cass_map", "parent"], validate_unique=False, validate_constraints=False)
    if creating or changes:
        step.save()
    if items is not None:
        before = set() if creating else set(step.work_items.values_list("pk", flat=True))
        after = {item.pk for item in items}
        if before != after:
            step.work_items.set(items)
            if not creating:
                changes["work_items"] = [
                    ", ".join(sorted(WorkItem.objects.filter(pk__in=before).values_list("code", flat=True))),
                    ", ".join(sorted(item.code for item in items)),
                ]
    step.cass_map = cass_map
    if creating or changes:
        audit.record(
            acting_user,
            KnowledgeVerb.SAVE_PROCESS_STEP,
            step,
            summary=_summary(step),
            changes=changes,
            unit=cass_map.org_unit,
        )
    return step


def _code_taken(code: str) -> KnowledgeError:
    return KnowledgeError(
        f"流程步骤编码“{code}”在本地图中已被使用",
        f"The process step code '{code}' is already used in this map",
    )


def _renumber(cass_map: CassMap, parent_id: int | None) -> None:
    siblings = ProcessStep.objects.filter(cass_map=cass_map, parent_id=parent_id).order_by("order", "id")
    for number, sibling in enumerate(siblings, start=1):
        if sibling.order != number:
            sibling.order = number
            sibling.save(update_fields=["order"])


@transaction.atomic
def do_move_process_step(step: ProcessStep, offset: int, *, acting_user) -> ProcessStep:
    """Move a phase or step up (offset -1) or down (+1) among its siblings by swapping it
    with its neighbour; at either end it stays where it is (and nothing is recorded)."""
    if offset not in (-1, 1):
        raise ValueError("a process step moves by one place")
    cass_map = step.cass_map
    require_editable(cass_map, acting_user)
    current = ProcessStep.objects.filter(pk=step.pk, cass_map=cass_map).first()
    if current is None:
        raise KnowledgeError("该步骤已被删除", "This step no longer exists")
    _renumber(cass_map, current.parent_id)
    siblings = list(
        ProcessStep.objects.filter(cass_map=cass_map, parent_id=current.parent_id).order_by("order", "id")
    )
    index = next(i for i, s in enumerate(siblings) if s.pk == current.pk)
    moved = siblings[index]
    other = index + offset
    if 0 <= other < len(siblings):
        neighbour = siblings[other]
        moved.order, neighbour.order = neighbour.order, moved.order
        moved.save(update_fields=["order"])
        neighbour.save(update_fields=["order"])
        moved.cass_map = cass_map
        audit.record(
            acting_user,
            KnowledgeVerb.MOVE_PROCESS_STEP,
            moved,
            summary=_summary(moved),
            changes={"order": [index + 1, other + 1]},
            unit=cass_map.org_unit,
        )
    moved.cass_map = cass_map
    return moved


@transaction.atomic
def do_remove_process_step(step: ProcessStep, *, acting_user) -> None:
    """Remove a phase or step with its steps and sub-steps; the siblings after it move up."""
    cass_map = step.cass_map
    require_editable(cass_map, acting_user)
    current = ProcessStep.objects.filter(pk=step.pk, cass_map=cass_map).first()
    if current is None:
        raise KnowledgeError("该步骤已被删除", "This step no longer exists")
    current.cass_map = cass_map
    label, pk, parent_id = _summary(current), current.pk, current.parent_id
    below = ProcessStep.objects.filter(cass_map=cass_map, parent_id=pk)
    removed = 1 + below.count() + ProcessStep.objects.filter(cass_map=cass_map, parent__parent_id=pk).count()
    current.delete()
    _renumber(cass_map, parent_id)
    audit.record(
        acting_user,
        KnowledgeVerb.REMOVE_PROCESS_STEP,
        object_type="knowledge.processstep",
        object_id=str(pk),
        summary=label if removed == 1 else f"{label} (+{removed - 1})",
        unit=cass_map.org_unit,
    )


@transaction.atomic
def do_reparent_process_step(step: ProcessStep, parent: ProcessStep | None, *, acting_user) -> ProcessStep:
    """Make a step part of another (`parent`; None: a phase of its own): last among its new
    siblings, the old siblings after it moving up. Refused under itself or a step below it,
    past three levels (counting the steps below it) or under another map's step; the same
    parent changes nothing and records nothing."""
    cass_map = step.cass_map
    require_editable(cass_map, acting_user)
    current = ProcessStep.objects.filter(pk=step.pk, cass_map=cass_map).select_related("parent").first()
    if current is None:
        raise KnowledgeError("该步骤已被删除", "This step no longer exists")
    current.cass_map = cass_map
    if parent is not None:
        if parent.cass_map_id != cass_map.pk:
            raise KnowledgeError("上级步骤不属于本 CASS 地图", "The parent step is in another CASS map")
        parent = ProcessStep.objects.filter(pk=parent.pk, cass_map=cass_map).first()
        if parent is None:
            raise KnowledgeError("上级步骤已被删除", "The parent step no longer exists")
    new_parent_id = parent.pk if parent is not None else None
    if current.parent_id == new_parent_id:
        return current
    try:
        check_place(current.code, parent.code if parent else None, _parents_of(cass_map))
    except InvalidValue as invalid:
        raise _refused(invalid) from None
    old_parent, old_order = current.parent, current.order
    _renumber(cass_map, new_parent_id)
    last = ProcessStep.objects.filter(cass_map=cass_map, parent_id=new_parent_id).aggregate(last=Max("order"))
    current.parent, current.order = parent, (last["last"] or 0) + 1
    current.save(update_fields=["parent", "order"])
    _renumber(cass_map, old_parent.pk if old_parent else None)
    audit.record(
        acting_user,
        KnowledgeVerb.REPARENT_PROCESS_STEP,
        current,
        summary=_summary(current),
        changes={
            "parent": [old_parent.code if old_parent else "", parent.code if parent else ""],
            "order": [old_order, current.order],
        },
        unit=cass_map.org_unit,
    )
    return current
