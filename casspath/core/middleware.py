from django.shortcuts import redirect
from django.urls import reverse


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
