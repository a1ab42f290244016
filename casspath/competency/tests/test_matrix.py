from decimal import Decimal

from casspath.analytics.requirements import Required
from casspath.competency.actions.edits import do_set_requirements
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.queries import effective_requirements, requirement_matrix
from casspath.org.models import Stage


def test_it_builds_the_matrix_of_stages_and_grades(world, model):
    matrix = requirement_matrix(model)
    assert [c.code for c in matrix.stages] == ["growth", "development", "maturity"]
    assert [c.code for c in matrix.grades] == ["junior", "intermediate", "senior", "expert"]
    assert [row.dimension.code for row in matrix.rows] == ["D01", "D02", "D03"]
    d01 = matrix.rows[0]
    assert [(c.level, c.weight) if c else None for c in d01.cells] == [
        (2, Decimal("40")),
        (3, Decimal("40")),
        (4, Decimal("50")),
        (1, Decimal("30")),
        None,
        (4, Decimal("45.5")),
        None,
    ]
    assert d01.stage_cells == d01.cells[:3] and d01.grade_cells == d01.cells[3:]
    sums = {c.code: (c.weight_sum, c.count, c.warning) for c in matrix.columns}
    assert sums["growth"] == (Decimal("100"), 3, False)
    assert sums["senior"] == (Decimal("100"), 3, False)
    assert sums["intermediate"] == (Decimal("0"), 0, False)  # empty: no requirements, no warning
    assert matrix.warnings == []


def test_it_flags_a_column_whose_weights_do_not_sum_to_100(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_set_requirements(
        draft,
        stage=Stage.objects.get(code="maturity"),
        cells={"D01": (4, 60)},
        acting_user=world.province_admin,
    )
    matrix = requirement_matrix(draft)
    assert [(c.code, c.weight_sum, c.sum_text) for c in matrix.warnings] == [
        ("maturity", Decimal("110"), "110")
    ]


def test_it_builds_the_matrix_with_a_fixed_number_of_queries(world, model, django_assert_num_queries):
    with django_assert_num_queries(4):
        matrix = requirement_matrix(model)
        assert matrix.rows[0].dimension.module.code == "M1"


def test_it_combines_stage_and_grade_into_the_effective_requirement(world, model):
    result = {r.code: r for r in effective_requirements(model, "growth", "senior")}
    # D01: growth L2/40, senior L4/45.5 -> L4, 45.5; D02: growth L2/35, senior L4/30 -> L4, 35.
    assert (result["D01"].level, result["D01"].weight) == (4, Decimal("45.50"))
    assert (result["D02"].level, result["D02"].weight) == (4, Decimal("35.00"))
    assert result["D02"].stage == Required(2, Decimal("35.00"))
    assert result["D02"].grade == Required(4, Decimal("30.00"))
    assert [r.code for r in effective_requirements(model, "growth", "senior")] == ["D01", "D02", "D03"]


def test_it_uses_whichever_requirement_exists(world, model):
    only_stage = effective_requirements(model, "maturity", "intermediate")
    assert [(r.code, r.level, r.weight, r.grade) for r in only_stage] == [
        ("D01", 4, Decimal("50.00"), None),
        ("D02", 3, Decimal("25.00"), None),
        ("D03", 3, Decimal("25.00"), None),
    ]
    only_grade = effective_requirements(model, None, "junior")
    assert [(r.code, r.level) for r in only_grade] == [("D01", 1), ("D02", 2), ("D03", 1)]
    assert effective_requirements(model, None, None) == []
