from django.shortcuts import redirect
from django.urls import reverse
from django.utils.cache import patch_cache_control


class PasswordChangeRequiredMiddleware:
    """A user holding a one-time password must change it before anything else: pages
    redirect to the change form. The API is left to its own authentication
    (casspath/api/auth.py), which knows whether a call came with the session (refused) or
    with a valid token; a header's shape says nothing.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return self.get_response(request)
        if request.path.startswith(("/static/", "/api/")):
            return self.get_response(request)
        allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"))
        if request.path not in allowed:
            return redirect("password_change")
        return self.get_response(request)


class NoStoreMiddleware:
    """Every page a logged-in user sees and every API answer may carry personal data (names,
    phones, passwords files): no browser, proxy or shared cache may keep a copy. Static files
    (served before this) and the login page stay cacheable."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        user = getattr(request, "user", None)
        if request.path.startswith("/api/") or (user is not None and user.is_authenticated):
            patch_cache_control(response, no_store=True, private=True)
        return response
