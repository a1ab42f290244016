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
bulk writes, the demo's COPY) call `roster_changed()` once, in their transaction; the
imports before their first write.

Once per transaction: replacing the token at every write would update its one row as many
times as rows are written (a 100,000-row delete in one transaction is quadratic on
PostgreSQL, each update walking the versions of the row its transaction left). So the first
roster write of a transaction replaces the token, and the connection stays "dirty" until the
transaction ends: a mark among its on_commit hooks, which Django drops when the transaction
commits or rolls back, or the savepoint the first write was in rolls back (its token
with it: the next write replaces it again). While its connection is dirty, a read counts
afresh and keeps nothing: the token it would read was replaced before writes that came
after, so figures kept under it inside the transaction could miss them. Other connections
see the old token with the old data until the commit, and the new with the new after it.
Outside a transaction (autocommit) every write is its own transaction and replaces the
token.
"""

from collections.abc import Callable, Iterable
from datetime import date
from hashlib import blake2b
from typing import TypeVar
from uuid import uuid4
from weakref import WeakKeyDictionary

from django.core.cache import cache
from django.db import DEFAULT_DB_ALIAS, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.models.signals import post_delete, post_save
from django.db.transaction import on_commit
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


class _Mark:
    """A no-op on_commit hook: while it is pending, its transaction changed the roster."""

    def __call__(self) -> None:
        pass


def roster_changed(using: str = DEFAULT_DB_ALIAS) -> None:
    """Say that employees or units changed: figures kept so far are counted again. Call it
    in the transaction that writes, so that no request sees the new token before the data.
    Within a transaction, only its first call writes (see above)."""
    connection = connections[using]
    if _dirty(connection):
        return
    token = uuid4().hex
    if not RosterVersion.objects.using(using).filter(pk=1).update(token=token):
        RosterVersion.objects.using(using).get_or_create(pk=1, defaults={"token": token})
    request_cache.forget(VERSION_KEY)
    if connection.in_atomic_block:
        mark = _Mark()
        # Where the mark goes among the hooks: Django drops a savepoint's hooks on its
        # rollback, and any hook before the mark only with the mark (a savepoint open when an
        # earlier hook was added is still open when the mark is), so the mark is pending
        # exactly while it is still at this place: a look, not a search of the hooks.
        place = len(connection.run_on_commit)
        on_commit(mark, using=using)
        _marks[connection] = (place, mark)


# Each connection's last mark and its place among its hooks; a connection (one per thread
# and database) that goes away takes its entry with it.
_marks: "WeakKeyDictionary[BaseDatabaseWrapper, tuple[int, _Mark]]" = WeakKeyDictionary()


def _dirty(connection: BaseDatabaseWrapper) -> bool:
    """Whether `connection`'s transaction has replaced the token already (see above)."""
    place, mark = _marks.get(connection, (0, None))
    hooks = connection.run_on_commit
    return mark is not None and connection.in_atomic_block and place < len(hooks) and hooks[place][1] is mark


@receiver([post_save, post_delete], sender=Employee, dispatch_uid="org.figures.employee_changed")
@receiver([post_save, post_delete], sender=OrgUnit, dispatch_uid="org.figures.unit_changed")
def _changed(using: str = DEFAULT_DB_ALIAS, **_kwargs) -> None:
    roster_changed(using)


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
    return _kept(lambda: f"{name}:{roster_version()}:{today.isoformat()}:{scope_key(user, perm)}", compute)


def kept_for_units(name: str, units: Iterable[OrgUnit], compute: Callable[[], T]) -> T:
    """`compute()`, the figures `name` of the subtrees of `units`, kept under the roster's
    version. The same for whoever asks: the caller has checked that the user reaches them."""
    paths = ",".join(sorted(unit.path for unit in units))
    # A superuser's roots can make a long key; the cache wants short ones.
    digest = blake2b(paths.encode(), digest_size=16).hexdigest()
    return _kept(lambda: f"{name}:{roster_version()}:{digest}", compute)


def _kept(key: Callable[[], str], compute: Callable[[], T]) -> T:
    if _dirty(connections[DEFAULT_DB_ALIAS]):
        return compute()  # this transaction wrote: neither read nor keep (see above)
    full_key = f"org.figures:{key()}"
    value = cache.get(full_key)
    if value is None:
        value = compute()
        cache.set(full_key, value, KEEP_SECONDS)
    return value
