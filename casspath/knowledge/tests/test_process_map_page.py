"""/knowledge/maps/<id>/process/ and its editors' forms: the process map reads as its CASS
map (a manager of the city reads it; another city's manager and consultant get 404 for a
city map), editing is for those who may edit the map (a manager: 403), the menu's entry
goes to the map one reads, and the page costs the same queries however big the tree."""

import pytest

from casspath.cass.actions.maps import do_create_map
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.process import do_save_process_step
from casspath.knowledge.models import ProcessStep
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _url(cass_map, rest: str = "") -> str:
    return f"/knowledge/maps/{cass_map.pk}/process/{rest}"


def test_it_shows_the_phases_steps_and_sub_steps_to_a_manager(client, world, process):
    log_in(client, world.manager)
    response = client.get(_url(process))
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "寻找目标客户",
        "园区扫楼",
        "拿到入驻名单",
        "摸清园区内企业的名单与通信现状",
        "扫楼记录表",
        "D01 目标客户寻找",
        "W01 目标客户寻找",
        "约见关键人",
    ):
        assert text in page, text
    assert page.index("园区扫楼") < page.index("名单分级") < page.index("约见关键人")
    assert "添加阶段" not in page and "/process/add/" not in page


def test_it_refuses_editing_to_a_manager_who_may_read(client, world, process):
    log_in(client, world.manager)
    step = ProcessStep.objects.get(code="P1-2")
    assert client.get(_url(process, "add/")).status_code == 403
    assert client.post(_url(process, "add/"), {"code": "X", "name": "x"}).status_code == 403
    assert client.post(_url(process, f"{step.pk}/"), {"code": "P1-2", "name": "改"}).status_code == 403
    assert client.post(_url(process, f"{step.pk}/move/"), {"direction": "up"}).status_code == 403
    assert client.post(_url(process, f"{step.pk}/remove/")).status_code == 403
    assert ProcessStep.objects.count() == 7 and ProcessStep.objects.get(pk=step.pk).name == "名单分级"


def test_it_hides_a_city_map_from_another_city(client, world, process):
    step = ProcessStep.objects.get(code="P1-2")
    for user in (world.manager_b, world.consultant_b):
        log_in(client, user)
        assert client.get(_url(process)).status_code == 404
        assert client.post(_url(process, f"{step.pk}/remove/")).status_code == 404
    assert ProcessStep.objects.count() == 7


def test_it_refuses_another_maps_step_in_this_maps_urls(client, world, process):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    foreign = do_save_process_step(other, {"code": "Q1", "name": "深圳阶段"}, acting_user=world.consultant_b)
    log_in(client, world.consultant_a)
    assert client.get(_url(process, f"{foreign.pk}/")).status_code == 404
    assert client.post(_url(process, f"{foreign.pk}/remove/")).status_code == 404
    assert client.get(_url(process, f"add/?parent={foreign.pk}")).status_code == 404
    assert ProcessStep.objects.filter(pk=foreign.pk).exists()


def test_it_lets_an_editor_build_the_map_through_the_pages(client, world, process):
    log_in(client, world.consultant_a)
    page = client.get(_url(process)).content.decode()
    assert "添加阶段" in page
    phase = ProcessStep.objects.get(code="P2")
    response = client.post(
        _url(process, f"add/?parent={phase.pk}"),
        {
            "code": "P2-2",
            "name": "首次拜访",
            "purpose": "建立信任",
            "techniques": "准备三个问题\n带一份行业案例",
            "tools": "拜访记录表",
            "dimension_codes": "D02 D03",
            "work_items": [process.work_items.get(code="W02").pk],
        },
    )
    assert response.status_code == 302 and response["Location"].endswith("#ps-P2-2")
    made = ProcessStep.objects.get(code="P2-2")
    assert (made.parent_id, made.order, made.dimension_codes) == (phase.pk, 2, ["D02", "D03"])
    assert [i.code for i in made.work_items.all()] == ["W02"]
    refused = client.post(
        _url(process, f"add/?parent={phase.pk}"), {"code": "P2-3", "name": "x", "dimension_codes": "D99"}
    )
    assert refused.status_code == 200 and "D99" in refused.content.decode()
    deep = ProcessStep.objects.get(code="P1-1a")
    assert client.get(_url(process, f"add/?parent={deep.pk}")).status_code == 404
    client.post(_url(process, f"{made.pk}/move/"), {"direction": "up"})
    assert list(phase.children.order_by("order").values_list("code", flat=True)) == ["P2-2", "P2-1"]
    edit = client.post(
        _url(process, f"{made.pk}/"), {"code": "P2-2", "name": "首次拜访（改）", "dimension_codes": "D02"}
    )
    assert edit.status_code == 302 and ProcessStep.objects.get(pk=made.pk).name == "首次拜访（改）"
    client.post(_url(process, f"{made.pk}/remove/"))
    assert list(phase.children.values_list("order", "code")) == [(1, "P2-1")]
    verbs = set(AuditEvent.objects.filter(verb__contains="process_step").values_list("verb", flat=True))
    assert verbs == {
        "knowledge.save_process_step",
        "knowledge.move_process_step",
        "knowledge.remove_process_step",
    }


