"""`GET /api/v1/me`: who the call acts as, so an integration can check its token."""

from ninja import Router, Schema

from casspath.api.auth import api_user
from casspath.org import queries, scopes

router = Router(tags=["me"])


class RoleOut(Schema):
    role: str
    org_unit_code: str
    org_unit_name: str


class MeOut(Schema):
    username: str
    name: str
    roles: list[RoleOut]
    unrestricted: bool
    scope_roots: dict[str, list[str]]


@router.get("/me", response=MeOut, summary="The user this call acts as")
def me(request):
    user = api_user(request)
    bindings = queries.role_bindings_of(user)
    return {
        "username": user.get_username(),
        "name": user.get_full_name(),
        "roles": [
            {"role": b.role, "org_unit_code": b.org_unit.code, "org_unit_name": b.org_unit.name}
            for b in bindings
        ],
        "unrestricted": scopes.is_unrestricted(user),
        "scope_roots": {
            perm.value: [unit.code for unit in scopes.scope_roots(user, perm)] for perm in scopes.Perm
        },
    }
