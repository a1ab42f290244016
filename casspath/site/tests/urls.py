"""The project's URLs and error handlers, plus pages that fail on purpose."""

from django.core.exceptions import PermissionDenied
from django.db import connections
from django.urls import path

from casspath.urls import handler403, handler404, handler500
from casspath.urls import urlpatterns as project_urlpatterns

__all__ = ["handler403", "handler404", "handler500", "urlpatterns"]


def refuse(request):
    raise PermissionDenied("not yours")


def fail(request):
    raise RuntimeError("something broke")


def database_down(*args, **kwargs):
    raise AssertionError("a query ran after the database went down")


def fail_with_database_down(request):
    # Any query from here on (session, user, menu) fails the test; the test restores it.
    connections["default"].cursor = database_down  # type: ignore[method-assign]  # on purpose
    raise RuntimeError("database is down")


urlpatterns = [
    *project_urlpatterns,
    path("tests/refuse/", refuse),
    path("tests/fail/", fail),
    path("tests/fail-without-database/", fail_with_database_down),
]