def test_it_sends_the_menu_entry_to_the_map_one_reads(client, world, process):
    log_in(client, world.manager)
    home = client.get("/").content.decode()
    assert "/knowledge/process/" in home and "流程地图" in home
    response = client.get("/knowledge/process/")
    assert response.status_code == 302 and response["Location"] == _url(process)
    do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    log_in(client, world.province_admin)  # reads both cities' maps: picks one
    page = client.get("/knowledge/process/").content.decode()
    assert "广州 CASS 地图" in page and "深圳 CASS 地图" in page


def _grow(cass_map, who, phases: int, steps: int) -> None:
    for p in range(1, phases + 1):
        phase = do_save_process_step(
            cass_map, {"code": f"G{p}", "name": f"阶段{p}", "dimension_codes": ["D01"]}, acting_user=who
        )
        for s in range(1, steps + 1):
            step = do_save_process_step(
                cass_map,
                {"code": f"G{p}-{s}", "name": f"步骤{s}", "dimension_codes": ["D02"]},
                parent=phase,
                work_items=list(cass_map.work_items.all()),
                acting_user=who,
            )
            do_save_process_step(
                cass_map, {"code": f"G{p}-{s}a", "name": "子步骤"}, parent=step, acting_user=who
            )


def test_it_reads_the_map_in_a_constant_number_of_queries(client, world, process, django_assert_num_queries):
    log_in(client, world.manager)
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as small:
        assert client.get(_url(process)).status_code == 200
    _grow(process, world.consultant_a, phases=6, steps=5)
    with django_assert_num_queries(len(small)):
        page = client.get(_url(process))
    assert page.status_code == 200 and "G6-5a" in page.content.decode()


def test_it_records_nothing_when_a_form_is_saved_unchanged(client, world, process):
    log_in(client, world.consultant_a)
    step = ProcessStep.objects.get(code="P1-1")
    form = client.get(_url(process, f"{step.pk}/")).content.decode()
    assert "先从物业拿入驻名单" in form and 'value="D01 D04"' in form
    before = AuditEvent.objects.count()
    response = client.post(
        _url(process, f"{step.pk}/"),
        {
            "code": "P1-1",
            "name": "园区扫楼",
            "purpose": "摸清园区内企业的名单与通信现状",
            "techniques": "先从物业拿入驻名单\r\n按楼层记下未覆盖企业",  # as a browser sends a textarea
            "tools": "园区企业名单模板\r\n扫楼记录表",
            "dimension_codes": "D01 D04",
            "work_items": [process.work_items.get(code="W01").pk],
        },
    )
    assert response.status_code == 302 and AuditEvent.objects.count() == before


def test_it_lets_a_city_read_but_not_edit_the_provinces_map(client, world, process):
    """A map owned by the province applies to both cities: their consultants read its
    process map (they may edit their own city's maps only) and are refused editing: 403."""
    province_map = do_create_map(
        org_unit=world.province,
        model_family="small",
        name="省公司 CASS 地图",
        acting_user=world.province_admin,
    )
    phase = do_save_process_step(
        province_map, {"code": "S1", "name": "熟悉业务"}, acting_user=world.province_admin
    )
    for user in (world.consultant_a, world.consultant_b):
        log_in(client, user)
        page = client.get(_url(province_map))
        assert page.status_code == 200 and "熟悉业务" in page.content.decode()
        assert "/process/add/" not in page.content.decode()
        assert client.get(_url(province_map, "add/")).status_code == 403
        assert (
            client.post(_url(province_map, f"{phase.pk}/"), {"code": "S1", "name": "改"}).status_code == 403
        )
        assert client.post(_url(province_map, f"{phase.pk}/remove/")).status_code == 403
    assert ProcessStep.objects.get(pk=phase.pk).name == "熟悉业务"
    log_in(client, world.province_admin)
    assert client.post(_url(province_map, f"{phase.pk}/"), {"code": "S1", "name": "改"}).status_code == 302
