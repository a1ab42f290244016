"""The login backend: Django's ModelBackend, with the session's user read by SQL compiled
once per process (core/prepared.py): every logged-in request reads him, and building that
queryset each time cost more than running it. Which users may log in, and how passwords are
checked, are Django's."""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend

from casspath.core.models import User
from casspath.core.prepared import PreparedQuery

_user_by_pk = PreparedQuery(lambda pk: User.objects.filter(pk=pk), int)


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            pk = int(user_id)
        except (TypeError, ValueError):
            return None
        user = _user_by_pk.first(pk)
        return user if user is not None and self.user_can_authenticate(user) else None
