"""The only way views and endpoints load what performance reads: scope-checked through
`org/scopes.py`. A unit's performance is for those who may run the diagnosis over it
(CONTRACTS.md, "Roles": team lead for his team, admin, consultant and analyst in scope);
the same 404 for "absent" and "not yours"."""

from casspath.org.access import access_unit_by_code
from casspath.org.models import OrgUnit
from casspath.org.scopes import Perm


def access_unit_performance(user, code: str) -> OrgUnit:
    """The unit named by `code` whose people's performance `user` may read, else Http404."""
    return access_unit_by_code(user, code, Perm.SEE_REPORTS)
