"""The login batches a user issued, labelled by unit."""

from collections.abc import Iterable

from django.db.models import QuerySet

from casspath.org.models import LoginBatch, OrgUnit
from casspath.org.queries.units import unit_labels


def labelled_batches(batches: Iterable[LoginBatch]) -> list[LoginBatch]:
    """The batches, each with `unit_label` (`unit_labels`): the same team name in two
    districts reads apart."""
    batches = list(batches)
    labels = unit_labels(batch.org_unit for batch in batches)
    for batch in batches:
        batch.unit_label = labels[batch.org_unit_id]
    return batches


def login_batches_of(user, unit: OrgUnit | None = None) -> QuerySet[LoginBatch]:
    """The login batches the user issued (only he may download them)."""
    qs = LoginBatch.objects.filter(created_by_id=user.pk).select_related("org_unit")
    if unit is not None:
        qs = qs.filter(org_unit=unit)
    return qs
