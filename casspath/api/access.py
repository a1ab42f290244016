"""Loading API tokens: a user reaches only his own; the same 404 for absent and not his."""

from django.http import Http404

from casspath.api.models import ApiToken


def access_token_by_prefix(user, prefix: str) -> ApiToken:
    token = ApiToken.objects.filter(user_id=user.pk, prefix=prefix).select_related("user").first()
    if token is None:
        raise Http404("No such token")
    return token
