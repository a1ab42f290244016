"""The process map's writes: phases → steps → sub-steps (three levels at most), codes
unique per map, parents and work items of the same map, moves and removals keeping the
siblings numbered 1, 2, 3…, one audit row per change and none for a retry, scope refused."""

import pytest
from django.core.exceptions import PermissionDenied

from casspath.cass.actions.maps import do_create_map, do_save_work_item
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.guides import KnowledgeError
from casspath.knowledge.actions.process import (
    do_move_process_step,
    do_remove_process_step,
    do_save_process_step,
)
from casspath.knowledge.models import ProcessStep
from casspath.knowledge.queries import process_tree

pytestmark = pytest.mark.django_db


def _step(code: str) -> ProcessStep:
    return ProcessStep.objects.select_related("cass_map", "parent").get(code=code)


def _siblings(parent_code: str | None) -> list[tuple[int, str]]:
    steps = (
        ProcessStep.objects.filter(parent__code=parent_code)
        if parent_code
        else ProcessStep.objects.filter(parent=None)
    )
    return list(steps.order_by("order").values_list("order", "code"))


def _verbs() -> list[str]:
    return list(
        AuditEvent.objects.filter(verb__startswith="knowledge.").order_by("id").values_list("verb", flat=True)
    )


def test_it_reads_the_tree_in_order(world, process):
    tree = process_tree(process)
    assert [p.code for p in tree] == ["P1", "P2"]
    assert [s.code for s in tree[0].steps] == ["P1-1", "P1-2"]
    assert [s.code for s in tree[0].steps[0].steps] == ["P1-1a", "P1-1b"]
    first = tree[0].steps[0]
    assert first.dimensions == [("D01", "目标客户寻找"), ("D04", "行业与客户知识")]
    assert [i.code for i in first.work_items.all()] == ["W01"]
    assert first.technique_lines == ["先从物业拿入驻名单", "按楼层记下未覆盖企业"]


def test_it_numbers_siblings_from_one_under_each_parent(world, process):
    assert _siblings(None) == [(1, "P1"), (2, "P2")]
    assert _siblings("P1") == [(1, "P1-1"), (2, "P1-2")]
    assert _siblings("P1-1") == [(1, "P1-1a"), (2, "P1-1b")]
    assert _siblings("P2") == [(1, "P2-1")]


def test_it_refuses_a_fourth_level(world, process):
    with pytest.raises(KnowledgeError) as refused:
        do_save_process_step(
            process, {"code": "X", "name": "太深"}, parent=_step("P1-1a"), acting_user=world.consultant_a
        )
    assert "最多三层" in str(refused.value) and "three levels" in str(refused.value)
    assert not ProcessStep.objects.filter(code="X").exists()


def test_it_refuses_a_code_the_map_holds_already(world, process):
    with pytest.raises(KnowledgeError) as refused:
        do_save_process_step(
            process, {"code": "P1-2", "name": "另一个"}, parent=_step("P2"), acting_user=world.consultant_a
        )
    assert "P1-2" in str(refused.value) and "already used" in str(refused.value)
    with pytest.raises(KnowledgeError):
        do_save_process_step(process, {"code": "P1"}, step=_step("P2"), acting_user=world.consultant_a)
    assert _step("P2").name == "客户拜访"


def test_it_lets_another_map_use_the_same_codes(world, process):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    made = do_save_process_step(other, {"code": "P1", "name": "熟悉业务"}, acting_user=world.consultant_b)
    assert made.order == 1 and ProcessStep.objects.filter(code="P1").count() == 2


def test_it_refuses_a_parent_or_work_item_of_another_map(world, process):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    foreign_item = do_save_work_item(
        other,
        {"code": "W09", "name": "深圳的工作", "importance": 3, "frequency": 3},
        acting_user=world.consultant_b,
    )
    foreign_phase = do_save_process_step(
        other, {"code": "Q1", "name": "深圳阶段"}, acting_user=world.consultant_b
    )
    with pytest.raises(KnowledgeError) as refused:
        do_save_process_step(
            process, {"code": "X1", "name": "x"}, parent=foreign_phase, acting_user=world.consultant_a
        )
    assert "another CASS map" in str(refused.value)
    with pytest.raises(KnowledgeError) as refused:
        do_save_process_step(
            process,
            {"code": "X2", "name": "x"},
            parent=_step("P1"),
            work_items=[foreign_item],
            acting_user=world.consultant_a,
        )
    assert "W09" in str(refused.value)
    assert not ProcessStep.objects.filter(code__in=["X1", "X2"]).exists()


