"""Figures counted over a whole scope (the home page's headcounts), kept between requests.

Grouped counts read every employee or unit of the scope in an index: for the admin of a
company of 100,000 that is 100,000 index entries on each visit of his home page. The figures
change only when the roster or the tree does, so they are kept in Django's cache under the
roster's version: a token in one row (RosterVersion) that every write to employees or units
replaces in the writer's own transaction. A request reads the token (one row by its key)
and finds the figures of its scope and day; the first request after any write counts
afresh. So the figures are right at once after a hire, a transfer or an import (what the
writer's transaction wrote is what the next request counts) and cost the same whatever the
size of the company while nobody writes.

Who replaces the token: single saves and deletes of employees and units through the model
signals below (actions, Django admin); writers that go around the signals (the imports'
bulk writes, the demo's COPY) call `roster_changed()` once at the end, in their transaction.
"""

from collections.abc import Callable
from datetime import date
from typing import TypeVar
from uuid import uuid4

from django.core.cache import cache
from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from casspath.core import request_cache
from casspath.org import scopes
from casspath.org.models import Employee, OrgUnit, RosterVersion
from casspath.org.scopes import Perm, Reach

T = TypeVar("T")

VERSION_KEY = "org.roster_version"
# Short-lived: the version, not the timeout, keeps them right; the timeout only lets the
# figures of scopes nobody asks for any more leave the cache.
KEEP_SECONDS = 600


def roster_changed() -> None:
    """Say that employees or units changed: figures kept so far are counted again. Call it
    in the transaction that writes, so that no request sees the new token before the data."""
    token = uuid4().hex
    if not RosterVersion.objects.filter(pk=1).update(token=token):
        RosterVersion.objects.get_or_create(pk=1, defaults={"token": token})
    request_cache.forget(VERSION_KEY)


@receiver([post_save, post_delete], sender=Employee, dispatch_uid="org.figures.employee_changed")
@receiver([post_save, post_delete], sender=OrgUnit, dispatch_uid="org.figures.unit_changed")
def _changed(**_kwargs) -> None:
    roster_changed()


def roster_version() -> str:
    """The current token, read once per request."""
    return request_cache.cached(
        VERSION_KEY, lambda: RosterVersion.objects.filter(pk=1).values_list("token", flat=True).first() or "")


def scope_key(user, perm: Perm = Perm.VIEW_EMPLOYEES) -> str:
    """Who the permission reaches, as a key: the same key for the same people (the scope
    roots by id, and the user himself where a reach is his own record; `scopes.employees_q`)."""
    if scopes.is_unrestricted(user):
        return "all"
    roots = ",".join(str(pk) for pk in sorted(unit.pk for unit in scopes.scope_roots(user, perm)))
    own = f"+{user.pk}" if scopes.reaches(user, perm) & {Reach.SELF, Reach.ATTENDEES} else ""
    return f"{perm}:{roots}{own}"


def kept(name: str, user, today: date, compute: Callable[[], T], perm: Perm = Perm.VIEW_EMPLOYEES) -> T:
    """`compute()`, the figures `name` of the user's scope on `today`, kept under the
    roster's version: counted again after any write to the roster or the tree."""
    key = f"org.figures:{name}:{roster_version()}:{today.isoformat()}:{scope_key(user, perm)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, KEEP_SECONDS)
    return value
