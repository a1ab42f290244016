"""Writes on API tokens. The secret leaves these functions once, in do_create_token's result."""

import secrets
import string
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

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
    """A new token for `user`; returns it and its secret, which is never stored."""
    if expires_at is not None and expires_at <= timezone.now():
        raise ValidationError({"expires_at": "过期时间必须晚于现在 / The expiry must be in the future."})
    prefix = _new_prefix()
    secret = f"{TOKEN_MARKER}{prefix}_{secrets.token_urlsafe(32)}"
    token = ApiToken(user=user, name=name.strip(), prefix=prefix, secret_hash=hash_secret(secret),
                     expires_at=expires_at)
    token.full_clean()
    token.save()
    audit.record(acting_user, "api_token.create", token,
                 summary=f"{user.get_username()}: {token.name} ({prefix})",
                 changes={"expires_at": expires_at.isoformat() if expires_at else None})
    return token, secret


@transaction.atomic
def do_revoke_token(token: ApiToken, *, acting_user) -> bool:
    """Revoke the token; returns False (and writes nothing) if it was already revoked."""
    if token.revoked_at is not None:
        return False
    token.revoked_at = timezone.now()
    token.save(update_fields=["revoked_at"])
    audit.record(acting_user, "api_token.revoke", token,
                 summary=f"{token.user.get_username()}: {token.name} ({token.prefix})")
    return True
