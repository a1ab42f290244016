"""The import lock: imports that write to the same part of the org tree take turns; imports
of other parts run side by side.

An import (of one kind) writes only inside the org units its actor's scope reaches, so on
PostgreSQL it locks that scope, with transaction-scoped advisory locks of its kind:

- exclusive on each of its scope roots (the units whose subtrees it writes),
- shared on every ancestor of those roots, and shared on the kind's whole tree;
- an unrestricted actor (superuser, the CLI's system actor) locks the whole tree exclusively.

So two cities (Guangzhou, Foshan) import side by side; the province's import (exclusive on
the province) waits for the cities' imports below it (shared on the province) and they
wait for it; an import of a district waits for one of its city. Keys are taken in one
order (sorted), so two imports never wait for each other in a circle. Which units an
import locks is the importer's to say (`Importer.lock_units`): the roster and the employee
batch API lock the actor's scope, the competency import the model's owner unit, and the
org-unit import the whole tree (it changes the tree the scopes are made of). The roster,
the employee batch API, the org-unit import and org's single edits of employees and units
(`hold_units`: exclusive on the units an edit touches, shared above them) share one key
space, ORG_TREE, and wait for each other; other kinds (the competency import) never wait
for those. A web request waits IMPORT_LOCK_WAIT_SECONDS_REQUEST at most (LockBusy, then
409 or a form error), an import's job IMPORT_LOCK_WAIT_SECONDS.

Only what depends on the database's current state runs under the lock (framework.py):
the file is read and its cells parsed before, outside any transaction, so that the run's
progress and heartbeat are committed as it goes; the checks against the database, the
plan and the write run under the lock in one transaction, with the actor's scope read
again there (and the lock taken again if his scope moved meanwhile).

While it waits, a run keeps its job alive: it asks for the lock in slices of
WAIT_SLICE_SECONDS and calls `waiting()` between them (the framework writes a heartbeat
and the phase "waiting", which the run page shows), until IMPORT_LOCK_WAIT_SECONDS have
passed; then it fails, in both languages, having written nothing.

What the scope lock cannot cover: a 工号 (employee number) is unique company-wide, so two
cities could create the same new number at the same moment, each in its own scope. The
roster import therefore also takes `hold_exclusive("roster:new-employee-numbers")` just
before it inserts new employees (the last write of its transaction), reads the numbers
again, and turns any number created meanwhile (or one differing only in case, which no
database constraint would catch) into a bilingual row error, writing nothing. We chose
this short company-wide lock over catching the database's IntegrityError alone because
only a lock also stops two spellings of one number ("gd001" and "GD001"), and because it
is held only from the insert to the commit (seconds for 100,000 new employees), and only
by writers that create employees (the import, and org's single create, which looks the
number up again under it in every spelling); a caught IntegrityError remains the backstop.

SQLite admits one writer at a time: the write transaction itself (BEGIN IMMEDIATE,
settings.py) is the lock, for every import of every scope, as before; a run waiting for
it cannot write its heartbeat either (the other writer holds the database).
"""

import hashlib
import time
from collections.abc import Callable, Sequence
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

from casspath.imports.errors import ImportFileError

T = TypeVar("T")

# Each scope root as the ids of the units from the top of the tree down to it; None: the
# whole tree (an unrestricted actor).
UnitLines = Sequence[Sequence[int]] | None
# How long one blocking request for a lock waits before the run writes its heartbeat and
# asks again; and how often, at most, `waiting()` is called.
WAIT_SLICE_SECONDS = 1.0
WAITING_EVERY_SECONDS = 5.0
# A run whose scope keeps moving while it waits gives up after this many new attempts.
MAX_SCOPE_RETRIES = 5
_LOCK_NOT_AVAILABLE = "55P03"


# The key space shared by every writer of the org tree and the roster: the roster import,
# the employee batch API, the org-unit import and the single edits of employees and units
# (org/actions), so that each waits for the others over the units they share.
ORG_TREE = "roster"


def lock_wait_seconds() -> int:
    return int(settings.CASSPATH.get("IMPORT_LOCK_WAIT_SECONDS", 600))


def request_lock_wait_seconds() -> int:
    """How long a web request (a page's edit, an API call) waits for the lock: short, so that
    a big import does not hold the web workers; the caller answers "try again shortly"."""
    return int(settings.CASSPATH.get("IMPORT_LOCK_WAIT_SECONDS_REQUEST", 15))


class LockBusy(ImportFileError):
    """Another import of the same units held the lock for the whole wait; nothing was written."""


def _busy(seconds: float | None = None) -> LockBusy:
    seconds = lock_wait_seconds() if seconds is None else seconds
    return LockBusy(
        f"另一个导入正在写入这些单位的数据，等待 {seconds:g} 秒后仍未结束，未写入任何数据。请稍后重试。",
        f"Another import of these units is writing, and it had not finished after {seconds:g} seconds; "
        "nothing was written. Try again shortly.",
    )


def _key(name: str) -> int:
    # A signed 64-bit key, the same in every process (hash() is salted per process).
    return int.from_bytes(hashlib.sha256(f"casspath.import:{name}".encode()).digest()[:8], "big", signed=True)


def lock_keys(kind: str, lines: UnitLines) -> list[tuple[int, bool]]:
    """The advisory locks an import of `kind` over `lines` takes, as (key, exclusive), in the
    order they are taken (sorted by key, the same order in every process)."""
    tree = _key(f"{kind}:tree")
    if lines is None:
        return [(tree, True)]
    modes: dict[int, bool] = {tree: False}
    for line in lines:
        if not line:
            continue
        *above, root = line
        for unit in above:
            modes.setdefault(_key(f"{kind}:unit:{unit}"), False)
        modes[_key(f"{kind}:unit:{root}")] = True
    return sorted(modes.items())


