"""The login backend: Django's ModelBackend, with the session's user read by SQL compiled
once per process (core/prepared.py): every logged-in request reads him, and building that
queryset each time cost more than running it. Which users may log in, and how passwords are
checked, are Django's.

Usernames log in whatever their case ("gd00099" is GD00099: phones type lower case), and
django-axes counts failures under the same canonical name (`axes_username`), so both
spellings share one lock-out. Login issuing refuses a username differing from another only
in case (org/actions/logins.py), so at most one login answers to a spelling."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from casspath.core.models import User
from casspath.core.prepared import PreparedQuery

_user_by_pk = PreparedQuery(lambda pk: User.objects.filter(pk=pk), int)


def canonical_username(typed: str) -> str:
    """The stored username answering to `typed` in any case; for no login, `typed` in upper
    case (so that failures for an unknown name still count together)."""
    typed = typed.strip()
    if not typed:
        return typed
    names = list(User.objects.filter(username__iexact=typed).values_list("username", flat=True)[:2])
    if not names:
        return typed.upper()
    return typed if typed in names else names[0]  # an exact match wins over an older case-twin


def axes_username(request, credentials) -> str | None:
    """AXES_USERNAME_CALLABLE: the name axes keys lock-outs by, canonical (see above)."""
    if credentials:
        typed = credentials.get("username")
    else:
        typed = getattr(request, "data", request.POST).get("username")
    return canonical_username(typed) if isinstance(typed, str) else typed


class ModelBackend(DjangoModelBackend):
    def authenticate(self, request, username=None, password=None, **kwargs):
        if username is None:
            username = kwargs.get(User.USERNAME_FIELD)
        if isinstance(username, str):
            username = canonical_username(username)
        return super().authenticate(request, username=username, password=password, **kwargs)

    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _user_by_pk.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
