"""The audit log: every action writes one row through `record`."""

from typing import Any

from casspath.core.actors import SystemActor, actor_label
from casspath.core.models import AuditEvent


def record(acting_user, verb: str, obj: Any = None, *, summary: str = "",
           changes: dict | None = None, object_type: str = "", object_id: str = "") -> AuditEvent:
    if obj is not None:
        object_type = object_type or obj._meta.label_lower
        object_id = object_id or str(obj.pk)
    return AuditEvent.objects.create(
        actor=None if isinstance(acting_user, SystemActor) else acting_user,
        actor_label=actor_label(acting_user),
        verb=verb,
        object_type=object_type,
        object_id=object_id,
        summary=summary[:300],
        changes=changes or {},
    )


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
