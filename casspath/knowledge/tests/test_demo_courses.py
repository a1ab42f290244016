"""The demo's product courses: six products' courses and lecturer manuals, each written for
its product, published (three valid questions, a 15–20 minute manual), found by product code
on the map; a product the map lacks is skipped; a rebuild adds none."""

import pytest

from casspath.analytics.sessions import session_length
from casspath.cass.actions.maps import do_create_map
from casspath.cass.models import ResourceKind, ResourceStatus
from casspath.core.actors import SystemActor
from casspath.core.demo import DemoRun
from casspath.knowledge.demo_courses import _texts, build_courses, describe_courses
from casspath.knowledge.models import Course, ManualSegment, Product

pytestmark = pytest.mark.django_db

NAMES = {
    "P01": "互联网专线",
    "P03": "企业宽带",
    "P04": "物联网卡",
    "P05": "云主机",
    "P06": "集团短信",
    "P07": "视频会议",
    "P02": "数据专线",
}


@pytest.fixture
def demo_map(world):
    """What the products part leaves: a map with the brief's products (P02 without a course text)."""
    cass_map = do_create_map(
        org_unit=world.province,
        model_family="default",
        name="集团客户部 CASS 地图",
        acting_user=SystemActor.cli(),
    )
    for code, name in NAMES.items():
        Product.objects.create(cass_map=cass_map, code=code, name=name)
    return cass_map


def _run() -> DemoRun:
    return DemoRun(managers=30, seed=1, acting_user=SystemActor.cli())


def test_it_writes_six_published_courses_with_their_manuals_once(demo_map):
    assert build_courses(demo_map, _run()) == 6
    courses = list(Course.objects.select_related("resource", "product", "manual"))
    assert {c.product.code for c in courses} == {"P01", "P03", "P04", "P05", "P06", "P07"}
    for course in courses:
        assert course.resource.kind == ResourceKind.COURSE
        assert course.resource.status == ResourceStatus.PUBLISHED
        assert NAMES[course.product.code] in course.title
        questions = list(course.questions.all())
        assert len(questions) == 3 and all(q.answer in q.option_lines for q in questions)
        minutes = list(ManualSegment.objects.filter(manual=course.manual).values_list("minutes", flat=True))
        assert session_length(minutes).within, course.title
        kinds = set(ManualSegment.objects.filter(manual=course.manual).values_list("kind", flat=True))
        assert {"say", "show", "ask"} <= kinds, course.title
        assert ManualSegment.objects.filter(manual=course.manual).exclude(expected="").exists()
        assert len(course.review_material) > 300 and len(course.activation_lines) >= 4
    assert build_courses(demo_map, _run()) == 0  # a rebuild adds none
    assert describe_courses(demo_map) == [
        "product courses: 6 with their lecturer manuals, on 集团客户部 CASS 地图"
    ]


def test_it_writes_each_course_for_its_product():
    texts = _texts()
    # Written, not templated: no two courses share a definition, a question or a line said.
    definitions = [t.definition for t in texts]
    stems = [q.stem for t in texts for q in t.questions]
    said = [s.say for t in texts for s in t.segments if s.say]
    assert len(set(definitions)) == len(definitions) == 6
    assert len(set(stems)) == len(stems) == 18
    assert len(set(said)) == len(said)
    for text in texts:
        name = NAMES[text.product]
        assert name in text.title
        # The lecturer's opening names the product and the session's length.
        assert name in text.segments[0].say and "分钟" in text.segments[0].say


def test_it_skips_a_product_the_map_lacks(world):
    cass_map = do_create_map(
        org_unit=world.province,
        model_family="default",
        name="集团客户部 CASS 地图",
        acting_user=SystemActor.cli(),
    )
    Product.objects.create(cass_map=cass_map, code="P05", name="云主机")
    assert build_courses(cass_map, _run()) == 1
    assert Course.objects.get().product.code == "P05"


def test_it_prices_a_course_s_product_as_the_product_map_does():
    """A lecturer reads out a price and a manager looks it up on the product's card: each
    priced plan of the card is in the course's review material at the same price (the 专线
    course once said 100M was 3,800 元 a month and its card 2,000)."""
    import re

    from casspath.knowledge.demo_solutions import PRODUCTS

    plans = {p.code: [plan for plan in p.plans if plan.price] for p in PRODUCTS}
    for text in _texts():
        review = text.review_material.replace(",", "")
        for plan in plans[text.product]:
            assert re.search(rf"(?<![\d.]){re.escape(plan.price)}\s*元", review), (text.product, plan)
