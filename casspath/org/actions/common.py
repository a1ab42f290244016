"""What the org actions share."""

from django.core.exceptions import PermissionDenied

from casspath.core import audit
from casspath.org import scopes
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm


def require_scope(acting_user, perm: Perm, unit: OrgUnit) -> None:
    """Refuse (PermissionDenied) unless `unit` is within `acting_user`'s scope for `perm`."""
    if not scopes.unit_in_scope(acting_user, perm, unit):
        raise PermissionDenied(f"{unit.code} is outside the scope of {audit.actor_label(acting_user)}")
