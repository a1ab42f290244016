"""The learning map's derivation: requirements per stage and grade, work items and key
actions in rank order, published resources by level; a fixed number of queries."""

import pytest

from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.cass.learning_map import learning_map, my_learning_map
from casspath.cass.models import Resource
from casspath.competency.actions.edits import do_set_requirements
from casspath.competency.actions.versions import do_publish_model, do_start_new_version
from casspath.core.actors import SystemActor
from casspath.org.models import Grade, Stage

pytestmark = pytest.mark.django_db


def view_of(cass_map, stage=None, grade=None):
    stage = Stage.objects.get(code=stage) if stage else None
    grade = Grade.objects.get(code=grade) if grade else None
    return learning_map(cass_map, [(stage, grade)]).views[0]


def dim(view, code):
    return next(d for d in view.dimensions if d.code == code)


def test_it_lists_each_stages_required_dimensions_and_levels(world, lmap):
    growth = view_of(lmap, "growth")
    assert [(d.code, d.level) for d in growth.dimensions] == [("D01", 2), ("D02", 2), ("D03", 1)]
    maturity = view_of(lmap, "maturity")
    assert [(d.code, d.level) for d in maturity.dimensions] == [("D01", 4), ("D02", 3), ("D03", 3)]


def test_it_takes_the_higher_of_stage_and_grade(world, lmap):
    both = view_of(lmap, "growth", "senior")  # growth D01 L2 w40, senior D01 L4 w45.5
    d01 = dim(both, "D01")
    assert (d01.level, d01.weight, d01.stage_level, d01.grade_level) == (4, 45.5, 2, 4)
    assert dim(view_of(lmap, grade="junior"), "D02").level == 2


def test_it_orders_work_items_by_rank_and_keeps_those_of_the_stage(world, lmap):
    # W02 5×5 = 25 ranks first, then W03 16, then W01 9; W02 is for growth only, W03 for maturity.
    growth = dim(view_of(lmap, "growth"), "D01")
    assert [(i.code, i.rank) for i in growth.work_items] == [("W02", 1), ("W01", 3)]
    # within an item, actions by their order: A0101 (order 1) before A0102
    assert [a.code for a in growth.work_items[1].actions] == ["A0101", "A0102"]
    assert [(a.code, a.level) for a in growth.work_items[1].actions] == [("A0101", 3), ("A0102", 2)]
    maturity = dim(view_of(lmap, "maturity"), "D01")
    assert [i.code for i in maturity.work_items] == ["W03", "W01"]
    # a grade's view has no stage: every work item applies
    assert [i.code for i in dim(view_of(lmap, grade="senior"), "D01").work_items] == ["W02", "W03", "W01"]


def test_it_orders_resources_by_level_then_code_published_only(world, lmap):
    d01 = dim(view_of(lmap, "growth"), "D01")
    assert [(r.code, r.level) for r in d01.resources] == [
        ("R-D01-1a", 1), ("R-D01-1b", 1), ("R-D01-2", 2), ("R-D01-3", 3)]
    assert [(g.level, g.total, g.required) for g in d01.levels] == [
        (1, 2, False), (2, 1, True), (3, 1, False)]
    assert d01.resources[0].kind_label and d01.resources[0].duration_minutes == 5
    assert {"R-DRAFT", "R-RETIRED"}.isdisjoint(r.code for r in d01.resources)


def test_it_drops_a_resource_once_retired(world, lmap):
    resource = Resource.objects.get(code="R-D01-2")
    do_set_resource_status(resource, "retired", acting_user=world.consultant_a)
    assert "R-D01-2" not in [r.code for r in dim(view_of(lmap, "growth"), "D01").resources]


def test_it_never_shows_a_draft_to_a_manager(world, lmap):
    mine = my_learning_map(world.manager_employee, world.manager_employee.hire_date.replace(year=2026))
    assert mine.view is not None
    codes = [r.code for d in mine.view.dimensions for r in d.resources]
    assert "R-DRAFT" not in codes and "R-D01-1a" in codes


def test_it_shows_a_dimension_added_to_a_stages_requirements(world, lmap, small_model):
    actor = SystemActor.cli()
    growth = Stage.objects.get(code="growth")
    resource = do_save_resource(lmap, {"code": "R-D03-3", "kind": "article", "title": "团队协作",
                                       "duration_minutes": 7}, skills={"D03": 3},
                                acting_user=world.consultant_a)
    do_set_resource_status(resource, "published", acting_user=world.consultant_a)
    without = do_start_new_version(small_model, acting_user=actor)
    do_set_requirements(without, stage=growth, cells={"D03": None}, acting_user=actor)
    do_publish_model(without, acting_user=actor, accept_weights=True)
    assert "D03" not in [d.code for d in view_of(lmap, "growth").dimensions]
    added = do_start_new_version(without, acting_user=actor)
    do_set_requirements(added, stage=growth, cells={"D03": (3, 25)}, acting_user=actor)
    do_publish_model(added, acting_user=actor, accept_weights=True)
    d03 = dim(view_of(lmap, "growth"), "D03")
    assert d03.level == 3 and [r.code for r in d03.resources] == ["R-D03-3"]


def test_it_makes_a_view_per_stage_then_per_grade_by_default(world, lmap):
    views = learning_map(lmap).views
    assert [(v.stage.code if v.stage else None, v.grade.code if v.grade else None) for v in views] == [
        ("growth", None), ("development", None), ("maturity", None), (None, "junior"), (None, "senior")]


def test_it_reads_a_fixed_number_of_queries_whatever_the_size(world, lmap, django_assert_max_num_queries):
    def count() -> int:
        from django.db import connection
        from django.test.utils import CaptureQueriesContext

        with CaptureQueriesContext(connection) as captured:
            learning_map(lmap)
        return len(captured)

    small = count()
    item = lmap.work_items.get(code="W01")
    from casspath.cass.actions.maps import do_save_key_action, do_save_work_item

    for n in range(12):
        extra = do_save_work_item(lmap, {"code": f"X{n:02d}", "name": f"工作{n}", "importance": 2,
                                         "frequency": 2}, acting_user=world.consultant_a)
        do_save_key_action(extra, {"code": f"XA{n:02d}", "name": "动作", "standard": "标准"},
                           skills={"D02": 2, "D03": 1}, acting_user=world.consultant_a)
        r = do_save_resource(lmap, {"code": f"XR{n:02d}", "kind": "article", "title": f"资源{n}",
                                    "duration_minutes": 3}, skills={"D02": 1 + n % 5}, work_items=[item],
                             acting_user=world.consultant_a)
        do_set_resource_status(r, "published", acting_user=world.consultant_a)
    with django_assert_max_num_queries(small):
        bigger = learning_map(lmap)
    assert dim(bigger.views[0], "D02").resources_total == 13
