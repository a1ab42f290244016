from django.http import JsonResponse
from django.shortcuts import redirect
from django.urls import reverse


class PasswordChangeRequiredMiddleware:
    """A user holding a one-time password must change it before anything else.

    Pages redirect to the change form; the API, reached with that session, refuses in JSON.
    A bearer token is judged by the API's own authentication (a one-time-password holder
    cannot have made one: the token page is behind this middleware).
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated or not getattr(user, "must_change_password", False):
            return self.get_response(request)
        if request.path.startswith("/static/"):
            return self.get_response(request)
        if request.path.startswith("/api/"):
            if request.headers.get("Authorization", "").startswith("Bearer "):
                return self.get_response(request)
            return JsonResponse({
                "detail": "请先修改一次性密码 / Change your one-time password first",
                "detail_zh": "请先修改一次性密码后再使用接口。",
                "detail_en": "Change your one-time password before using the API.",
            }, status=403)
        allowed = (reverse("password_change"), reverse("logout"), reverse("set_language"))
        if request.path not in allowed:
            return redirect("password_change")
        return self.get_response(request)
