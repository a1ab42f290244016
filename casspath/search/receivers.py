"""The index kept current: the post_save, post_delete and m2m_changed signals of each
registered kind's watched models queue (kind, id) on the database connection, and one
callback per transaction (transaction.on_commit, deduplicated) writes them when it commits:
an action's write reaches the index only if it commits, and a rolled-back one leaves it as
it was. Outside a transaction (autocommit) on_commit runs the write at once.

Bulk writers that send no signals (bulk_create, core.demo.insert_rows, the importers' bulk
paths) call `index.index_objects(kind, ids)` or `index.rebuild()` themselves; the demo ends
with a rebuild (search/demo.py).
"""

import logging
from collections.abc import Iterable

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from casspath.search import index, registry

log = logging.getLogger(__name__)
on_commit = transaction.on_commit  # the tests' conftest may run it at once


class _Batch:
    """The (kind, ids) one transaction queued, written when it commits."""

    def __init__(self) -> None:
        self.ids: dict[str, set[int]] = {}
        self.ran = False

    def __call__(self) -> None:
        self.ran = True
        queued, self.ids = self.ids, {}
        for kind, ids in queued.items():
            try:
                index.index_objects(kind, ids)
            except Exception:  # the write committed; the index is rebuilt by `casspath search --rebuild`
                log.exception("search index: could not write %s %s", kind, sorted(ids)[:20])


def queue(kind: str, ids: Iterable[int]) -> None:
    ids = {int(pk) for pk in ids if pk is not None}
    if not ids:
        return
    connection = transaction.get_connection()
    if not connection.in_atomic_block:
        index.index_objects(kind, ids)
        return
    batch = getattr(connection, "_search_batch", None)
    # A batch whose callback a rollback dropped (or that ran) is not reused.
    if batch is None or batch.ran or not any(entry[1] is batch for entry in connection.run_on_commit):
        batch = _Batch()
        connection._search_batch = batch  # the connection carries its batch
        on_commit(batch)
    batch.ids.setdefault(kind, set()).update(ids)


def _on_save(kind: str, to_ids):
    def receiver(sender, instance, **kwargs):
        if kwargs.get("raw"):
            return
        queue(kind, to_ids(instance))

    return receiver


def _on_m2m(kind: str, to_ids):
    def receiver(sender, instance, action, reverse, pk_set, **kwargs):
        if action not in ("post_add", "post_remove", "post_clear", "pre_clear"):
            return
        queue(kind, to_ids(instance, pk_set, reverse))

    return receiver


_CONNECTED: list = []  # strong references: the receivers are closures


def connect_kind(kind: registry.Kind) -> None:
    """Connect the receivers of a kind's watched models (registry.register calls it)."""
    for model, to_ids in kind.watch.items():
        receiver = _on_save(kind.name, to_ids)
        _CONNECTED.append(receiver)
        uid = f"search:{kind.name}:{model._meta.label}"
        post_save.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:save")
        post_delete.connect(receiver, sender=model, weak=False, dispatch_uid=f"{uid}:delete")
    for through, m2m_ids in kind.watch_m2m.items():
        receiver = _on_m2m(kind.name, m2m_ids)
        _CONNECTED.append(receiver)
        m2m_changed.connect(
            receiver, sender=through, weak=False, dispatch_uid=f"search:{kind.name}:{through._meta.label}:m2m"
        )
