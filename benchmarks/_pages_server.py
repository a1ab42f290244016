"""The page benchmark's WSGI application (benchmarks/pages.py serves it with gunicorn).

Every URL goes to the product exactly as production serves it (casspath.wsgi, its settings,
middleware and URLs), except /bench/bare: a bare Django JSON view, handled by a second Django
handler with no middleware and a URLconf of that one view. It is the baseline each page's
rate is compared with, served by the same server, workers and database settings in the same
run. It exists only here: the product has no such view.
"""

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "casspath.settings")

from django.core.handlers.exception import convert_exception_to_response  # noqa: E402
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402
from django.http import JsonResponse  # noqa: E402
from django.urls import path  # noqa: E402

from casspath.wsgi import application as site  # noqa: E402 - sets Django up first

BARE_PATH = "/bench/bare"


def bare(request):
    return JsonResponse({"ok": True})


# This module is the bare handler's URLconf.
urlpatterns = [path(BARE_PATH.lstrip("/"), bare)]


class BareHandler(WSGIHandler):
    """Django's WSGI handler without middleware, resolving in this module's URLconf."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []

        def respond(request):
            request.urlconf = __name__
            return self._get_response(request)

        self._middleware_chain = convert_exception_to_response(respond)


bare_application = BareHandler()


def application(environ, start_response):
    if environ.get("PATH_INFO") == BARE_PATH:
        return bare_application(environ, start_response)
    return site(environ, start_response)
