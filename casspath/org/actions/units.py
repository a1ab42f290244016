"""Writes to the org tree: create, rename, re-kind and move units."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext_noop

from casspath.core import audit
from casspath.imports.locks import ORG_TREE, hold_units
from casspath.org import scopes, tree
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm, require_scope

UNIT_FIELDS = ("name", "kind", "parent")


@transaction.atomic
def do_create_unit(*, code: str, name: str, kind: str, parent: OrgUnit | None, acting_user) -> OrgUnit:
    """A new unit under `parent` (a root only for unrestricted actors)."""
    if parent is None:
        if not scopes.is_unrestricted(acting_user):
            raise PermissionDenied("only an unrestricted actor may create a root unit")
    else:
        require_scope(acting_user, Perm.IMPORT_DATA, parent)
    unit = OrgUnit(code=(code or "").strip(), name=(name or "").strip(), kind=kind, parent=parent)
    # The path needs the new row's id: computed right after the first save.
    unit.full_clean(exclude=["path"])
    unit.save()
    unit.path, unit.depth = tree.path_for(unit, parent)
    unit.save(update_fields=["path", "depth"])
    audit.record(acting_user, OrgVerb.CREATE_UNIT, unit,
                 summary=audit.phrase(gettext_noop("%(code)s %(name)s under %(parent)s"), code=unit.code,
                                      name=unit.name, parent=parent.code if parent else "-"),
                 changes={"code": [None, unit.code], "name": [None, unit.name], "kind": [None, unit.kind],
                          "parent": [None, parent.code if parent else None]}, unit=unit)
    return unit


@transaction.atomic
def do_update_unit(unit: OrgUnit, values: dict, *, acting_user) -> dict:
    """Rename, re-kind or move a unit. A move recomputes the paths of its whole subtree.

    The unit's code is its natural key (imports and other apps name units by it) and does
    not change here.
    """
    unknown = set(values) - set(UNIT_FIELDS)
    if unknown:
        raise ValueError(f"unknown unit fields: {sorted(unknown)}")
    values = dict(values)
    if "name" in values:
        values["name"] = (values["name"] or "").strip()
    # Wait (IMPORT_LOCK_WAIT_SECONDS_REQUEST at most, then LockBusy) for an import of a scope
    # holding the unit or its new parent, which waits for this edit in turn (imports/locks.py):
    # exclusive on the unit (its subtree moves with it) and on the new parent.
    touched = [unit.pk] + ([values["parent"].pk] if values.get("parent") is not None else [])
    lines = OrgUnit.objects.filter(pk__in=touched).values_list("path", flat=True)
    hold_units(ORG_TREE, [[int(part) for part in path.strip("/").split("/") if part] for path in lines])
    require_scope(acting_user, Perm.IMPORT_DATA, unit)
    changes = audit.diff(unit, values)
    if not changes:
        return {}
    moved = "parent" in changes
    if moved:
        parent = values["parent"]
        if parent is None:
            if not scopes.is_unrestricted(acting_user):
                raise PermissionDenied("only an unrestricted actor may make a unit a root")
        else:
            if parent.pk == unit.pk or parent.is_within(unit):
                raise ValidationError({"parent": ValidationError(
                    "不能把单位移到它自己或它的下级单位之下 / "
                    "A unit cannot be moved under itself or one of its own subunits.", code="cycle")})
            require_scope(acting_user, Perm.IMPORT_DATA, parent)
    for field in changes:
        setattr(unit, field, values[field])
    unit.full_clean()
    unit.save(update_fields=list(changes))
    if moved:
        tree.rebuild_paths(unit)
        unit.refresh_from_db(fields=["path", "depth"])
    audit.record(acting_user, OrgVerb.UPDATE_UNIT, unit, summary=f"{unit.code} {unit.name}", changes=changes,
                 unit=unit)
    return changes
