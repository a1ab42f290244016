"""A manager's own learning map: his stage (by tenure) and grade, his effective requirements
with the resources for each; the home card and the menu."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from casspath.cass.tests.conftest import grow_lmap
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_shows_his_stage_and_requirements_with_resources(client, world, lmap):
    response = log_in(client, world.manager).get("/cass/my-learning-map/")
    assert response.status_code == 200
    mine = response.context["mine"]
    years = timezone.localdate().year - 2022 - (1 if timezone.localdate() < timezone.localdate().replace(
        year=timezone.localdate().year, month=3, day=1) else 0)
    expected = "growth" if years < 2 else "development" if years < 5 else "maturity"
    assert mine.stage_code == expected
    html = response.content.decode()
    assert 'id="dim-D01"' in html and "资源R-D01-1a" in html and "资源R-DRAFT" not in html
    assert f'href="/cass/resources/{lmap.resources.get(code="R-D01-1a").pk}/"' in html
    # The work items and actions that use a dimension lead to their place on the map.
    assert f'href="/cass/maps/{lmap.pk}/#wi-W01"' in html and f'href="/cass/maps/{lmap.pk}/#ka-A0101"' in html


def test_it_takes_his_grade_into_account(client, world, lmap):
    from casspath.org.models import Grade

    employee = world.manager_employee
    employee.grade = Grade.objects.get(code="senior")
    employee.save()  # the test's own setup (no roster import here)
    view = log_in(client, world.manager).get("/cass/my-learning-map/").context["view"]
    d01 = next(d for d in view.dimensions if d.code == "D01")
    assert d01.level == 4 and d01.grade_level == 4


def test_it_says_when_no_map_applies(client, world, small_model):
    response = log_in(client, world.manager).get("/cass/my-learning-map/")
    assert response.status_code == 200 and response.context["mine"].learning is None


def test_it_refuses_a_login_without_employee_record(client, world, lmap):
    assert log_in(client, world.outsider).get("/cass/my-learning-map/").status_code == 404


def test_it_puts_a_card_on_his_home_page_and_a_menu_entry(client, world, lmap):
    html = log_in(client, world.manager).get("/").content.decode()
    assert 'id="my_learning_map"' in html
    card = html[html.index('id="my_learning_map"'):]
    card = card[:card.index("</section>")]
    # his three heaviest dimensions, each with its first resources (by level, then code)
    assert "D01" in card and "资源R-D01-1a" in card and "资源R-D01-1b" in card and "资源R-D01-2" not in card
    assert 'href="/cass/my-learning-map/"' in html


def test_it_shows_the_whole_maps_menu_to_consultants_not_managers(client, world, lmap):
    assert 'href="/cass/learning-map/"' in log_in(client, world.consultant_a).get("/").content.decode()
    assert 'href="/cass/learning-map/"' not in log_in(client, world.manager).get("/").content.decode()


def test_it_shows_the_stub_resource_page_to_a_manager_for_published_only(client, world, lmap):
    log_in(client, world.manager)
    assert client.get(f"/cass/resources/{lmap.resources.get(code='R-D01-1a').pk}/").status_code == 200
    assert client.get(f"/cass/resources/{lmap.resources.get(code='R-DRAFT').pk}/").status_code == 404


def test_it_reads_as_many_queries_for_a_bigger_map(client, world, lmap, django_assert_max_num_queries):
    log_in(client, world.manager)
    client.get("/cass/my-learning-map/")
    with CaptureQueriesContext(connection) as small:
        client.get("/cass/my-learning-map/")
    grow_lmap(lmap, world.consultant_a)
    with django_assert_max_num_queries(len(small)):
        html = client.get("/cass/my-learning-map/").content.decode()
    assert "新资源" in html  # levels 4 and 5 of D01 hold only the new resources


def test_it_marks_what_he_has_finished_or_begun(client, world, lmap):
    from casspath.cass.models import MediaProgress

    finished, begun = lmap.resources.get(code="R-D01-1b"), lmap.resources.get(code="R-D01-3")
    # The test's own rows (the player's posts are test_media_progress's): one finished, one begun.
    MediaProgress.objects.create(resource=finished, employee=world.manager_employee, completed=True)
    MediaProgress.objects.create(resource=begun, employee=world.manager_employee, position_seconds=3)
    html = log_in(client, world.manager).get("/cass/my-learning-map/").content.decode()
    items = {code: html.split(f">资源{code}</a>")[1].split("</li>")[0]
             for code in ("R-D01-1b", "R-D01-3", "R-D01-2", "R-D01-1a")}
    assert "已学完" in items["R-D01-1b"] and "学习中" in items["R-D01-3"]
    assert "已学完" not in items["R-D01-2"] and "学习中" not in items["R-D01-1a"]
