"""A person's effective requirement for a dimension (CONTRACTS.md).

Requirements are set per stage and per grade; the effective one is the higher level of
the two, with the larger weight. Either may be missing.
"""

from decimal import Decimal
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
