"""The lecturer manual page: the script on the session's clock (timings on the left, say /
show / ask blocks, the running total), printable; read by team leads, lecturers and the
map's editors once its course is published; an account manager, another city or an
outsider gets the same 404 as for no manual."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.courses import do_set_course_status
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_shows_the_script_on_the_sessions_clock(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    log_in(client, world.lecturer_a)
    response = client.get(f"/knowledge/courses/{course.pk}/manual/")
    assert response.status_code == 200
    page = response.content.decode()
    # 3, 5, 4, 5 minutes: 00–03, 03–08, 08–12, 12–17; 17 in all.
    for clock in ("00:00–03:00", "03:00–08:00", "08:00–12:00", "12:00–17:00"):
        assert clock in page
    assert page.index("00:00–03:00") < page.index("03:00–08:00") < page.index("12:00–17:00")
    assert "全程共 17 分钟" in page
    for words in (
        "各位早上好",
        "专线与宽带对比表",
        "客户说宽带够用，你怎么回应？",
        "问清业务系统",
        "讲清专线与宽带的区别",
        "knowledge/course.css",
        f"/knowledge/courses/{course.pk}/manual/pdf/prepare/",
    ):
        assert words in page
    # The course page links the manual for him.
    assert (
        f"/knowledge/courses/{course.pk}/manual/"
        in client.get(f"/knowledge/courses/{course.pk}/").content.decode()
    )


def test_it_lets_team_leads_and_editors_read_it(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    for user in (
        world.team_lead,
        world.lecturer_a,
        world.consultant_a,
        world.city_admin_a,
        world.province_admin,
    ):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/manual/").status_code == 200, user


def test_it_refuses_account_managers_other_cities_and_outsiders_alike(client, world, course):
    do_set_course_status(course, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    for user in (
        world.manager,
        world.analyst_a,
        world.lecturer_b,
        world.team_lead_b,
        world.consultant_b,
        world.outsider,
    ):
        log_in(client, user)
        assert client.get(f"/knowledge/courses/{course.pk}/manual/").status_code == 404, user
        assert client.post(f"/knowledge/courses/{course.pk}/manual/pdf/prepare/").status_code == 404, user


def test_it_keeps_a_drafts_manual_to_its_editors(client, world, course):
    log_in(client, world.lecturer_a)
    assert client.get(f"/knowledge/courses/{course.pk}/manual/").status_code == 404
    log_in(client, world.consultant_a)
    assert client.get(f"/knowledge/courses/{course.pk}/manual/").status_code == 200
