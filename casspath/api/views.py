"""The "API tokens" page: a user creates (secret shown once) and revokes his own tokens."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from casspath.api.access import access_token_by_prefix
from casspath.api.actions import do_create_token, do_revoke_token
from casspath.api.forms import TokenForm
from casspath.api.models import ApiToken
from casspath.api.queries import tokens_for
from casspath.core.forms import REFUSED, run_action

# The session key under which a new token's secret waits for the one page that shows it.
NEW_TOKEN_KEY = "casspath_new_token"  # noqa: S105 (a session key, not a token)


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def token_list(request):
    """Redirect after a creation, so a refresh shows the page again rather than creating a
    second token. The secret crosses the redirect in the session and is removed from it by
    the page that shows it: shown once, then gone."""
    new_token: ApiToken | None
    secret: str | None
    form = TokenForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        created = run_action(form, do_create_token, request.user, form.cleaned_data["name"],
                             expires_at=form.expires_at(), acting_user=request.user)
        if created is not REFUSED:
            new_token, secret = created
            request.session[NEW_TOKEN_KEY] = {"id": new_token.pk, "secret": secret}
            return redirect("api_tokens:list")
    new_token = secret = None
    waiting = request.session.pop(NEW_TOKEN_KEY, None) if request.method == "GET" else None
    if waiting:
        new_token = tokens_for(request.user).filter(pk=waiting["id"]).first()
        secret = waiting["secret"] if new_token is not None else None
    return render(request, "api/token_list.html", {
        "form": form, "tokens": tokens_for(request.user), "new_token": new_token, "secret": secret,
    })


@login_required
@require_POST
def token_revoke(request, prefix: str):
    token = access_token_by_prefix(request.user, prefix)
    if do_revoke_token(token, acting_user=request.user):
        messages.success(request, _("Token %(prefix)s revoked.") % {"prefix": token.prefix})
    else:
        messages.info(request, _("Token %(prefix)s was already revoked.") % {"prefix": token.prefix})
    return redirect("api_tokens:list")