class _ScopeMoved(Exception):
    """The actor's scope changed while the run waited: the locks held do not cover it."""


def run_locked(kind: str, work: Callable[[], T], *, units: Callable[[], UnitLines] = lambda: None,
               waiting: Callable[[], None] | None = None, wait_seconds: float | None = None) -> T:
    """`work()` in a write transaction holding the locks of `kind` over `units()` until it
    ends. `units()` is asked before the locks are taken and again once they are held (it
    reads the actor's scope afresh): when the second answer needs a lock not held, the
    transaction is rolled back and the locks are taken again. `waiting()` is called while
    the run waits (at once, then every WAITING_EVERY_SECONDS at most). It waits
    `wait_seconds` at most (IMPORT_LOCK_WAIT_SECONDS when None), then raises LockBusy."""
    wait = lock_wait_seconds() if wait_seconds is None else wait_seconds
    deadline = time.monotonic() + wait
    notify = _Notifier(waiting)
    for _attempt in range(MAX_SCOPE_RETRIES + 1):
        acquired = False
        try:
            with transaction.atomic():
                keys = lock_keys(kind, units())
                _acquire(keys, deadline, notify, wait)
                acquired = True
                if not set(lock_keys(kind, units())) <= set(keys):
                    raise _ScopeMoved()
                return work()
        except _ScopeMoved:
            continue
        except OperationalError as error:
            if acquired or "lock" not in str(error).lower():
                raise
            if connection.vendor == "postgresql" or time.monotonic() >= deadline:
                raise _busy(wait) from None
            # SQLite: the other writer holds the database; no heartbeat can be written.
            time.sleep(0.2)
    raise _busy(wait)


def hold_units(kind: str, lines: UnitLines, *, wait_seconds: float | None = None) -> None:
    """Inside a single edit's transaction (org/actions): take the locks of `kind` over
    `lines` (the units the edit touches, as `lock_keys` takes them: exclusive on each line's
    last unit, shared on its ancestors) until the transaction ends, so that the edit waits
    for an import of a scope containing them and such an import waits for it. Take them
    before any row lock of the edit (an import holds these, then locks rows). Waits
    `wait_seconds` (IMPORT_LOCK_WAIT_SECONDS_REQUEST when None), then raises LockBusy."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold_units runs inside the edit's write transaction")
    if connection.vendor != "postgresql":
        return  # SQLite: the write transaction (BEGIN IMMEDIATE) is the one writer already
    wait = request_lock_wait_seconds() if wait_seconds is None else wait_seconds
    _acquire(lock_keys(kind, lines), time.monotonic() + wait, _Notifier(None), wait)


def hold_exclusive(name: str, *, waiting: Callable[[], None] | None = None,
                   wait_seconds: float | None = None) -> None:
    """Inside a run's write transaction: also take the company-wide exclusive lock `name`
    until the transaction ends (waiting as `run_locked` does). Take it after the scope
    locks, as the last lock of the run, so that no two runs wait for each other."""
    if not connection.in_atomic_block:
        raise RuntimeError("hold_exclusive runs inside the import's write transaction")
    if connection.vendor != "postgresql":
        return  # SQLite: the run's write transaction is the one writer already
    wait = lock_wait_seconds() if wait_seconds is None else wait_seconds
    _acquire([(_key(name), True)], time.monotonic() + wait, _Notifier(waiting), wait)


class _Notifier:
    """Calls `waiting()` at most every WAITING_EVERY_SECONDS."""

    def __init__(self, waiting: Callable[[], None] | None):
        self.waiting = waiting
        self.last: float | None = None

    def __call__(self) -> None:
        now = time.monotonic()
        if self.waiting is not None and (self.last is None or now - self.last >= WAITING_EVERY_SECONDS):
            self.last = now
            self.waiting()


def _acquire(keys: list[tuple[int, bool]], deadline: float, waiting: Callable[[], None],
             wait: float) -> None:
    if connection.vendor != "postgresql":
        with connection.cursor() as cursor:
            # SQLite takes its one write lock at the first write (or at BEGIN IMMEDIATE).
            cursor.execute("DELETE FROM imports_importrun WHERE 0")
        return
    with connection.cursor() as cursor:
        for key, exclusive in keys:
            suffix = "" if exclusive else "_shared"
            cursor.execute(f"SELECT pg_try_advisory_xact_lock{suffix}(%s)", [key])
            if not cursor.fetchone()[0]:
                _wait_for(cursor, f"SELECT pg_advisory_xact_lock{suffix}(%s)", key, deadline, waiting, wait)


def _wait_for(cursor, sql: str, key: int, deadline: float, waiting: Callable[[], None],
              wait: float) -> None:
    """Ask for the lock in slices (staying in PostgreSQL's queue of waiters most of the time,
    so that shared holders coming and going cannot starve an exclusive request), calling
    `waiting()` between them. The transaction's lock_timeout is put back afterwards."""
    cursor.execute("SELECT current_setting('lock_timeout')")
    (saved_timeout,) = cursor.fetchone()
    try:
        while True:
            waiting()
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise _busy(wait)
            milliseconds = max(1, int(min(WAIT_SLICE_SECONDS, remaining) * 1000))
            cursor.execute("SELECT set_config('lock_timeout', %s, true)", [f"{milliseconds}ms"])
            try:
                with transaction.atomic():  # a savepoint: a timed-out request leaves the rest intact
                    cursor.execute(sql, [key])
                return
            except OperationalError as error:
                if getattr(error.__cause__, "sqlstate", None) != _LOCK_NOT_AVAILABLE:
                    raise
    finally:
        cursor.execute("SELECT set_config('lock_timeout', %s, true)", [saved_timeout])
