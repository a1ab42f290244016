"""Publishing a course (its status button): refused, with a message in both languages naming
what is wrong, unless the check holds exactly three valid questions and the manual's
segments last 15–20 minutes in all."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.knowledge.models import CourseQuestion, ManualSegment
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _publish(client, course):
    response = client.post(f"/knowledge/courses/{course.pk}/status/", {"status": "published"}, follow=True)
    course.resource.refresh_from_db()
    return response.content.decode()


def test_it_publishes_a_course_with_three_questions_and_a_17_minute_manual(client, world, course):
    log_in(client, world.consultant_a)
    _publish(client, course)
    assert course.resource.status == ResourceStatus.PUBLISHED


def test_it_refuses_a_check_without_exactly_three_questions(client, world, course):
    CourseQuestion.objects.filter(order=3).delete()
    log_in(client, world.consultant_a)
    page = _publish(client, course)
    assert course.resource.status == ResourceStatus.DRAFT
    assert "课程检测须恰好 3 道题才能发布，现有 2 道" in page
    assert "The check needs exactly 3 questions to publish; it has 2" in page


def test_it_refuses_a_question_whose_answer_is_not_an_option(client, world, course):
    CourseQuestion.objects.filter(order=2).update(answer="上门装机了")  # written around the action
    log_in(client, world.consultant_a)
    page = _publish(client, course)
    assert course.resource.status == ResourceStatus.DRAFT
    assert "第 2 题的答案「上门装机了」不在选项中" in page


@pytest.mark.parametrize(("extra", "total"), [(-3, 14), (4, 21)])
def test_it_refuses_a_manual_outside_15_to_20_minutes(client, world, course, extra, total):
    last = ManualSegment.objects.order_by("-order").first()
    assert last is not None
    ManualSegment.objects.filter(pk=last.pk).update(minutes=last.minutes + extra)  # 17 → 14 or 21
    log_in(client, world.consultant_a)
    page = _publish(client, course)
    assert course.resource.status == ResourceStatus.DRAFT
    assert f"讲师手册各环节共 {total} 分钟，须在 15–20 分钟之间才能发布" in page
    assert f"segments last {total} minutes in all; a session must last 15–20 minutes" in page
    edit = client.get(f"/knowledge/courses/{course.pk}/edit/").content.decode()
    assert f"全程共 {total} 分钟" in edit


def test_it_names_every_reason_at_once(client, world, course):
    CourseQuestion.objects.all().delete()
    ManualSegment.objects.all().delete()
    log_in(client, world.consultant_a)
    page = _publish(client, course)
    assert "现有 0 道" in page and "共 0 分钟" in page


def test_it_publishes_a_course_only_through_its_own_page(world, course):
    # The CASS map's resource page offers a status button for every resource: a course's
    # publish goes through the checks above, so there it is refused.
    from casspath.cass.actions.common import CassError
    from casspath.cass.actions.resources import do_set_resource_status

    with pytest.raises(CassError) as refused:
        do_set_resource_status(course.resource, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    assert "产品课程请在其课程页面发布" in refused.value.message_zh
    course.resource.refresh_from_db()
    assert course.resource.status == ResourceStatus.DRAFT
