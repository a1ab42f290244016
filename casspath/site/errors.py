"""The site's own error pages (403, 404, 500, a refused CSRF check), in both languages: the
request's language first, the other under it, so that whoever reads the page finds his.

403 and 404 render inside the site's frame with the menu. 500 renders from a template that
reads neither the database nor the session (the failure may be the database itself), and
falls back to a fixed bilingual text should even that template fail."""

from django.http import HttpResponse, HttpResponseServerError
from django.shortcuts import render
from django.template import loader
from django.utils.translation import get_language
from django.views.decorators.csrf import requires_csrf_token

LANGUAGES = ("zh-hans", "en")


def _reading_order() -> list[str]:
    """The active language first, then the other."""
    first = "en" if (get_language() or "").startswith("en") else "zh-hans"
    return [first, *(code for code in LANGUAGES if code != first)]


def _page(request, template: str, status: int) -> HttpResponse:
    return render(request, template, {"reading_order": _reading_order()}, status=status)


@requires_csrf_token
def page_not_found(request, exception=None):
    return _page(request, "404.html", 404)


@requires_csrf_token
def permission_denied(request, exception=None):
    return _page(request, "403.html", 403)


@requires_csrf_token
def csrf_failure(request, reason=""):
    return _page(request, "403_csrf.html", 403)


FALLBACK_500 = (
    "<!doctype html><meta charset='utf-8'><title>500</title>"
    "<h1>服务器出错 / Server error</h1>"
    "<p>页面出错，已记录。请稍后再试。 / The page failed and the error was logged. Try again later.</p>"
    "<p><a href='/'>首页 / Home</a></p>"
)


def server_error(request):
    # No RequestContext: the context processors read the user and his roles.
    try:
        body = loader.get_template("500.html").render({"reading_order": _reading_order()})
    except Exception:  # the page that reports a failure must not fail in turn
        body = FALLBACK_500
    return HttpResponseServerError(body)
