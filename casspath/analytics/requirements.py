"""A person's effective requirement for a dimension (CONTRACTS.md).

Requirements are set per stage and per grade; the effective one is the higher level of
the two, with the larger weight. Either may be missing.
"""

from collections.abc import Sequence
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple


class Required(NamedTuple):
    level: int
    weight: Decimal


def effective(stage_req: Required | None, grade_req: Required | None) -> Required | None:
    present = [req for req in (stage_req, grade_req) if req is not None]
    if not present:
        return None
    return Required(
        level=max(req.level for req in present),
        weight=max(req.weight for req in present),
    )


def shares(weights: Sequence[Decimal]) -> list[Decimal]:
    """Each weight as a percent of their total, to one decimal: what a dimension counts in a
    person's whole requirement. Effective weights are each the larger of two sets that add up
    to 100 % apiece, so together they add up to 100 % or more (up to 200 %); the shares add up
    to 100 % (give or take the rounding). All zeros when the total is 0."""
    total = sum(weights, Decimal(0))
    if not total:
        return [Decimal(0) for _weight in weights]
    return [(weight * 100 / total).quantize(Decimal("0.1"), rounding=ROUND_HALF_UP) for weight in weights]
