"""The demo's case library (demo_data/cases.py) written through `casspath import cases`, the
one way cases come in bulk: the same parsing, checks, write and publication (each
published case gets its learning resource from do_publish_case), as the system actor.

It runs after the process map and the product map (its cases name their steps, products
and industries by code). A product or industry the map lacks is left off the case's tags
(the demo's product map holds them all); an author absent from the demo's employees (fewer
than --managers 400) is left blank. Cases whose codes the map holds are left as they are,
so a second run writes nothing. The four cases still in the workflow are then moved as
people would: their author submits them (his login), and the demo's consultant sends one
back with her comment.
"""

from django.contrib.auth import get_user_model

from casspath.cass.models import CassMap
from casspath.core.demo import DemoError, DemoRun
from casspath.imports.framework import RunContext, TabularImporter
from casspath.imports.registry import get
from casspath.knowledge.actions.cases import do_request_changes, do_submit_case
from casspath.knowledge.demo_data.cases import CASES, DemoCase
from casspath.knowledge.importers.cases import STATUS_ZH
from casspath.knowledge.models import Case, CaseStatus, CustomerSize, CustomerType, Industry, Product
from casspath.org.models import Employee

# Who reviews the demo's cases (org's demo login of the consultant role).
REVIEWER = "consultant"


def _record(spec: DemoCase, products: set[str], industries: set[str], authors: set[str]) -> dict[str, str]:
    """The row of the import that writes `spec`, in the file's words."""
    published = spec.status == CaseStatus.PUBLISHED
    return {
        "case_code": spec.code,
        "title": spec.title,
        "knowledge_point": spec.point,
        "story": spec.story,
        "background": spec.background,
        "challenge": spec.challenge,
        "actions": spec.actions,
        "result": spec.result,
        "tools": spec.tools,
        "steps": "；".join(spec.steps),
        "dimensions": "；".join(spec.dimensions),
        "products": "；".join(code for code in spec.products if code in products),
        "industries": "；".join(code for code in spec.industries if code in industries),
        "customer_type": str(CustomerType(spec.customer_type).value),
        "customer_size": str(CustomerSize(spec.customer_size).value),
        "author_no": spec.author if spec.author in authors else "",
        "status": STATUS_ZH[CaseStatus.PUBLISHED if published else CaseStatus.DRAFT],
    }


def build_case_library(cass_map: CassMap, run: DemoRun) -> dict[str, int]:
    have = set(Case.objects.filter(cass_map=cass_map).values_list("code", flat=True))
    todo = [spec for spec in CASES if spec.code not in have]
    if not todo:
        return {"cases": 0}
    run.progress("case library", 0, len(todo))
    products = set(Product.objects.filter(cass_map=cass_map).values_list("code", flat=True))
    industries = set(Industry.objects.filter(cass_map=cass_map).values_list("code", flat=True))
    authors = set(
        Employee.objects.filter(employee_no__in=[s.author for s in todo]).values_list(
            "employee_no", flat=True
        )
    )
    importer = get("cases")
    assert isinstance(importer, TabularImporter)  # the case import reads rows
    ctx = RunContext(
        acting_user=run.acting_user,
        importer=importer,
        filename="demo:cases",
        dry_run=False,
        options={"unit": cass_map.org_unit.code, "family": cass_map.model_family},
    )
    report, _plan = importer.run_records([_record(s, products, industries, authors) for s in todo], ctx)
    if not report.ok:
        first = report.errors[0]
        raise DemoError(
            f"演示案例未能导入：第 {first.row} 行 {first.column}：{first.reason_zh}",
            f"the demo cases did not import: row {first.row} {first.column}: {first.reason_en}",
        )
    run.progress("case library", len(todo), len(todo))
    return {"cases": report.created, "cases_in_review": _move_into_workflow(cass_map, todo)}


def _move_into_workflow(cass_map: CassMap, specs: list[DemoCase]) -> int:
    """Submit the cases meant to be in review (as their authors), send back the one meant
    to be (as the demo's consultant); the number moved."""
    reviewer = get_user_model().objects.filter(username=REVIEWER).first()
    moved = 0
    for spec in specs:
        if spec.status not in (CaseStatus.IN_REVIEW, CaseStatus.CHANGES_REQUESTED):
            continue
        case = Case.objects.select_related("author__user", "cass_map__org_unit").get(
            cass_map=cass_map, code=spec.code
        )
        if case.author is None or case.author.user is None:
            continue  # a smaller demo without its author: the case stays a draft
        case = do_submit_case(case, acting_user=case.author.user)
        moved += 1
        if spec.status == CaseStatus.CHANGES_REQUESTED and reviewer is not None:
            do_request_changes(case, comment=spec.comment, acting_user=reviewer)
    return moved
