"""One import of a kind writes at a time: the apply of an import, its plan included, runs
under a lock of its kind, so that a second import of the same file waits and then finds
the rows the first one wrote (instead of both planning "create" and the second failing on
a unique constraint).

PostgreSQL: a transaction-scoped advisory lock per kind. SQLite: the write transaction
itself (BEGIN IMMEDIATE, settings.py) already admits one writer at a time. Either way the
second import waits up to IMPORT_LOCK_WAIT_SECONDS and then fails with a bilingual message.
"""

import hashlib
import time
from collections.abc import Callable
from typing import TypeVar

from django.conf import settings
from django.db import OperationalError, connection, transaction

from casspath.imports.errors import ImportFileError

T = TypeVar("T")


def lock_wait_seconds() -> int:
    return int(settings.CASSPATH.get("IMPORT_LOCK_WAIT_SECONDS", 600))


def _busy() -> ImportFileError:
    return ImportFileError(
        f"另一个同类导入正在写入数据，等待 {lock_wait_seconds()} 秒后仍未结束，未写入任何数据。请稍后重试。",
        f"Another import of this kind is writing, and it had not finished after {lock_wait_seconds()} "
        "seconds; nothing was written. Try again later.",
    )


def _key(kind: str) -> int:
    # A signed 64-bit key, the same in every process (hash() is salted per process).
    return int.from_bytes(hashlib.sha256(f"casspath.import:{kind}".encode()).digest()[:8], "big", signed=True)


def run_locked(kind: str, work: Callable[[], T]) -> T:
    """`work()` in a write transaction that holds the lock of `kind` until it ends."""
    deadline = time.monotonic() + lock_wait_seconds()
    while True:
        acquired = False
        try:
            with transaction.atomic():
                _acquire(kind)
                acquired = True
                return work()
        except OperationalError as error:
            if acquired or "lock" not in str(error).lower():
                raise
            if connection.vendor == "postgresql" or time.monotonic() >= deadline:
                raise _busy() from None
            time.sleep(0.2)


def _acquire(kind: str) -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL lock_timeout = %s", [f"{lock_wait_seconds()}s"])
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [_key(kind)])
        else:
            # SQLite takes its one write lock at the first write (or at BEGIN IMMEDIATE).
            cursor.execute("DELETE FROM imports_importrun WHERE 0")
