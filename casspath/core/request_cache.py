"""What one web request reads once: values that most pages need and no request changes (the
stage table behind every tenure and stage shown), kept from `request_started` to
`request_finished` and never beyond, so that the next request, in any worker, reads them
afresh. Outside a request (commands, Huey tasks, a test calling a function directly)
nothing is kept: every call computes.

Values that belong to the logged-in user (his role bindings, his employee record) are kept
on the request's user object instead (org/scopes.py), which lives as long as the request.
"""

from collections.abc import Callable
from contextvars import ContextVar
from typing import Any, TypeVar

from django.core.signals import request_finished, request_started

T = TypeVar("T")

# One dict per request; None outside a request. A ContextVar rather than a module global:
# each thread of a threaded server (and each asyncio task) has its own.
_values: ContextVar[dict[str, Any] | None] = ContextVar("casspath_request_cache", default=None)


def _begin(**_kwargs) -> None:
    _values.set({})


def _end(**_kwargs) -> None:
    _values.set(None)


def connect() -> None:
    """Called once, from CoreConfig.ready()."""
    request_started.connect(_begin, dispatch_uid="casspath.request_cache.begin")
    request_finished.connect(_end, dispatch_uid="casspath.request_cache.end")


def cached(key: str, compute: Callable[[], T]) -> T:
    """`compute()` once per request under `key`; called every time outside a request."""
    values = _values.get()
    if values is None:
        return compute()
    if key not in values:
        values[key] = compute()
    return values[key]


def forget(key: str) -> None:
    """Drop `key` from this request's values: a write in this request changed what it holds."""
    values = _values.get()
    if values is not None:
        values.pop(key, None)
