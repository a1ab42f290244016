"""do_reparent_process_step: a step moves to another phase, a sub-step to another step, a
step becomes a phase; last among its new siblings, both sibling lists numbered 1, 2, 3…, one
audit row; refused under itself or its own sub-step, past three levels, under another map's
step, and to those who may not edit the map."""

import pytest
from django.core.exceptions import PermissionDenied

from casspath.cass.actions.maps import do_create_map
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.guides import KnowledgeError
from casspath.knowledge.actions.process import do_reparent_process_step, do_save_process_step
from casspath.knowledge.models import ProcessStep

pytestmark = pytest.mark.django_db


def _step(code: str) -> ProcessStep:
    return ProcessStep.objects.select_related("cass_map", "parent").get(code=code)


def _parent(code: str) -> str | None:
    return ProcessStep.objects.filter(code=code).values_list("parent__code", flat=True).get()


def _siblings(parent_code: str | None) -> list[tuple[int, str]]:
    steps = (
        ProcessStep.objects.filter(parent__code=parent_code)
        if parent_code
        else ProcessStep.objects.filter(parent=None)
    )
    return list(steps.order_by("order").values_list("order", "code"))


def test_it_moves_a_step_to_another_phase_renumbering_both_lists(world, process):
    moved = do_reparent_process_step(_step("P1-1"), _step("P2"), acting_user=world.consultant_a)
    assert moved.parent == _step("P2")
    assert _siblings("P1") == [(1, "P1-2")]
    assert _siblings("P2") == [(1, "P2-1"), (2, "P1-1")]
    assert _siblings("P1-1") == [(1, "P1-1a"), (2, "P1-1b")]  # its sub-steps go with it
    event = AuditEvent.objects.get(verb="knowledge.reparent_process_step")
    assert event.changes == {"parent": ["P1", "P2"], "order": [1, 2]}
    assert event.org_unit_id == process.org_unit_id


def test_it_moves_a_sub_step_to_another_step_and_a_step_out_as_a_phase(world, process):
    who = world.consultant_a
    do_reparent_process_step(_step("P1-1a"), _step("P2-1"), acting_user=who)
    assert _siblings("P1-1") == [(1, "P1-1b")] and _siblings("P2-1") == [(1, "P1-1a")]
    do_reparent_process_step(_step("P1-2"), None, acting_user=who)
    assert _siblings(None) == [(1, "P1"), (2, "P2"), (3, "P1-2")] and _siblings("P1") == [(1, "P1-1")]


def test_it_changes_nothing_for_the_same_parent(world, process):
    do_reparent_process_step(_step("P1-2"), _step("P1"), acting_user=world.consultant_a)
    assert _siblings("P1") == [(1, "P1-1"), (2, "P1-2")]
    assert not AuditEvent.objects.filter(verb="knowledge.reparent_process_step").exists()


@pytest.mark.parametrize(
    ("code", "parent", "zh", "en"),
    [
        ("P1", "P1-1a", "自己的下级", "below it"),  # a phase under its own sub-step
        ("P1", "P1", "自己的下级", "itself"),
        ("P1-1", "P2-1", "最多三层", "three levels"),  # its sub-steps would be at level 4
        ("P2", "P1-1", "最多三层", "three levels"),  # a phase with steps under a step
        ("P1-2", "P1-1a", "最多三层", "level 4"),
    ],
)
def test_it_refuses_a_place_past_three_levels_or_under_itself(world, process, code, parent, zh, en):
    before = _siblings(None), _siblings("P1"), _siblings("P1-1"), _siblings("P2")
    with pytest.raises(KnowledgeError) as refused:
        do_reparent_process_step(_step(code), _step(parent), acting_user=world.consultant_a)
    assert zh in refused.value.message_zh and en in refused.value.message_en
    assert (_siblings(None), _siblings("P1"), _siblings("P1-1"), _siblings("P2")) == before
    assert not AuditEvent.objects.filter(verb="knowledge.reparent_process_step").exists()


def test_it_refuses_another_maps_step_as_parent(world, process):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳 CASS 地图", acting_user=world.consultant_b
    )
    foreign = do_save_process_step(other, {"code": "Q1", "name": "深圳阶段"}, acting_user=world.consultant_b)
    with pytest.raises(KnowledgeError) as refused:
        do_reparent_process_step(_step("P1-2"), foreign, acting_user=world.consultant_a)
    assert "another CASS map" in refused.value.message_en
    assert _parent("P1-2") == "P1"


def test_it_refuses_those_who_may_not_edit_the_map(world, process):
    for user in (world.consultant_b, world.manager, world.team_lead):
        with pytest.raises(PermissionDenied):
            do_reparent_process_step(_step("P1-2"), _step("P2"), acting_user=user)
    assert _parent("P1-2") == "P1"
