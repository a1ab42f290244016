"""GET /api/v1/cass/maps and /maps/{id}: the maps a user may read (scoped), and one map's
work items in rank order with their key actions and skills; 404 for another city's map."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.cass.actions.maps import do_save_work_item
from casspath.testing import ApiCaller

from .conftest import build_map

pytestmark = pytest.mark.django_db

LIST = "/cass/maps"


def test_it_lists_the_maps_a_user_may_read(client, world, default_model, city_map):
    sz = build_map(world, 2, unit=world.city_b, by=world.consultant_b, name="深圳地图")
    rows = ApiCaller(client, world.manager).get(LIST).json()
    shown = [(r["id"], r["name"], r["org_unit_code"], r["work_item_count"], r["action_count"]) for r in rows]
    assert shown == [(city_map.pk, "广州 CASS 地图", "GZ", 1, 1)]
    ids = {r["id"] for r in ApiCaller(client, world.province_admin, bearer=True).get(LIST).json()}
    assert ids == {city_map.pk, sz.pk}
    assert ApiCaller(client, world.outsider).get(LIST).json() == []


def test_it_gives_a_map_in_rank_order_with_actions_and_skills(client, world, default_model, city_map):
    do_save_work_item(city_map, {"code": "W00", "name": "低频", "importance": 1, "frequency": 1},
                      acting_user=world.consultant_a)
    response = ApiCaller(client, world.manager, bearer=True).get(f"{LIST}/{city_map.pk}")
    assert response.status_code == 200
    body = response.json()
    assert body["competency_model"]["family"] == "default" and body["may_edit"] is False
    ranked = [(w["code"], w["rank"], w["priority"]) for w in body["work_items"]]
    assert ranked == [("W01", 1, 20), ("W00", 2, 1)]
    action = body["work_items"][0]["key_actions"][0]
    assert action["code"] == "A0101" and action["standard"] == "名单覆盖园区 80% 的企业"
    assert action["study_modes"] == ["pre_shift"] and action["checks"] == ["post_test"]
    assert action["skills"] == [{"dimension": "D01", "name": "目标客户寻找", "level": 3}]
    assert ApiCaller(client, world.consultant_a).get(f"{LIST}/{city_map.pk}").json()["may_edit"] is True


def test_it_answers_404_for_another_citys_map(client, world, default_model, city_map):
    for user in (world.consultant_b, world.manager_b, world.outsider):
        response = ApiCaller(client, user).get(f"{LIST}/{city_map.pk}")
        assert response.status_code == 404, user
        assert {"detail_zh", "detail_en"} <= set(response.json())
    assert ApiCaller(client, world.manager).get(f"{LIST}/999999").status_code == 404


def test_it_gives_a_map_of_30_items_in_as_many_queries_as_one_of_3(client, world, default_model):
    small = build_map(world, 3)
    large = build_map(world, 30, unit=world.city_b, by=world.consultant_b, name="深圳地图")
    caller = ApiCaller(client, world.province_admin)
    counts = []
    for cass_map in (small, large):
        caller.get(f"{LIST}/{cass_map.pk}")
        with CaptureQueriesContext(connection) as queries:
            body = caller.get(f"{LIST}/{cass_map.pk}").json()
        counts.append(len(queries))
        assert len(body["work_items"]) in (3, 30)
    assert counts[0] == counts[1], counts
