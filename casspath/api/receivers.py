"""The API's answers to what core announces (casspath/core/signals.py): a login whose
password changed or that was deactivated loses its tokens."""

from django.dispatch import receiver

from casspath.api.actions import (
    REVOKED_LOGIN_DEACTIVATED,
    REVOKED_PASSWORD_CHANGED,
    REVOKED_PASSWORD_RESET,
    do_revoke_tokens_of,
)
from casspath.core.signals import logins_deactivated, password_changed


@receiver(password_changed, dispatch_uid="api.revoke_tokens_on_password_change")
def revoke_on_password_change(sender, *, user, acting_user, reset: bool, **kwargs):
    do_revoke_tokens_of([user.pk], reason=REVOKED_PASSWORD_RESET if reset else REVOKED_PASSWORD_CHANGED,
                        acting_user=acting_user)


@receiver(logins_deactivated, dispatch_uid="api.revoke_tokens_on_deactivation")
def revoke_on_deactivation(sender, *, user_ids, acting_user, **kwargs):
    do_revoke_tokens_of(user_ids, reason=REVOKED_LOGIN_DEACTIVATED, acting_user=acting_user)
