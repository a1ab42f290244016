"""GET /api/v1/cass/maps/{id}/learning-map and /api/v1/cass/my-learning-map: scoped."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.cass.tests.conftest import grow_lmap
from casspath.testing import ApiCaller

pytestmark = pytest.mark.django_db


def test_it_serves_one_view_per_stage_then_grade(client, world, lmap):
    body = ApiCaller(client, world.consultant_a).get(f"/cass/maps/{lmap.pk}/learning-map").json()
    assert body["map_id"] == lmap.pk and body["model_family"] == "small"
    assert [(v["stage"], v["grade"]) for v in body["views"]] == [
        ("growth", None), ("development", None), ("maturity", None), (None, "junior"), (None, "senior")]


def test_it_serves_a_stage_and_grade_combined(client, world, lmap):
    api = ApiCaller(client, world.consultant_a, bearer=True)
    body = api.get(f"/cass/maps/{lmap.pk}/learning-map?stage=growth&grade=senior").json()
    (view,) = body["views"]
    d01 = view["dimensions"][0]
    assert (d01["code"], d01["level"], d01["stage_level"], d01["grade_level"]) == ("D01", 4, 2, 4)
    assert [i["code"] for i in d01["work_items"]] == ["W02", "W01"]
    assert [[r["code"] for r in g["resources"]] for g in d01["levels"]] == [
        ["R-D01-1a", "R-D01-1b"], ["R-D01-2"], ["R-D01-3"]]
    assert d01["levels"][0]["resources"][0]["devices"] == ["phone", "pc"]
    assert api.get(f"/cass/maps/{lmap.pk}/learning-map?stage=nope").status_code == 400


@pytest.mark.parametrize("who", ["consultant_b", "manager_b", "outsider"])
def test_it_refuses_others(client, world, lmap, who):
    assert ApiCaller(client, getattr(world, who)).get(f"/cass/maps/{lmap.pk}/learning-map").status_code == 404


def test_it_serves_a_managers_own_map(client, world, lmap):
    body = ApiCaller(client, world.manager, bearer=True).get("/cass/my-learning-map").json()
    assert body["employee_no"] == "E0001" and body["learning_map"]["map_id"] == lmap.pk
    (view,) = body["learning_map"]["views"]
    codes = [r["code"] for d in view["dimensions"] for g in d["levels"] for r in g["resources"]]
    assert "R-DRAFT" not in codes and "R-RETIRED" not in codes and "R-D01-1a" in codes
    assert (body["finished"], body["in_progress"]) == ([], [])


def test_it_lists_what_he_has_finished_or_begun_on_his_map(client, world, lmap):
    from casspath.cass.models import MediaProgress

    finished, begun = lmap.resources.get(code="R-D01-1b"), lmap.resources.get(code="R-D01-3")
    MediaProgress.objects.create(resource=finished, employee=world.manager_employee, completed=True)
    MediaProgress.objects.create(resource=begun, employee=world.manager_employee, position_seconds=3)
    body = ApiCaller(client, world.manager).get("/cass/my-learning-map").json()
    assert (body["finished"], body["in_progress"]) == ([finished.pk], [begun.pk])


def test_it_says_nothing_applies_to_another_citys_manager_and_refuses_outsiders(client, world, lmap):
    from casspath.testing import make_employee

    make_employee("E0101", "深圳经理", world.team_b, user=world.manager_b)
    body = ApiCaller(client, world.manager_b).get("/cass/my-learning-map").json()
    assert body["learning_map"] is None
    assert ApiCaller(client, world.outsider).get("/cass/my-learning-map").status_code == 404
    client.logout()
    assert client.get("/api/v1/cass/my-learning-map").status_code == 401


@pytest.mark.parametrize("who, path", [("consultant_a", "/cass/maps/{map}/learning-map"),
                                       ("manager", "/cass/my-learning-map")])
def test_it_serves_a_bigger_map_in_as_many_queries(client, world, lmap, django_assert_max_num_queries, who,
                                                    path):
    api = ApiCaller(client, getattr(world, who), bearer=True)
    url = path.format(map=lmap.pk)
    api.get(url)
    with CaptureQueriesContext(connection) as small:
        api.get(url)
    grow_lmap(lmap, world.consultant_a)
    with django_assert_max_num_queries(len(small)):
        body = api.get(url).text
    assert '"code": "XR' in body and '"code": "XA' in body  # the new resources and actions served
