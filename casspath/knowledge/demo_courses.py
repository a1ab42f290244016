"""knowledge's demo product courses: a course and its lecturer manual for six products of the
product map (P01 互联网专线, P03 企业宽带, P04 物联网卡, P05 云主机, P06 集团短信, P07 视频会议),
each written for its product (demo_course_network.py, demo_course_cloud.py hold the text).

The products are the product map's (the demo's products part makes them): each course finds
its product by code on the map and is skipped when the map has no such product, so this part
runs after the one that writes the products. A product that has a course already is left as it
is, so a second run changes nothing. Every course is published (three questions, a manual of
15–20 minutes: the actions check both).
"""

from dataclasses import dataclass, field

from casspath.cass.models import CassMap, ResourceStatus
from casspath.core.demo import DemoRun
from casspath.knowledge.actions.courses import (
    do_create_course,
    do_save_question,
    do_save_segment,
    do_set_course_status,
    do_update_course,
    do_update_manual,
)
from casspath.knowledge.models import Course, Product


@dataclass(frozen=True)
class Question:
    stem: str
    options: tuple[str, ...]
    answer: str
    explanation: str


@dataclass(frozen=True)
class Segment:
    minutes: int
    kind: str  # say, show, ask, activity
    title: str
    say: str = ""
    show: str = ""
    question: str = ""
    expected: str = ""


@dataclass(frozen=True)
class CourseText:
    product: str  # the product's code
    title: str
    definition: str
    functions: str
    selling_points: str
    activation: str
    marketing: str
    review_material: str
    questions: tuple[Question, ...]
    objective: str
    preparation: str
    segments: tuple[Segment, ...] = field(default=())


def _texts() -> list[CourseText]:
    from casspath.knowledge.demo_course_cloud import CLOUD_COURSES
    from casspath.knowledge.demo_course_network import NETWORK_COURSES

    return [*NETWORK_COURSES, *CLOUD_COURSES]


def _write(product: Product, spec: CourseText, run: DemoRun) -> Course:
    who = run.acting_user
    course = do_create_course(product, title=spec.title, acting_user=who)
    do_update_course(
        course,
        {
            "title": spec.title,
            "definition": spec.definition,
            "functions": spec.functions,
            "selling_points": spec.selling_points,
            "activation": spec.activation,
            "marketing": spec.marketing,
            "review_material": spec.review_material,
        },
        acting_user=who,
    )
    for question in spec.questions:
        values = {
            "stem": question.stem,
            "options": "\n".join(question.options),
            "answer": question.answer,
            "explanation": question.explanation,
        }
        do_save_question(course, values, acting_user=who)
    do_update_manual(course, {"objective": spec.objective, "preparation": spec.preparation}, acting_user=who)
    for segment in spec.segments:
        row: dict[str, object] = {
            "minutes": segment.minutes,
            "kind": segment.kind,
            "title": segment.title,
            "say": segment.say,
            "show": segment.show,
            "question": segment.question,
            "expected": segment.expected,
        }
        do_save_segment(course, row, acting_user=who)
    return do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=who)


def build_courses(cass_map: CassMap, run: DemoRun) -> int:
    """Write the courses of the map's products that have none; the number written."""
    texts = _texts()
    products = {
        p.code: p for p in Product.objects.filter(cass_map=cass_map, code__in=[t.product for t in texts])
    }
    have = set(Course.objects.filter(product__in=products.values()).values_list("product__code", flat=True))
    made = 0
    for number, spec in enumerate(texts, start=1):
        run.progress("product courses", number, len(texts))
        product = products.get(spec.product)
        if product is None or spec.product in have:
            continue
        _write(product, spec, run)
        made += 1
    return made


def describe_courses(cass_map: CassMap) -> list[str]:
    count = Course.objects.filter(resource__cass_map=cass_map).count()
    return [f"product courses: {count} with their lecturer manuals, on {cass_map.name}"] if count else []
