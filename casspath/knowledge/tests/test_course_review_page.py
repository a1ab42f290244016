"""The review material page (补充材料): the product's full detail, to the course's readers."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.courses import do_set_course_status
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_shows_the_review_material_to_the_courses_readers(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.manager)
    response = client.get(f"/knowledge/courses/{course.pk}/review/")
    assert response.status_code == 200
    assert "100M 每月 2,000 元起" in response.content.decode()
    for user in (world.manager_b, world.outsider):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/review/").status_code == 404
