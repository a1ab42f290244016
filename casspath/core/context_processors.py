from casspath.imports.queries import importers_for
from casspath.org import scopes


def navigation(request):
    """Which menu entries the user may see; decided by scopes, not by templates."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {
        "nav": {
            "employees": scopes.has_perm(user, scopes.Perm.VIEW_EMPLOYEES),
            "org": scopes.has_perm(user, scopes.Perm.VIEW_EMPLOYEES),
            "competency": True,
            # Training admins import the roster; consultants the competency model.
            "imports": bool(importers_for(user)),
            "logins": scopes.has_perm(user, scopes.Perm.ISSUE_LOGINS),
        },
        "user_roles": sorted(scopes.roles_of(user)),
    }
