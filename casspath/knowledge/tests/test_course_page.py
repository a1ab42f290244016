"""The course page: phone first, its five parts, its check answered on the page (htmx or a
plain form) with immediate feedback and nothing kept; read by the map's readers once
published; drafts for its editors only; the same 404 for outsiders and other cities."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.courses import do_set_course_status
from casspath.knowledge.models import CourseQuestion
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_shows_a_published_course_to_the_maps_readers(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.manager)
    page = client.get(f"/knowledge/courses/{course.pk}/").content.decode()
    for words in (
        "互联网专线产品课程",
        "独享带宽",
        "固定公网 IP",
        "SLA 保障",
        "资源预查",
        "从客户的业务系统问起",
        "互联网专线与企业宽带最大的区别是？",
        'name="viewport"',
    ):
        assert words in page
    assert f"/knowledge/courses/{course.pk}/edit/" not in page  # a manager does not edit
    assert f"/knowledge/courses/{course.pk}/manual/" not in page  # nor read the manual
    listed = client.get("/knowledge/courses/").content.decode()
    assert "互联网专线产品课程" in listed


def test_it_marks_the_answers_at_once_and_keeps_nothing(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    first, second, third = CourseQuestion.objects.order_by("order")
    log_in(client, world.manager)
    events = AuditEvent.objects.count()
    answers = {f"q{first.pk}": "上下行对称、带宽独享", f"q{second.pk}": "签订合同"}
    fragment = client.post(f"/knowledge/courses/{course.pk}/", answers, HTTP_HX_REQUEST="true")
    assert fragment.status_code == 200
    text = fragment.content.decode()
    assert "<html" not in text and 'id="check"' in text
    assert "回答正确" in text and "专线独享带宽、上下行对称" in text
    assert "答案是“资源预查”" in text
    assert "未作答" in text  # the third
    # Without JavaScript: the whole page, marked the same way.
    page = client.post(f"/knowledge/courses/{course.pk}/", answers).content.decode()
    assert "<html" in page and "回答正确" in page
    assert AuditEvent.objects.count() == events
    assert third.pk


def test_it_shows_a_draft_to_its_editors_only(client, world, course):
    for user in (world.consultant_a, world.city_admin_a, world.province_admin):
        log_in(client, user)
        page = client.get(f"/knowledge/courses/{course.pk}/")
        assert page.status_code == 200, user
        assert f"/knowledge/courses/{course.pk}/edit/" in page.content.decode()
    for user in (world.manager, world.team_lead, world.lecturer_a):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/").status_code == 404, user
        assert "互联网专线产品课程" not in client.get("/knowledge/courses/").content.decode()


def test_it_answers_404_outside_the_maps_scope(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    for user in (world.outsider, world.manager_b, world.consultant_b, world.city_admin_b):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/").status_code == 404, user
        assert client.get(f"/knowledge/courses/{course.pk}/review/").status_code == 404, user
    assert client.get("/knowledge/courses/999999/").status_code == 404
    client.logout()
    assert client.get(f"/knowledge/courses/{course.pk}/").status_code == 302  # to the login