def test_it_refuses_a_dimension_outside_the_maps_model(world, process):
    with pytest.raises(KnowledgeError) as refused:
        do_save_process_step(
            process,
            {"code": "X3", "name": "x", "dimension_codes": ["D05", "D99"]},
            acting_user=world.consultant_a,
        )
    assert "D99" in str(refused.value)
    with pytest.raises(KnowledgeError):
        do_save_process_step(
            process, {"code": "X3", "name": "x", "dimension_codes": "d05 D05"}, acting_user=world.consultant_a
        )
    saved = do_save_process_step(
        process, {"code": "X3", "name": "x", "dimension_codes": "d05，D06"}, acting_user=world.consultant_a
    )
    assert saved.dimension_codes == ["D05", "D06"]


def test_it_writes_nothing_for_a_retry_and_one_row_per_change(world, process):
    before = _verbs()
    assert before == ["knowledge.save_process_step"] * 7
    values = {
        "code": "P1-2",
        "name": "名单分级",
        "purpose": "",
        "techniques": "",
        "tools": "",
        "dimension_codes": [],
    }
    step = _step("P1-2")
    again = do_save_process_step(process, values, step=step, work_items=[], acting_user=world.consultant_a)
    retried = do_save_process_step(
        process, {"code": "P1-2", "name": "名单分级"}, parent=_step("P1"), acting_user=world.consultant_a
    )
    assert again.pk == retried.pk == step.pk and _verbs() == before
    do_save_process_step(
        process, {**values, "purpose": "按价值分 ABC 三级"}, step=step, acting_user=world.consultant_a
    )
    event = AuditEvent.objects.order_by("-id")[0]
    assert event.verb == "knowledge.save_process_step" and event.changes == {
        "purpose": ["", "按价值分 ABC 三级"]
    }
    assert len(_verbs()) == len(before) + 1


def test_it_keeps_siblings_numbered_when_moved_and_removed(world, process):
    who = world.consultant_a
    do_save_process_step(process, {"code": "P1-3", "name": "第三步"}, parent=_step("P1"), acting_user=who)
    do_move_process_step(_step("P1-3"), -1, acting_user=who)
    assert _siblings("P1") == [(1, "P1-1"), (2, "P1-3"), (3, "P1-2")]
    do_move_process_step(_step("P1-1"), -1, acting_user=who)  # at the top already: stays, nothing recorded
    assert _siblings("P1")[0] == (1, "P1-1")
    moves = AuditEvent.objects.filter(verb="knowledge.move_process_step")
    assert moves.count() == 1 and moves.get().changes == {"order": [3, 2]}
    do_remove_process_step(_step("P1-1"), acting_user=who)  # with its two sub-steps
    assert _siblings("P1") == [(1, "P1-3"), (2, "P1-2")]
    assert not ProcessStep.objects.filter(code__in=["P1-1", "P1-1a", "P1-1b"]).exists()
    removal = AuditEvent.objects.get(verb="knowledge.remove_process_step")
    assert "P1-1" in removal.summary and "(+2)" in removal.summary
    do_remove_process_step(_step("P1"), acting_user=who)
    assert _siblings(None) == [(1, "P2")]


def test_it_refuses_those_who_may_not_edit_the_map(world, process):
    for user in (world.consultant_b, world.manager, world.team_lead):
        with pytest.raises(PermissionDenied):
            do_save_process_step(process, {"code": "X", "name": "x"}, acting_user=user)
        with pytest.raises(PermissionDenied):
            do_move_process_step(_step("P2"), -1, acting_user=user)
        with pytest.raises(PermissionDenied):
            do_remove_process_step(_step("P2"), acting_user=user)
    assert ProcessStep.objects.count() == 7
