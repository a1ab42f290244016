"""What the CASS actions share: the lock-and-check of the map, field checks, the error."""

from django.utils import timezone

from casspath.cass.models import CassMap
from casspath.core import audit
from casspath.core.errors import BilingualError
from casspath.org import scopes


class CassError(BilingualError):
    """A write to the CASS map or a resource refused for what it says (both languages)."""


# Foreign keys are validated by construction; checking each one in full_clean costs a query.
FK_FIELDS = ["cass_map", "work_item", "action", "resource", "org_unit", "employee"]


def clean(obj) -> None:
    """Field checks of a row, without the queries of foreign keys and uniqueness."""
    obj.full_clean(exclude=FK_FIELDS, validate_unique=False, validate_constraints=False)


def require_editable(cass_map: CassMap, acting_user) -> None:
    """Lock the map's row until the transaction ends, then check the actor may edit its
    owner unit: two editors' writes to one map queue behind each other, and a map deleted
    since the page loaded is refused."""
    try:
        cass_map.refresh_from_db(from_queryset=CassMap.objects.select_for_update())
    except CassMap.DoesNotExist:
        raise CassError("该 CASS 地图已被删除", "This CASS map no longer exists") from None
    scopes.require_scope(acting_user, scopes.Perm.EDIT_MODELS, cass_map.org_unit)


def touch(cass_map: CassMap) -> None:
    """Mark the map changed (its pages and the learning map read `updated_at`)."""
    cass_map.updated_at = timezone.now()
    cass_map.save(update_fields=["updated_at"])


def save_changes(obj, values: dict) -> dict:
    """Set `values` on a row, check and save; returns the changes for the audit row."""
    changes = audit.diff(obj, values)
    for key, value in values.items():
        setattr(obj, key, value)
    clean(obj)
    if obj.pk:
        obj.save(update_fields=list(values))
    else:
        obj.save()
    return changes
