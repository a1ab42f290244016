"""Writes of a CASS map: the map itself, its work items, key actions and their skills."""

from collections.abc import Iterable

from django.db import IntegrityError, transaction

from casspath.cass.actions.common import CassError, clean, require_editable, save_changes, touch
from casspath.cass.audit_verbs import CassVerb
from casspath.cass.models import ActionSkill, CassMap, KeyAction, WorkItem
from casspath.core import audit
from casspath.org import scopes
from casspath.org.models import OrgUnit, Position, Stage

WORK_ITEM_FIELDS = ("code", "name", "description", "importance", "frequency")
ACTION_FIELDS = ("code", "order", "name", "standard", "mistakes", "study_modes", "checks")


@transaction.atomic
def do_create_map(*, org_unit: OrgUnit, model_family: str, name: str, description: str = "",
                  acting_user) -> CassMap:
    """A new, empty map of `org_unit` for a competency model family; the existing one when
    the unit has one for that family already (a retry creates nothing twice)."""
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, org_unit)
    existing = CassMap.objects.filter(org_unit=org_unit, model_family=model_family).first()
    if existing is not None:
        return existing
    cass_map = CassMap(org_unit=org_unit, model_family=model_family, name=name.strip(),
                       description=description.strip())
    clean(cass_map)
    cass_map.save()
    audit.record(acting_user, CassVerb.CREATE_MAP, cass_map, summary=cass_map.name, unit=org_unit)
    return cass_map


@transaction.atomic
def do_update_map(cass_map: CassMap, *, name: str, description: str, acting_user) -> CassMap:
    require_editable(cass_map, acting_user)
    changes = save_changes(cass_map, {"name": name.strip(), "description": description.strip()})
    touch(cass_map)
    audit.record(acting_user, CassVerb.UPDATE_MAP, cass_map, summary=cass_map.name, changes=changes,
                 unit=cass_map.org_unit)
    return cass_map


def _code_taken(what_zh: str, what_en: str, code: str) -> CassError:
    return CassError(f"{what_zh}编码“{code}”在本地图中已被使用",
                     f"The {what_en} code '{code}' is already used in this map")


@transaction.atomic
def do_save_work_item(cass_map: CassMap, values: dict, *, item: WorkItem | None = None,
                      stages: Iterable[Stage] | None = None, positions: Iterable[Position] | None = None,
                      acting_user) -> WorkItem:
    """Create a work item (item None) or change one; `values` holds WORK_ITEM_FIELDS."""
    require_editable(cass_map, acting_user)
    item = item or WorkItem(cass_map=cass_map)
    unknown = set(values) - set(WORK_ITEM_FIELDS)
    if unknown:
        raise ValueError(f"not work item fields: {sorted(unknown)}")
    creating = item.pk is None
    try:
        with transaction.atomic():
            changes = save_changes(item, dict(values))
    except IntegrityError:
        raise _code_taken("工作", "work item", values.get("code", item.code)) from None
    if stages is not None:
        item.stages.set(list(stages))
    if positions is not None:
        item.positions.set(list(positions))
    touch(cass_map)
    audit.record(acting_user, CassVerb.SAVE_WORK_ITEM, item, summary=str(item),
                 changes={} if creating else changes, unit=cass_map.org_unit)
    return item


@transaction.atomic
def do_remove_work_item(item: WorkItem, *, acting_user) -> None:
    """Remove a work item with its key actions (their resources stay, unlinked)."""
    cass_map = item.cass_map
    require_editable(cass_map, acting_user)
    label, pk = str(item), item.pk
    item.delete()
    touch(cass_map)
    audit.record(acting_user, CassVerb.REMOVE_WORK_ITEM, object_type="cass.workitem", object_id=str(pk),
                 summary=label, unit=cass_map.org_unit)


@transaction.atomic
def do_save_key_action(work_item: WorkItem, values: dict, *, action: KeyAction | None = None,
                       skills: dict[str, int] | None = None, acting_user) -> KeyAction:
    """Create a key action under `work_item` (action None) or change one; `skills` maps a
    dimension code to the level the action needs, replacing the action's links when given."""
    cass_map = work_item.cass_map
    require_editable(cass_map, acting_user)
    unknown = set(values) - set(ACTION_FIELDS)
    if unknown:
        raise ValueError(f"not key action fields: {sorted(unknown)}")
    action = action or KeyAction(cass_map=cass_map, work_item=work_item)
    action.work_item = work_item
    creating = action.pk is None
    if creating and "order" not in values:
        # A new action without an order comes last in its work item.
        last = (KeyAction.objects.filter(work_item=work_item).order_by("-order")
                .values_list("order", flat=True).first())
        values = {**values, "order": (last or 0) + 1}
    try:
        with transaction.atomic():
            changes = save_changes(action, dict(values))
    except IntegrityError:
        raise _code_taken("动作", "action", values.get("code", action.code)) from None
    if skills is not None:
        _set_skills(action, skills)
        changes["skills"] = ", ".join(f"{code} L{level}" for code, level in sorted(skills.items()))
    touch(cass_map)
    audit.record(acting_user, CassVerb.SAVE_KEY_ACTION, action, summary=str(action),
                 changes={} if creating else changes, unit=cass_map.org_unit)
    return action


def _set_skills(action: KeyAction, skills: dict[str, int]) -> None:
    rows = [ActionSkill(action=action, dimension_code=code, level=level) for code, level in skills.items()]
    for row in rows:
        clean(row)
    ActionSkill.objects.filter(action=action).delete()
    ActionSkill.objects.bulk_create(rows)


@transaction.atomic
def do_remove_key_action(action: KeyAction, *, acting_user) -> None:
    cass_map = action.cass_map
    require_editable(cass_map, acting_user)
    label, pk = str(action), action.pk
    action.delete()
    touch(cass_map)
    audit.record(acting_user, CassVerb.REMOVE_KEY_ACTION, object_type="cass.keyaction", object_id=str(pk),
                 summary=label, unit=cass_map.org_unit)


@transaction.atomic
def do_move_key_action(action: KeyAction, *, offset: int, acting_user) -> KeyAction:
    """Move a key action one place up (offset -1) or down (+1) among its work item's actions:
    the actions are numbered 1, 2, 3… in their order, and the action swaps with its
    neighbour. At the top (or the bottom) already, nothing moves and nothing is recorded."""
    if offset not in (-1, 1):
        raise ValueError("offset must be -1 or 1")
    cass_map = action.cass_map
    require_editable(cass_map, acting_user)
    siblings = list(KeyAction.objects.filter(work_item_id=action.work_item_id).order_by("order", "code"))
    index = next((i for i, a in enumerate(siblings) if a.pk == action.pk), None)
    if index is None:
        raise CassError("该关键动作已被删除", "This key action no longer exists")
    target = index + offset
    if not 0 <= target < len(siblings):
        return action
    before = [a.code for a in siblings]
    siblings[index], siblings[target] = siblings[target], siblings[index]
    changed = []
    for number, sibling in enumerate(siblings, start=1):
        if sibling.order != number:
            sibling.order = number
            changed.append(sibling)
    KeyAction.objects.bulk_update(changed, ["order"])
    touch(cass_map)
    moved = next(a for a in siblings if a.pk == action.pk)
    action.order = moved.order
    audit.record(acting_user, CassVerb.MOVE_KEY_ACTION, action, summary=str(action),
                 changes={"order": [" ".join(before), " ".join(a.code for a in siblings)]},
                 unit=cass_map.org_unit)
    return action
