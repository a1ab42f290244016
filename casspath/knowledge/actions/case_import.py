"""The write of `casspath import cases` (knowledge/case_import.py), which the demo's case
library goes through too: cases created or changed as the plan says, their tags set, and
published through the case library's own moves (actions/cases.py): a case the file
publishes is published by do_publish_case, which makes its learning resource; a published
case whose text or tags change has its resource rewritten by publish_resource, as the
case page's save does. Runs inside the import's one transaction (the import writes its
own audit row; each publication writes its own, as on the page)."""

from dataclasses import dataclass
from typing import Any

from django.utils import timezone

from casspath.cass.models import CassMap
from casspath.knowledge.actions.cases import do_publish_case, publish_resource
from casspath.knowledge.models import Case, CaseStatus

CASE_TEXTS = ("title", "knowledge_point", "story", "background", "challenge", "actions", "result", "tools")
TAG_FIELDS = ("steps", "products", "industries")


@dataclass
class CaseWrite:
    case: Case | None  # None: a new case
    wanted: dict[str, Any]  # code, CASE_TEXTS, dimension_codes, tag codes, customer type/size, author, status


def do_write_imported_cases(
    cass_map: CassMap, writes: list[CaseWrite], known: dict[str, dict], *, acting_user
) -> list[Case]:
    """Write the planned cases on `cass_map`; `known` maps each tag field to its rows by code
    (the plan checked every code). The import's actor may edit the map (its scope)."""
    now = timezone.now()
    written: list[Case] = []
    for write in writes:
        wanted = write.wanted
        case = write.case
        creating = case is None
        if case is None:
            case = Case(cass_map=cass_map, status=CaseStatus.DRAFT, created_at=now)
        case.code = wanted["code"]
        for key in CASE_TEXTS:
            setattr(case, key, wanted[key])
        case.dimension_codes = list(wanted["dimension_codes"])
        case.customer_type = wanted["customer_type"]
        case.customer_size = wanted["customer_size"]
        case.author = wanted["author"]
        case.updated_at = now
        case.full_clean(
            exclude=["cass_map", "author", "resource"], validate_unique=False, validate_constraints=False
        )
        case.save()
        for field in TAG_FIELDS:
            rows = [known[field][code] for code in wanted[field]]
            if creating or {r.pk for r in rows} != set(getattr(case, field).values_list("pk", flat=True)):
                getattr(case, field).set(rows)
        case.cass_map = cass_map
        if wanted["status"] == CaseStatus.PUBLISHED and case.status != CaseStatus.PUBLISHED:
            case = do_publish_case(case, acting_user=acting_user, as_writer=creating)
        elif case.status == CaseStatus.PUBLISHED:
            publish_resource(case, acting_user=acting_user)
        written.append(case)
    return written
