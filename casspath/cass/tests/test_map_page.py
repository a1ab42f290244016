"""A map's page: work items in rank order with their priority, stages and positions; each
key action in order with its standard, mistakes, dimensions (named by the applying model),
study modes and checks in Chinese; edit controls only for editors; a constant query count."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.cass.actions.maps import do_save_key_action, do_save_work_item
from casspath.testing import log_in

from .conftest import build_map, map_page

pytestmark = pytest.mark.django_db


def test_it_shows_work_items_in_rank_order_with_priority(client, world, default_model, city_map):
    do_save_work_item(city_map, {"code": "W02", "name": "客户拜访", "importance": 4, "frequency": 5},
                      acting_user=world.consultant_a)
    do_save_work_item(city_map, {"code": "W03", "name": "签约", "importance": 5, "frequency": 2},
                      acting_user=world.consultant_a)
    log_in(client, world.manager)
    page = map_page(client, city_map).content.decode()
    ids = re.findall(r'<section class="card mb-3 cass-item" id="wi-(\w+)"', page)
    assert ids == ["W01", "W02", "W03"]  # 20 (importance 5) before 20 (importance 4) before 10
    assert "20 = 5 × 4" in page and "20 = 4 × 5" in page and "10 = 5 × 2" in page
    assert "#1" in page and "#3" in page


def test_it_shows_each_action_with_its_standard_skills_and_chinese_labels(client, world, default_model,
                                                                          city_map):
    item = city_map.work_items.get()
    do_save_key_action(item, {"code": "A0100", "name": "先做的动作", "standard": "先完成", "order": 0,
                              "mistakes": "忘记登记", "study_modes": ["classroom"],
                              "checks": ["observation", "spot_quiz"]},
                       skills={"D05": 4}, acting_user=world.consultant_a)
    log_in(client, world.manager)
    page = map_page(client, city_map).content.decode()
    assert page.index('id="ka-A0100"') < page.index('id="ka-A0101"')  # in order
    assert "名单覆盖园区 80% 的企业" in page and "忘记登记" in page
    assert "D01 目标客户寻找 · L3" in page and "D05 需求挖掘 · L4" in page
    for label in ("班前学", "学后测", "面授", "主管观察", "随机测"):
        assert label in page


def test_it_shows_edit_controls_to_editors_only(client, world, default_model, city_map):
    log_in(client, world.manager)
    page = map_page(client, city_map).content.decode()
    assert "/edit/" not in page and "添加工作内容" not in page
    log_in(client, world.consultant_a)
    page = map_page(client, city_map).content.decode()
    assert f"/cass/maps/{city_map.pk}/edit/" in page and "添加工作内容" in page


def test_it_answers_404_to_another_citys_users(client, world, default_model, city_map):
    for user in (world.consultant_b, world.manager_b):
        log_in(client, user)
        assert map_page(client, city_map).status_code == 404


def test_it_reads_a_map_of_30_items_in_as_many_queries_as_one_of_3(client, world, default_model):
    small = build_map(world, 3)
    large = build_map(world, 30, unit=world.city_b, by=world.consultant_b, name="深圳地图")
    log_in(client, world.province_admin)
    counts = []
    for cass_map in (small, large):
        map_page(client, cass_map)  # warm the session and caches
        with CaptureQueriesContext(connection) as queries:
            assert map_page(client, cass_map).status_code == 200
        counts.append(len(queries))
    assert counts[0] == counts[1], counts
