"""GET /api/v1/assess/evidence?employee=工号: one employee's evidence and current levels,
for whoever may see him (access.py)."""

from dataclasses import asdict
from datetime import date

from django.utils import timezone
from ninja import Router, Schema

from casspath.api.auth import api_user
from casspath.assess.access import access_employee_for_evidence
from casspath.assess.queries import employee_levels, evidence_of

router = Router(tags=["assess"])


class RecordOut(Schema):
    dimension: str
    dimension_name: str
    source: str
    date: date
    level_given: int | None
    score: float | None
    level: float
    model_family: str
    model_version: int


class CurrentOut(Schema):
    dimension: str
    name: str
    level: float | None
    confidence: float
    effective_records: float
    count: int
    newest: date | None


class EvidenceOut(Schema):
    employee: str
    name: str
    as_of: date
    current: list[CurrentOut]
    records: list[RecordOut]


@router.get("/evidence", response=EvidenceOut, summary="An employee's evidence and current levels")
def get_evidence(request, employee: str, as_of: date | None = None):
    person = access_employee_for_evidence(api_user(request), employee)
    day = as_of or timezone.localdate()
    return {
        "employee": person.employee_no,
        "name": person.name,
        "as_of": day,
        "current": [asdict(level) for level in employee_levels(person, as_of=day)],
        "records": [
            {"dimension": e.dimension_code, "dimension_name": e.dimension.name, "source": e.source,
             "date": e.observed_on, "level_given": e.given_level,
             "score": float(e.score) if e.score is not None else None, "level": e.level,
             "model_family": e.model.family, "model_version": e.model.version}
            for e in evidence_of(person)
        ],
    }
