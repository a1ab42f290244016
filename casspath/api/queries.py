from django.db.models import QuerySet

from casspath.api.models import ApiToken


def tokens_for(user) -> QuerySet[ApiToken]:
    """The user's own tokens, newest first."""
    return ApiToken.objects.filter(user_id=user.pk).order_by("-created_at", "-id")
