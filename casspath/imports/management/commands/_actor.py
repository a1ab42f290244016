"""`--as USERNAME` for the import and export commands."""

from django.core.management.base import CommandError

from casspath.core.actors import SystemActor
from casspath.core.models import User


def resolve_actor(username: str | None):
    """The user named by --as (he acts within his scope), else the system actor cli:<os user>."""
    if not username:
        return SystemActor.cli()
    try:
        return User.objects.get(username=username, is_active=True)
    except User.DoesNotExist:
        raise CommandError(f"没有这个用户 / no such active user: {username}") from None
