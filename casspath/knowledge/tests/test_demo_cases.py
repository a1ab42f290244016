"""The demo's case library: its content written case by case (demo_data/cases*.py), and the
demo part that writes it through `casspath import cases` (demo_cases.py)."""

import re
from collections import Counter

import pytest

from casspath.cass.models import ResourceKind, ResourceStatus
from casspath.knowledge.demo_data.cases import CASES, IN_WORKFLOW, PUBLISHED
from casspath.knowledge.demo_process import PROCESS, all_steps
from casspath.knowledge.models import Case, CaseStatus, CustomerSize, CustomerType

DIMENSIONS = {f"D{n:02d}" for n in range(1, 19)}
PRODUCTS = {f"P{n:02d}" for n in range(1, 23)}
INDUSTRIES = {f"IND{n:02d}" for n in range(1, 11)}
STEPS = {step.code for step in all_steps()}
PHASE_OF = {
    step.code: phase.code for phase in PROCESS for step in all_steps() if step.code.startswith(phase.code)
}
NGRAM = 12  # characters: no two stories share a run this long


def _grams(text: str) -> set[str]:
    text = re.sub(r"\s", "", text)
    return {text[i : i + NGRAM] for i in range(len(text) - NGRAM + 1)}


def test_it_counts_published_cases_and_the_four_in_the_workflow():
    assert len(PUBLISHED) >= 44
    assert all(c.status == CaseStatus.PUBLISHED for c in PUBLISHED)
    assert Counter(c.status for c in IN_WORKFLOW) == {
        CaseStatus.IN_REVIEW: 2,
        CaseStatus.CHANGES_REQUESTED: 1,
        CaseStatus.DRAFT: 1,
    }
    [sent_back] = [c for c in IN_WORKFLOW if c.status == CaseStatus.CHANGES_REQUESTED]
    assert len(sent_back.comment) > 40 and all(not c.comment for c in CASES if c is not sent_back)
    assert len({c.code for c in CASES}) == len(CASES)


def test_it_writes_every_story_on_its_own():
    assert len({c.point for c in CASES}) == len(CASES), "a knowledge point twice"
    assert len({c.title for c in CASES}) == len(CASES), "a title twice"
    for case in CASES:
        assert 250 <= len(case.story) <= 600, (case.code, len(case.story))
        for part in ("background", "challenge", "actions", "result", "tools"):
            assert getattr(case, part).strip(), (case.code, part)
    for part in ("background", "challenge", "actions", "result"):
        texts = [getattr(c, part) for c in CASES]
        assert len(set(texts)) == len(texts), f"a {part} written twice"
    grams = [(c.code, _grams(c.story)) for c in CASES]
    for i, (code, mine) in enumerate(grams):
        for other, theirs in grams[i + 1 :]:
            shared = mine & theirs
            assert not shared, f"{code} and {other} share {sorted(shared)[:3]}"


def test_it_varies_people_customers_and_outcomes():
    # Each story is about its author, named in it: a different manager for nearly every case.
    authors = Counter(c.author for c in CASES)
    assert len(authors) >= len(CASES) - 2
    industries = Counter(i for c in PUBLISHED for i in c.industries)
    assert set(industries) == INDUSTRIES and max(industries.values()) <= len(PUBLISHED) // 4
    assert {p for c in PUBLISHED for p in c.products} == PRODUCTS  # every column of the matrix
    assert {c.customer_type for c in PUBLISHED} == set(CustomerType.values)
    assert {c.customer_size for c in PUBLISHED} == set(CustomerSize.values)
    # Failures and near-misses are told too.
    told = [c for c in PUBLISHED if re.search("丢单|丢了|失败|退回|差一点|没签下|结局不好", c.story)]
    assert len(told) >= 5


def test_it_tags_only_valid_codes_and_covers_the_process_map():
    for case in CASES:
        assert case.steps and set(case.steps) <= STEPS, case.code
        assert case.dimensions and set(case.dimensions) <= DIMENSIONS, case.code
        assert case.products and set(case.products) <= PRODUCTS, case.code
        assert case.industries and set(case.industries) <= INDUSTRIES, case.code
        assert case.customer_type in CustomerType.values and case.customer_size in CustomerSize.values
        assert re.fullmatch(r"GD00(0[2-9]\d|[1-3]\d\d)", case.author), case.author
    per_step = Counter(step for c in PUBLISHED for step in c.steps)
    assert {PHASE_OF[step] for step in per_step} == {phase.code for phase in PROCESS}
    below = STEPS - {phase.code for phase in PROCESS}
    assert len(set(per_step) & below) >= 0.8 * len(below)
    assert sum(1 for n in per_step.values() if n >= 3) >= 3  # steps whose cases are ranked


