"""The audit log: every action writes one row through `record`."""

from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from casspath.core.actors import SystemActor, actor_label
from casspath.core.models import AuditEvent


class AuditVerb(StrEnum):
    """What an audit row says happened. Each app declares its verbs as a subclass in its
    `audit_verbs.py`; `record` takes only their members, so a verb is never misspelt or
    made up at a call site, and the verbs there are can be listed (`declared_verbs`).
    A member's value is the string stored in the row: rename members freely, never values."""


def declared_verbs() -> dict[str, AuditVerb]:
    """Every verb the loaded apps declare, by its stored string."""
    verbs: dict[str, AuditVerb] = {}
    pending = list(AuditVerb.__subclasses__())
    while pending:
        cls = pending.pop()
        pending.extend(cls.__subclasses__())
        verbs.update({member.value: member for member in cls})
    return verbs


def record(acting_user, verb: AuditVerb, obj: Any = None, *, summary: str = "",
           changes: dict | None = None, object_type: str = "", object_id: str = "",
           unit: Any = None) -> AuditEvent:
    """One audit row. `unit` is the org unit the write concerns (anything with `.path` and
    `.pk`: an OrgUnit, or a `UnitRef` where only the values are at hand); the audit page
    shows a row to those whose scope holds that unit."""
    if not isinstance(verb, AuditVerb):
        raise TypeError(f"audit verb {verb!r} is not declared: use a member of an app's AuditVerb "
                        "(its audit_verbs.py)")
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        verb=verb.value,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        changes=changes or {},
        org_unit_path=getattr(unit, "path", "") or "",
        org_unit_id=getattr(unit, "pk", None),
    )


@dataclass(frozen=True)
class UnitRef:
    """An org unit by its values, for callers below org (the import framework)."""

    pk: int
    path: str


def diff(obj, new_values: dict) -> dict:
    """The fields of `obj` that `new_values` would change, as {field: [old, new]}."""
    changed = {}
    for field, new in new_values.items():
        old = getattr(obj, field)
        if old != new:
            changed[field] = [_jsonable(old), _jsonable(new)]
    return changed


def _jsonable(value):
    if value is None or isinstance(value, str | int | float | bool):
        return value
    if hasattr(value, "pk"):
        return str(value)
    return str(value)
