from django.db import transaction

from casspath.core import audit
from casspath.core.models import User


@transaction.atomic
def do_change_password(user: User, new_password: str, *, acting_user) -> None:
    """Set a password chosen by its owner; clears the one-time-password flag."""
    user.set_password(new_password)
    user.must_change_password = False
    user.save(update_fields=["password", "must_change_password"])
    audit.record(acting_user, "user.change_password", user, summary=user.username)