# --- the demo part ---------------------------------------------------------------------------


@pytest.fixture
def demo_map(world):
    """The province's map with the demo's process map and product map, the demo's authors
    (the two in the workflow with logins) and its consultant login."""
    from casspath.cass.actions.maps import do_create_map
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor
    from casspath.core.demo import DemoRun
    from casspath.knowledge.demo import build_process_map
    from casspath.knowledge.models import Industry, Product
    from casspath.org.models import Role
    from casspath.testing import make_employee, make_user

    actor = SystemActor.cli()
    do_load_default_model(org_unit=world.province, acting_user=actor)
    cass_map = do_create_map(org_unit=world.province, model_family="default", name="集团客户部 CASS 地图",
                             acting_user=actor)  # fmt: skip
    run = DemoRun(managers=400, seed=1, acting_user=actor)
    build_process_map(cass_map, run)
    for order, code in enumerate(sorted(INDUSTRIES), start=1):
        Industry.objects.create(cass_map=cass_map, code=code, name=f"行业{order}", order=order)
    for code in sorted(PRODUCTS):
        Product.objects.create(cass_map=cass_map, code=code, name=f"产品{code}")
    workflow_authors = {c.author for c in IN_WORKFLOW}
    for number in sorted({c.author for c in CASES}):
        user = None
        if number in workflow_authors:
            user = make_user(number, role=Role.ACCOUNT_MANAGER, unit=world.team_a, name=number)
        make_employee(number, f"经理{number[-3:]}", world.team_a, user=user)
    make_user("consultant", role=Role.CONSULTANT, unit=world.province, name="顾问")
    return cass_map, run


@pytest.mark.django_db
def test_it_writes_the_case_library_through_the_import_once(world, demo_map):
    from casspath.core.models import AuditEvent
    from casspath.knowledge.demo_cases import build_case_library

    cass_map, run = demo_map
    made = build_case_library(cass_map, run)
    assert made == {"cases": len(CASES), "cases_in_review": 3}
    cases = Case.objects.filter(cass_map=cass_map)
    assert Counter(cases.values_list("status", flat=True)) == {
        CaseStatus.PUBLISHED: len(PUBLISHED),
        CaseStatus.IN_REVIEW: 2,
        CaseStatus.CHANGES_REQUESTED: 1,
        CaseStatus.DRAFT: 1,
    }
    for case in cases.filter(status=CaseStatus.PUBLISHED).select_related("resource"):
        assert case.resource is not None
        assert case.resource.kind == ResourceKind.CASE and case.resource.status == ResourceStatus.PUBLISHED
    spec = PUBLISHED[0]
    case = cases.get(code=spec.code)
    assert sorted(s.code for s in case.steps.all()) == sorted(spec.steps)
    assert sorted(p.code for p in case.products.all()) == sorted(spec.products)
    assert sorted(i.code for i in case.industries.all()) == sorted(spec.industries)
    assert case.author is not None and case.author.employee_no == spec.author and case.story == spec.story
    sent_back = cases.get(status=CaseStatus.CHANGES_REQUESTED)
    [comment] = sent_back.comments.all()
    assert comment.status == CaseStatus.CHANGES_REQUESTED
    assert comment.author is not None and comment.author.username == "consultant"
    assert sent_back.author is not None and sent_back.author.employee_no == "GD00099"
    assert AuditEvent.objects.filter(verb="knowledge.import_cases").count() == 1
    written = AuditEvent.objects.count()
    assert build_case_library(cass_map, run) == {"cases": 0}
    assert AuditEvent.objects.count() == written


@pytest.mark.django_db
def test_it_fails_loudly_when_the_process_map_lacks_a_step(world, demo_map):
    from casspath.core.demo import DemoError
    from casspath.knowledge.demo_cases import build_case_library
    from casspath.knowledge.models import ProcessStep

    cass_map, run = demo_map
    ProcessStep.objects.filter(cass_map=cass_map, code="PM09-5").delete()
    with pytest.raises(DemoError) as failed:
        build_case_library(cass_map, run)
    assert "PM09-5" in failed.value.message_zh and not Case.objects.exists()
