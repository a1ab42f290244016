"""Granting and revoking roles: who may do what where. Audited, and scope-checked here (not
trusted to the caller): an actor grants roles only in units where he may issue logins."""

from django.db import transaction

from casspath.api.actions import REVOKED_ROLE_LOST, do_revoke_tokens_of
from casspath.core import audit
from casspath.core.models import User
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import OrgUnit, RoleAssignment
from casspath.org.scopes import Perm, require_scope


@transaction.atomic
def do_grant_role(user: User, role: str, org_unit: OrgUnit, *, acting_user) -> RoleAssignment:
    """Bind `role` at `org_unit` to `user`; idempotent (an existing binding is returned, no
    second audit row). Refuses (PermissionDenied) a unit outside the actor's ISSUE_LOGINS scope;
    the system actor and superusers reach every unit."""
    require_scope(acting_user, Perm.ISSUE_LOGINS, org_unit)
    existing = RoleAssignment.objects.filter(user=user, role=role, org_unit=org_unit).first()
    if existing is not None:
        return existing
    binding = RoleAssignment(user=user, role=role, org_unit=org_unit)
    # validate_unique is left to the constraint: the lookup above just found no duplicate.
    binding.full_clean(validate_unique=False, validate_constraints=False)
    binding.save()
    audit.record(
        acting_user, OrgVerb.GRANT_ROLE, binding, summary=str(binding),
        changes={"user": user.get_username(), "role": role, "org_unit": org_unit.code}, unit=org_unit,
    )
    return binding


@transaction.atomic
def do_revoke_role(binding: RoleAssignment, *, acting_user) -> None:
    """Remove a role binding, under the same scope rule as granting it. The user's tokens
    made while he held it end."""
    require_scope(acting_user, Perm.ISSUE_LOGINS, binding.org_unit)
    label, pk = str(binding), binding.pk
    lost = (binding.user_id, binding.role, binding.org_unit_id)
    changes = {"user": binding.user.get_username(), "role": binding.role, "org_unit": binding.org_unit.code}
    unit = binding.org_unit
    binding.delete()
    audit.record(acting_user, OrgVerb.REVOKE_ROLE, object_type="org.roleassignment", object_id=str(pk),
                 summary=label, changes=changes, unit=unit)
    do_revoke_tokens_of([lost[0]], reason=REVOKED_ROLE_LOST, acting_user=acting_user, lost_bindings=[lost])
