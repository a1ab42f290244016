"""Logging in, and "keep me signed in on this phone".

A session lasts SESSION_COOKIE_AGE (10 hours) from its last change, its cookie until the
browser closes (core/sessions.py). An account manager on his own phone may tick "keep me
signed in" at login: his session and its cookie then last KEEP_SIGNED_IN_DAYS (30 days) and
slide, renewed at most once a day while he uses it (one
session write a day, not one per request). The box is offered to everyone (who holds which
role is only known after the password) and honoured only for a login whose roles reach
nobody but himself (`scopes.reaches_only_self`: an account manager, a login with no role);
for anyone else it is ignored and the session has the default age.

The rule is checked again on every request of a kept session (KeepSignedInMiddleware): a
user who gains a role that reaches others (granted by an admin, a login batch, an import),
or becomes staff, loses the long session at his next request. It becomes an ordinary session
counted from his login: ended at once when the login is older than SESSION_COOKIE_AGE, else
ending SESSION_COOKIE_AGE after the login, its cookie now ending with the browser.

A password change or reset ends the user's other sessions (Django keeps a hash of the
password in each session and refuses a session whose hash no longer matches; the password
page keeps the session it was changed in), kept ones included; so does deactivating a login.
"""

import time
from datetime import UTC, datetime, timedelta

from django import forms
from django.conf import settings
from django.contrib.auth import logout
from django.contrib.auth import views as auth_views
from django.contrib.auth.forms import AuthenticationForm
from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from casspath.core import sessions
from casspath.org import queries, scopes

# In the session of a kept login: {"since": login time, "renewed": last renewal}, epoch seconds.
KEPT_KEY = "casspath_kept_signed_in"
# A kept session is renewed (saved with its full age again) when its last renewal is older.
RENEW_AFTER_SECONDS = 24 * 60 * 60


def kept_age_seconds() -> int:
    return settings.KEEP_SIGNED_IN_DAYS * 24 * 60 * 60


def may_stay_signed_in(user) -> bool:
    """Whether a login may keep a long session: see the module's docstring."""
    return scopes.reaches_only_self(user)


class LoginForm(AuthenticationForm):
    remember = forms.BooleanField(label=_("Keep me signed in on this phone"), required=False)


class LoginView(auth_views.LoginView):
    authentication_form = LoginForm
    redirect_authenticated_user = True

    def form_valid(self, form):
        response = super().form_valid(form)  # logs in: a new session for the user
        if form.cleaned_data.get("remember") and may_stay_signed_in(self.request.user):
            now = int(time.time())
            self.request.session[KEPT_KEY] = {"since": now, "renewed": now}
            self.request.session.set_expiry(kept_age_seconds())
        return response

    def get_context_data(self, **kwargs):
        context = super().get_context_data(**kwargs)
        context["kept_days"] = settings.KEEP_SIGNED_IN_DAYS
        context["default_hours"] = round(settings.SESSION_COOKIE_AGE / 3600)
        return context


def locked_out(request, original_response=None, credentials=None):
    """AXES_LOCKOUT_CALLABLE: axes' lock-out page, saying when the lock ends (AXES_COOLOFF_TIME
    after the last wrong password of this login from this address; for an address locked
    as a whole, from now at the latest) and leading back to the login page."""
    from axes.helpers import get_client_username, get_cool_off  # axes reads its settings on import

    cool_off = get_cool_off(request) or timedelta(0)
    last = queries.last_failed_login_at(get_client_username(request, credentials) or "",
                                        getattr(request, "axes_ip_address", None))
    ends = (last or timezone.now()) + cool_off
    return render(request, settings.AXES_LOCKOUT_TEMPLATE, {
        "cooloff_minutes": round(cool_off.total_seconds() / 60),
        "ends_at": max(ends, timezone.now()),
    }, status=429)


class KeepSignedInMiddleware:
    """Renews a kept session once a day, and takes it away from a user who no longer may
    keep one (see the module's docstring). Other requests pass untouched: a session without
    the key costs one dictionary lookup in the session the user's login already loaded."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        kept = session.get(KEPT_KEY) if session is not None else None
        if kept:
            self._review(request, kept)
        return self.get_response(request)

    def _review(self, request, kept: dict) -> None:
        user = request.user
        if not user.is_authenticated:  # the session has ended (password changed, login deactivated)
            return
        now = time.time()
        if not may_stay_signed_in(user):
            ends = kept["since"] + settings.SESSION_COOKIE_AGE
            if ends <= now:
                logout(request)
            else:
                del request.session[KEPT_KEY]
                sessions.end_at(request.session, datetime.fromtimestamp(ends, tz=UTC))
            return
        if now - kept["renewed"] >= RENEW_AFTER_SECONDS:
            request.session[KEPT_KEY] = {"since": kept["since"], "renewed": int(now)}
            request.session.set_expiry(kept_age_seconds())  # saved at the end of this request
