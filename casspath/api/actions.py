"""Writes on API tokens. The secret leaves these functions once, in do_create_token's result."""

import secrets
import string
from collections.abc import Iterable
from datetime import datetime

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from casspath.api.audit_verbs import ApiVerb
from casspath.api.models import PREFIX_LENGTH, TOKEN_MARKER, ApiToken, hash_secret
from casspath.core import audit
from casspath.core.models import User

_PREFIX_ALPHABET = string.ascii_lowercase + string.digits


def _new_prefix() -> str:
    while True:
        prefix = "".join(secrets.choice(_PREFIX_ALPHABET) for _ in range(PREFIX_LENGTH))
        if not ApiToken.objects.filter(prefix=prefix).exists():
            return prefix


@transaction.atomic
def do_create_token(user: User, name: str, *, acting_user,
                    expires_at: datetime | None = None) -> tuple[ApiToken, str]:
    """A new token for `user`; returns it and its secret, which is never stored.

    It expires at `expires_at`, which may not be later than settings.API_TOKEN_MAX_AGE from
    now, the default. It records the user's role bindings, so that losing one ends it."""
    now = timezone.now()
    latest = now + settings.API_TOKEN_MAX_AGE
    if expires_at is None:
        expires_at = latest
    elif timezone.is_naive(expires_at):
        # A time without its zone is read as the site's local time, as a person means it.
        expires_at = timezone.make_aware(expires_at)
    if expires_at <= now:
        raise ValidationError({"expires_at": "过期时间必须晚于现在 / The expiry must be in the future."})
    if expires_at > latest:
        days = settings.API_TOKEN_MAX_AGE.days
        raise ValidationError({"expires_at": f"令牌最长有效 {days} 天，过期时间不得晚于 {latest:%Y-%m-%d} / "
                                             f"A token lives at most {days} days: the expiry may not be "
                                             f"later than {latest:%Y-%m-%d}."})
    prefix = _new_prefix()
    secret = f"{TOKEN_MARKER}{prefix}_{secrets.token_urlsafe(32)}"
    # Through the reverse relation: the API plumbing sits below org and imports none of it.
    bindings = sorted([role, unit_id] for role, unit_id in
                      user.role_assignments.values_list("role", "org_unit_id")) if user.pk else []
    token = ApiToken(user=user, name=name.strip(), prefix=prefix, secret_hash=hash_secret(secret),
                     expires_at=expires_at, role_bindings=bindings)
    token.full_clean()
    token.save()
    audit.record(acting_user, ApiVerb.CREATE_TOKEN, token,
                 summary=f"{user.get_username()}: {token.name} ({prefix})",
                 changes={"expires_at": expires_at.isoformat(), "role_bindings": bindings})
    return token, secret


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user) -> bool:
    """Revoke the token; returns False (and writes nothing) if it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(acting_user, ApiVerb.REVOKE_TOKEN, token,
                 summary=f"{token.user.get_username()}: {token.name} ({token.prefix})")
    return True


# Why a user's tokens end, as recorded on each token and in its audit row.
REVOKED_PASSWORD_CHANGED = "password changed"  # noqa: S105 (a reason, not a password)
REVOKED_PASSWORD_RESET = "password reset"  # noqa: S105 (a reason, not a password)
REVOKED_LOGIN_REISSUED = "login reissued"
REVOKED_LOGIN_DEACTIVATED = "login deactivated"
REVOKED_ROLE_LOST = "role lost"

# A bulk caller (a roster import, a login batch) may pass many users: keep the IN lists short.
_BULK = 500


@transaction.atomic
def do_revoke_tokens_of(user_ids: Iterable[int], *, reason: str, acting_user,
                        lost_bindings: Iterable[tuple[int, str, int]] | None = None) -> int:
    """End the usable tokens of the users `user_ids`; returns how many were revoked.

    With `lost_bindings` ((user id, role, org unit id) the users no longer hold), only the
    tokens made while their user held one of those end: a role granted later was never the
    reason for a token. One audit row per revoked token, naming `reason`."""
    user_ids = sorted(set(user_ids))
    lost: dict[int, set[tuple[str, int]]] | None = None
    if lost_bindings is not None:
        lost = {}
        for user_id, role, unit_id in lost_bindings:
            lost.setdefault(user_id, set()).add((str(role), unit_id))
        user_ids = sorted(set(user_ids) & set(lost))
    now = timezone.now()
    revoked = 0
    for start in range(0, len(user_ids), _BULK):
        tokens = (ApiToken.objects.select_for_update(of=("self",)).select_related("user")
                  .filter(user_id__in=user_ids[start:start + _BULK], revoked_at__isnull=True,
                          expires_at__gt=now))
        for token in tokens:
            if lost is not None and not lost[token.user_id] & {(r, u) for r, u in token.role_bindings}:
                continue
            token.revoked_at, token.revoked_reason = now, reason
            token.save(update_fields=["revoked_at", "revoked_reason"])
            audit.record(acting_user, ApiVerb.REVOKE_TOKEN, token,
                         summary=f"{token.user.get_username()}: {token.name} ({token.prefix}): {reason}",
                         changes={"reason": reason})
            revoked += 1
    return revoked
