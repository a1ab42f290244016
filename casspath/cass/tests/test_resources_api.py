"""GET /api/v1/cass/maps/{id}/resources: a map's library, scoped as its page (learners see
published resources only), filtered, paged by cursor, in as many queries for 20 resources
as for 2; bad filters and cursors refused in both languages."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.cass.actions.resources import do_save_resource
from casspath.testing import ApiCaller

from .conftest import publish

pytestmark = pytest.mark.django_db


def url(cass_map, query: str = "") -> str:
    return f"/cass/maps/{cass_map.pk}/resources" + (f"?{query}" if query else "")


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [r["code"] for r in response.json()["items"]]


def add(cass_map, world, code: str, *, kind="article", published=True, skills=None):
    resource = do_save_resource(cass_map, {"code": code, "kind": kind, "title": f"资源{code}",
                                           "duration_minutes": 3, "devices": ["phone"],
                                           "study_modes": ["leisure"]},
                                skills=skills or {"D02": 1}, acting_user=world.consultant_a)
    return publish(resource, world.consultant_a) if published else resource


def test_it_lists_published_resources_to_a_manager_and_all_to_an_editor(client, world, default_model,
                                                                         city_map, video):
    mine = ApiCaller(client, world.manager, bearer=True).get(url(city_map))
    assert codes(mine) == ["V001"]  # R001 is a draft
    item = mine.json()["items"][0]
    assert item["kind"] == "micro_video" and item["status"] == "published" and item["has_media"] is True
    assert item["skills"] == [{"dimension": "D07", "name": "产品知识", "level": 2}]
    assert codes(ApiCaller(client, world.consultant_a).get(url(city_map))) == ["R001", "V001"]


def test_it_filters_by_kind_dimension_mode_device_and_status(client, world, default_model, city_map, video):
    add(city_map, world, "R002", skills={"D01": 3})
    caller = ApiCaller(client, world.consultant_a)
    assert codes(caller.get(url(city_map, "kind=micro_video"))) == ["V001"]
    assert codes(caller.get(url(city_map, "dimension=d01"))) == ["R001", "R002"]
    assert codes(caller.get(url(city_map, "mode=on_the_way"))) == ["V001"]
    assert codes(caller.get(url(city_map, "device=pc"))) == []
    assert codes(caller.get(url(city_map, "status=draft"))) == ["R001"]


@pytest.mark.parametrize("query, word", [("kind=podcast", "kind"), ("mode=sleep", "study mode"),
                                         ("device=tv", "device"), ("status=gone", "status")])
def test_it_refuses_an_unknown_filter_naming_it(client, world, default_model, city_map, query, word):
    response = ApiCaller(client, world.consultant_a).get(url(city_map, query))
    assert response.status_code == 400
    body = response.json()
    assert word in body["detail_en"] and query.split("=")[1] in body["detail_zh"]


def test_it_refuses_a_status_filter_to_a_learner(client, world, default_model, city_map):
    response = ApiCaller(client, world.manager).get(url(city_map, "status=draft"))
    assert response.status_code == 400 and "editors" in response.json()["detail_en"]


def test_it_pages_by_cursor_both_ways_and_refuses_a_forged_one(client, world, default_model, city_map):
    for n in range(2, 6):
        add(city_map, world, f"R00{n}")
    caller = ApiCaller(client, world.consultant_a)
    first = caller.get(url(city_map, "page_size=2")).json()
    assert [r["code"] for r in first["items"]] == ["R001", "R002"] and first["previous_cursor"] is None
    second = caller.get(url(city_map, f"page_size=2&cursor={first['next_cursor']}")).json()
    assert [r["code"] for r in second["items"]] == ["R003", "R004"]
    back = caller.get(url(city_map, f"page_size=2&cursor={second['previous_cursor']}")).json()
    assert [r["code"] for r in back["items"]] == ["R001", "R002"]
    last = caller.get(url(city_map, f"page_size=2&cursor={second['next_cursor']}")).json()
    assert [r["code"] for r in last["items"]] == ["R005"] and last["next_cursor"] is None
    forged = caller.get(url(city_map, "cursor=abc"))
    assert forged.status_code == 400 and "cursor" in forged.json()["detail_en"]
    assert caller.get(url(city_map, "page_size=0")).status_code == 422
    assert caller.get(url(city_map, "page_size=100000")).status_code == 422


def test_it_answers_404_for_another_citys_map(client, world, default_model, city_map):
    for user in (world.consultant_b, world.manager_b, world.outsider):
        response = ApiCaller(client, user).get(url(city_map))
        assert response.status_code == 404, user
        assert {"detail_zh", "detail_en"} <= set(response.json())


def test_it_costs_as_many_queries_for_20_resources_as_for_2(client, world, default_model, city_map):
    caller = ApiCaller(client, world.manager)
    counts: list[int] = []
    for total in (2, 20):
        for n in range(len(counts) * 2 + 1, total + 1):
            add(city_map, world, f"X{n:03d}", skills={"D01": 1, "D02": 2})
        caller.get(url(city_map, "page_size=100"))
        with CaptureQueriesContext(connection) as queries:
            shown = codes(caller.get(url(city_map, "page_size=100")))
        counts.append(len(queries))
        assert len(shown) == total
    assert counts[0] == counts[1], counts
