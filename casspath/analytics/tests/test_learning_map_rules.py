"""The learning map's ordering and grouping rules, against orders written out by hand."""

from casspath.analytics.learning_map import (
    ActionUse,
    Taught,
    applies_to_stage,
    by_level,
    first_of_each_level,
    grouped_by_item,
    in_rank_order,
    top_dimensions,
)


def test_it_applies_a_work_item_without_stages_to_every_stage():
    assert applies_to_stage(set(), "growth")
    assert applies_to_stage({"growth"}, "growth")
    assert not applies_to_stage({"maturity"}, "growth")
    assert applies_to_stage({"maturity"}, None)  # a grade's view: no stage asked


def test_it_orders_actions_by_item_rank_then_order_then_code():
    uses = [ActionUse("W1", 2, "A12", 2), ActionUse("W2", 1, "A21", 3), ActionUse("W1", 1, "A11", 1),
            ActionUse("W1", 1, "A10", 4)]
    ranks = {"W2": 1, "W1": 2}
    ordered = in_rank_order(uses, ranks)
    assert [u.action_code for u in ordered] == ["A21", "A10", "A11", "A12"]
    assert [(item, [u.action_code for u in group]) for item, group in grouped_by_item(ordered)] == [
        ("W2", ["A21"]), ("W1", ["A10", "A11", "A12"])]


def test_it_orders_resources_by_level_then_code():
    rows = [Taught(3, "A"), Taught(1, "Z"), Taught(1, "B"), Taught(2, "C")]
    assert by_level(rows) == [Taught(1, "B"), Taught(1, "Z"), Taught(2, "C"), Taught(3, "A")]


def test_it_keeps_the_first_few_of_each_level():
    rows = [Taught(1, "a"), Taught(1, "b"), Taught(1, "c"), Taught(2, "d"), Taught(3, "e"), Taught(3, "f")]
    assert first_of_each_level(rows, lambda r: r.level, 2) == [
        Taught(1, "a"), Taught(1, "b"), Taught(2, "d"), Taught(3, "e"), Taught(3, "f")]


def test_it_picks_the_heaviest_dimensions_ties_in_model_order():
    weights = [("D01", 20.0), ("D02", 35.0), ("D03", 20.0), ("D04", 25.0)]
    assert top_dimensions(weights, 3) == ["D02", "D04", "D01"]
    assert top_dimensions(weights, 10) == ["D02", "D04", "D01", "D03"]
