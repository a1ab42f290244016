"""The course's editors' pages: the course's text, its check, its manual and segments, its
status; for those who may edit its map (consultants, training admins over its unit); a
manager or lecturer who may read it gets 403, another city's admin 404."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.courses import do_set_course_status
from casspath.knowledge.models import Course, CourseQuestion, ManualSegment
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

COURSE = {
    "title": "互联网专线（新版）",
    "definition": "独享带宽的互联网接入。",
    "functions": "固定公网 IP",
    "selling_points": "带宽独享",
    "activation": "资源预查\n签约",
    "marketing": "先问业务系统",
    "review_material": "资费表",
}


def test_it_starts_a_course_for_a_product_without_one(client, world, course_product):
    log_in(client, world.consultant_a)
    page = client.get("/knowledge/courses/").content.decode()
    assert "广州 CASS 地图 · P01 互联网专线" in page  # the product to choose
    response = client.post("/knowledge/courses/", {"product": course_product.pk, "title": "互联网专线课程"})
    made = Course.objects.get()
    assert response.status_code == 302 and response["Location"] == f"/knowledge/courses/{made.pk}/edit/"
    assert made.resource.kind == "course" and made.resource.status == "draft"
    assert made.resource.code == "COURSE-P01" and made.manual is not None
    assert AuditEvent.objects.filter(verb="knowledge.create_course").count() == 1
    # No second course for the product.
    assert "广州 CASS 地图 · P01 互联网专线" not in client.get("/knowledge/courses/").content.decode()


def test_it_saves_the_course_and_keeps_its_resource_in_step(client, world, course):
    log_in(client, world.city_admin_a)
    page = client.get(f"/knowledge/courses/{course.pk}/edit/").content.decode()
    assert f'action="/knowledge/courses/{course.pk}/status/"' in page and 'value="published"' in page
    response = client.post(f"/knowledge/courses/{course.pk}/edit/", COURSE)
    assert response.status_code == 302
    course.refresh_from_db()
    course.resource.refresh_from_db()
    assert course.title == "互联网专线（新版）" and course.resource.title == "互联网专线（新版）"
    assert course.resource.summary == "独享带宽的互联网接入。"
    assert course.resource.duration_minutes >= 1
    client.post(f"/knowledge/courses/{course.pk}/edit/", {"objective": "新目标", "preparation": "投影仪"})
    course.manual.refresh_from_db()
    assert course.manual.objective == "新目标"


def test_it_adds_and_refuses_questions(client, world, course):
    log_in(client, world.consultant_a)
    fourth = {"stem": "第四题？", "options": "对\n错", "answer": "对", "explanation": ""}
    response = client.post(f"/knowledge/courses/{course.pk}/edit/questions/add/", fourth)
    assert response.status_code == 200 and "最多 3 道题" in response.content.decode()
    first = CourseQuestion.objects.order_by("order").first()
    assert first is not None
    wrong = {"stem": "改过的题？", "options": "甲\n乙", "answer": "丙", "explanation": ""}
    response = client.post(f"/knowledge/courses/{course.pk}/edit/questions/{first.pk}/", wrong)
    assert "答案「丙」不在选项中" in response.content.decode()
    one_option = {"stem": "改过的题？", "options": "甲", "answer": "甲", "explanation": ""}
    response = client.post(f"/knowledge/courses/{course.pk}/edit/questions/{first.pk}/", one_option)
    assert "至少要有两个选项" in response.content.decode()
    right = {"stem": "改过的题？", "options": "甲\n乙", "answer": "乙", "explanation": "因为乙"}
    assert client.post(f"/knowledge/courses/{course.pk}/edit/questions/{first.pk}/", right).status_code == 302
    first.refresh_from_db()
    assert first.answer == "乙"
    client.post(f"/knowledge/courses/{course.pk}/edit/questions/{first.pk}/remove/")
    assert list(CourseQuestion.objects.order_by("order").values_list("order", flat=True)) == [1, 2]


def test_it_adds_moves_and_removes_segments(client, world, course):
    log_in(client, world.consultant_a)
    values = {
        "minutes": 2,
        "kind": "say",
        "title": "总结",
        "say": "今天我们讲了三点。",
        "show": "",
        "question": "",
        "expected": "",
    }
    assert client.post(f"/knowledge/courses/{course.pk}/edit/segments/add/", values).status_code == 302
    last = ManualSegment.objects.get(title="总结")
    assert last.order == 5
    client.post(f"/knowledge/courses/{course.pk}/edit/segments/{last.pk}/move/", {"direction": "up"})
    last.refresh_from_db()
    assert last.order == 4
    page = client.get(f"/knowledge/courses/{course.pk}/edit/").content.decode()
    assert "全程共 19 分钟" in page
    client.post(f"/knowledge/courses/{course.pk}/edit/segments/{last.pk}/remove/")
    assert list(ManualSegment.objects.order_by("order").values_list("order", flat=True)) == [1, 2, 3, 4]
    assert AuditEvent.objects.filter(verb="knowledge.move_manual_segment").count() == 1


def test_it_refuses_editing_to_those_who_may_only_read(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    for user in (world.manager, world.lecturer_a, world.team_lead):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/edit/").status_code == 403, user
        assert client.post(f"/knowledge/courses/{course.pk}/edit/", COURSE).status_code == 403, user
        assert (
            client.post(f"/knowledge/courses/{course.pk}/status/", {"status": "retired"}).status_code == 403
        )
        assert client.post(f"/knowledge/courses/{course.pk}/edit/questions/add/").status_code == 403
    assert client.post("/knowledge/courses/", {"title": "x"}).status_code == 403
    for user in (world.city_admin_b, world.consultant_b, world.outsider):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/edit/").status_code == 404, user
        assert (
            client.post(f"/knowledge/courses/{course.pk}/status/", {"status": "retired"}).status_code == 404
        )
    course.refresh_from_db()
    assert course.title == "互联网专线产品课程" and course.resource.status == "published"


def test_it_refuses_course_and_manual_text_past_its_cap(client, world, course):
    log_in(client, world.consultant_a)
    url = f"/knowledge/courses/{course.pk}/edit/"
    response = client.post(url, {**COURSE, "review_material": "料" * 20_001})
    assert response.status_code != 302 and "超过上限 20000" in response.content.decode()
    course.refresh_from_db()
    assert course.title != COURSE["title"]
    response = client.post(url, {"objective": "目" * 5_001, "preparation": ""})
    assert response.status_code != 302 and "超过上限 5000" in response.content.decode()
    course.manual.refresh_from_db()
    assert course.manual.objective != "目" * 5_001
    segment = {"minutes": 2, "kind": "say", "title": "长", "say": "讲" * 5_001, "show": "", "question": "",
               "expected": ""}  # fmt: skip
    response = client.post(f"{url}segments/add/", segment)
    assert response.status_code != 302 and not ManualSegment.objects.filter(title="长").exists()
