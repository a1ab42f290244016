"""`--as USERNAME` of the management commands: who acts in a command-line run."""

from django.core.management.base import CommandError

from casspath.core.actors import SystemActor
from casspath.core.models import User


def acting_user_from_option(username: str | None) -> User | SystemActor:
    """The active user named by --as (he acts within his scope), else the system actor
    cli:<os user>. CommandError, in Chinese and English, for an unknown or inactive user."""
    if not username:
        return SystemActor.cli()
    user = User.objects.filter(username=username).first()
    if user is None:
        raise CommandError(f"没有这个用户 / no such active user: {username}")
    if not user.is_active:
        raise CommandError(f"用户 {username} 已停用 / no such active user: {username} (deactivated)")
    return user
