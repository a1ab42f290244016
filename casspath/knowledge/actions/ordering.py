"""Rows kept in order 1, 2, 3… with no gap (a guide's steps, a manual's segments): renumber
after a removal, swap with a neighbour to move. The callers lock the parent first."""

from django.db.models import QuerySet

from casspath.core import audit
from casspath.core.errors import BilingualError


def renumber(rows: QuerySet) -> None:
    for number, row in enumerate(rows.order_by("order", "id"), start=1):
        if row.order != number:
            row.order = number
            row.save(update_fields=["order"])


def swap_with_neighbour(rows: QuerySet, pk: int, offset: int):
    """Move the row `pk` of `rows` up (offset -1) or down (+1) by swapping its order with its
    neighbour's: (the row, its place before, after), places counted from 1; None for the
    places when it is at that end already. LookupError when the row is not among `rows`."""
    if offset not in (-1, 1):
        raise ValueError("a row moves by one place")
    renumber(rows)
    ordered = list(rows.order_by("order", "id"))
    index = next((i for i, row in enumerate(ordered) if row.pk == pk), None)
    if index is None:
        raise LookupError(pk)
    moved, other = ordered[index], index + offset
    if not 0 <= other < len(ordered):
        return moved, None, None
    neighbour = ordered[other]
    moved.order, neighbour.order = neighbour.order, moved.order
    moved.save(update_fields=["order"])
    neighbour.save(update_fields=["order"])
    return moved, index + 1, other + 1


def remove_in_order(
    rows: QuerySet, row, *, gone: BilingualError, acting_user, verb, summary: str, unit
) -> None:
    """Remove `row` from `rows` (refused with `gone` when it is not there any more), close the
    gap and write the audit row of the removal."""
    pk = row.pk
    deleted, _ = rows.filter(pk=pk).delete()
    if not deleted:
        raise gone
    renumber(rows)
    audit.record(
        acting_user, verb, object_type=row._meta.label_lower, object_id=str(pk), summary=summary, unit=unit
    )
