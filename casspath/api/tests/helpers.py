from datetime import timedelta

from django.utils import timezone

from casspath.api.actions import do_create_token
from casspath.core.actors import SystemActor

ACTOR = SystemActor(label="test")


def make_token(user, name: str = "integration", *, expires_in: timedelta | None = None) -> tuple:
    expires_at = timezone.now() + expires_in if expires_in else None
    return do_create_token(user, name, expires_at=expires_at, acting_user=ACTOR)


def bearer(secret: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}
