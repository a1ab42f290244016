"""/api/v1/knowledge/maps/{id}/process…: the process map as a tree and one step with its
breadcrumb, to whoever may read the map (session or token); another city's map, an absent
map and another map's step answer 404."""

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.knowledge.actions.process import do_save_process_step
from casspath.knowledge.models import ProcessStep
from casspath.testing import ApiCaller

pytestmark = pytest.mark.django_db


def test_it_gives_the_tree_with_dimensions_and_work_items(client, world, process):
    body = ApiCaller(client, world.manager, bearer=True).get(f"/knowledge/maps/{process.pk}/process").json()
    assert (body["map_id"], body["step_count"], body["may_edit"]) == (process.pk, 7, False)
    assert body["page_url"].endswith(f"/knowledge/maps/{process.pk}/process/")
    assert [(p["code"], p["level"], p["order"]) for p in body["phases"]] == [("P1", 1, 1), ("P2", 1, 2)]
    first = body["phases"][0]["children"][0]
    assert (first["code"], first["level"], first["name"]) == ("P1-1", 2, "园区扫楼")
    assert first["techniques"] == ["先从物业拿入驻名单", "按楼层记下未覆盖企业"]
    assert first["tools"] == ["园区企业名单模板", "扫楼记录表"]
    assert first["dimensions"] == [
        {"code": "D01", "name": "目标客户寻找"},
        {"code": "D04", "name": "行业与客户知识"},
    ]
    assert [(w["code"], w["name"]) for w in first["work_items"]] == [("W01", "目标客户寻找")]
    assert [(c["code"], c["level"], c["children"]) for c in first["children"]] == [
        ("P1-1a", 3, []),
        ("P1-1b", 3, []),
    ]
    assert (
        ApiCaller(client, world.consultant_a).get(f"/knowledge/maps/{process.pk}/process").json()["may_edit"]
    )


def test_it_gives_one_step_by_code_or_id_with_its_breadcrumb(client, world, process):
    caller = ApiCaller(client, world.manager)
    sub = ProcessStep.objects.get(code="P1-1a")
    for key in ("P1-1a", "p1-1a", str(sub.pk)):
        body = caller.get(f"/knowledge/maps/{process.pk}/process/{key}").json()
        assert (body["code"], body["level"], body["map_id"]) == ("P1-1a", 3, process.pk), key
        assert [(b["code"], b["level"]) for b in body["breadcrumb"]] == [("P1", 1), ("P1-1", 2)]
        assert body["page_url"].endswith("#ps-P1-1a")
    phase = caller.get(f"/knowledge/maps/{process.pk}/process/P1").json()
    assert phase["breadcrumb"] == [] and [c["code"] for c in phase["children"]] == ["P1-1", "P1-2"]


def test_it_answers_404_for_a_map_not_visible_absent_or_another_maps_step(client, world, process):
    for user in (world.consultant_b, world.manager_b, world.outsider):
        caller = ApiCaller(client, user)
        for path in ("", "/P1", f"/{ProcessStep.objects.get(code='P1').pk}"):
            response = caller.get(f"/knowledge/maps/{process.pk}/process{path}")
            assert response.status_code == 404, (user, path)
            assert {"detail_zh", "detail_en"} <= set(response.json())
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    foreign = do_save_process_step(other, {"code": "Q1", "name": "深圳阶段"}, acting_user=world.consultant_b)
    caller = ApiCaller(client, world.manager)
    assert caller.get(f"/knowledge/maps/{process.pk}/process/Q1").status_code == 404
    assert caller.get(f"/knowledge/maps/{process.pk}/process/{foreign.pk}").status_code == 404
    assert caller.get(f"/knowledge/maps/{other.pk}/process").status_code == 404
    assert caller.get("/knowledge/maps/999999/process").status_code == 404
    assert caller.get(f"/knowledge/maps/{process.pk}/process/NOPE").status_code == 404


def test_it_refuses_an_anonymous_caller(client, world, process):
    assert client.get(f"/api/v1/knowledge/maps/{process.pk}/process").status_code == 401


def test_it_gives_each_step_its_published_cases_best_first(
    client, world, process, published_case, other_manager
):
    from casspath.knowledge.tests.conftest import write_case

    write_case(process, world.manager, title="还是草稿")  # a draft is on no step for readers
    body = ApiCaller(client, other_manager).get(f"/knowledge/maps/{process.pk}/process").json()
    step = body["phases"][0]["children"][0]
    assert (step["code"], step["case_count"]) == ("P1-1", 1)
    assert step["cases"] == [
        {
            "id": published_case.pk,
            "code": published_case.code,
            "title": "扫楼扫出一条专线",
            "knowledge_point": "新入驻企业是专线的好机会",
        }
    ]
    assert body["phases"][1]["children"][0]["case_count"] == 0
    one = ApiCaller(client, other_manager).get(f"/knowledge/maps/{process.pk}/process/P1-1").json()
    assert one["case_count"] == 1
