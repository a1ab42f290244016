from django.db import transaction

from casspath.core import audit
from casspath.core.audit_verbs import CoreVerb
from casspath.core.models import User
from casspath.core.signals import password_changed


@transaction.atomic
def do_change_password(user: User, new_password: str, *, acting_user) -> None:
    """Set a password chosen by its owner; clears the one-time-password flag. His API
    tokens end (the API listens): whoever took the old password may have made one."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(acting_user, CoreVerb.CHANGE_PASSWORD, user, summary=user.username)
    password_changed.send(User, user=user, acting_user=acting_user, reset=False)
