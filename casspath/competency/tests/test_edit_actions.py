from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from casspath.competency.actions.edits import (
    do_add_dimension,
    do_add_module,
    do_move_module,
    do_remove_dimension,
    do_remove_module,
    do_set_indicators,
    do_set_requirements,
    do_update_dimension,
    do_update_level_titles,
    do_update_model_info,
    do_update_module,
)
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.errors import ModelNotEditable
from casspath.competency.models import BehaviourLevel, Dimension, LevelTitle, Module, Requirement
from casspath.core.models import AuditEvent
from casspath.org.models import Grade, Stage


@pytest.fixture
def draft(world, model):
    return do_start_new_version(model, acting_user=world.province_admin)


def test_it_renames_a_model(world, draft):
    do_update_model_info(
        draft, name=" 新名字 ", name_en="New", description="说明", acting_user=world.province_admin
    )
    draft.refresh_from_db()
    assert (draft.name, draft.name_en, draft.description) == ("新名字", "New", "说明")
    event = AuditEvent.objects.get(verb="competency.update_model")
    assert event.changes["name"] == ["小模型", "新名字"]


def test_it_sets_level_titles(world, draft):
    levels = [
        {"level": n, "title": f"第{n}级", "title_en": f"Level {n}", "description": ""} for n in range(1, 6)
    ]
    do_update_level_titles(draft, levels, acting_user=world.province_admin)
    assert list(LevelTitle.objects.filter(model=draft).values_list("title", flat=True)) == [
        "第1级",
        "第2级",
        "第3级",
        "第4级",
        "第5级",
    ]


def test_it_adds_renames_reorders_and_removes_modules(world, draft):
    module = do_add_module(draft, code="M3", name="新模块", acting_user=world.province_admin)
    assert list(Module.objects.filter(model=draft).values_list("code", flat=True)) == ["M1", "M2", "M3"]
    do_move_module(module, offset=-1, acting_user=world.province_admin)
    do_move_module(module, offset=-1, acting_user=world.province_admin)
    do_move_module(module, offset=-1, acting_user=world.province_admin)  # already first: stays
    assert list(Module.objects.filter(model=draft).values_list("code", flat=True)) == ["M3", "M1", "M2"]
    do_update_module(module, name="改名模块", name_en="Renamed", acting_user=world.province_admin)
    module.refresh_from_db()
    assert module.name == "改名模块"
    do_remove_module(module, acting_user=world.province_admin)
    assert not Module.objects.filter(pk=module.pk).exists()


def test_it_refuses_a_duplicate_module_code_and_a_module_with_dimensions(world, draft):
    with pytest.raises(ValidationError) as info:
        do_add_module(draft, code="M1", name="重复", acting_user=world.province_admin)
    assert "已存在" in str(info.value) and "already exists" in str(info.value)
    with pytest.raises(ValidationError) as info:
        do_remove_module(Module.objects.get(model=draft, code="M1"), acting_user=world.province_admin)
    assert "D01" in str(info.value)


def test_it_adds_edits_and_removes_a_dimension(world, draft):
    m2 = Module.objects.get(model=draft, code="M2")
    dim = do_add_dimension(
        m2, code="D04", name="职业素养", category="quality", acting_user=world.province_admin
    )
    assert dim.model_id == draft.pk
    m1 = Module.objects.get(model=draft, code="M1")
    do_update_dimension(
        dim,
        module=m1,
        name="职业素养与学习力",
        name_en="Professionalism",
        category="quality",
        description="d",
        acting_user=world.province_admin,
    )
    dim.refresh_from_db()
    assert (dim.code, dim.module_id, dim.name) == ("D04", m1.pk, "职业素养与学习力")
    with pytest.raises(ValidationError) as info:
        do_add_dimension(m2, code="D04", name="x", category="skill", acting_user=world.province_admin)
    assert "D04" in str(info.value)
    do_remove_dimension(dim, acting_user=world.province_admin)
    assert not Dimension.objects.filter(pk=dim.pk).exists()


def test_it_refuses_a_bad_category(world, draft):
    with pytest.raises(ValidationError):
        do_add_dimension(
            Module.objects.get(model=draft, code="M2"),
            code="D05",
            name="x",
            category="talent",
            acting_user=world.province_admin,
        )


def test_it_sets_and_clears_indicators(world, draft):
    dim = Dimension.objects.get(model=draft, code="D01")
    do_set_indicators(dim, {2: "第一条\n\n 第二条 ", 5: ""}, acting_user=world.province_admin)
    assert dim.behaviours.get(level=2).indicator_list() == ["第一条", "第二条"]
    assert not BehaviourLevel.objects.filter(dimension=dim, level=5).exists()
    event = AuditEvent.objects.get(verb="competency.set_indicators")
    assert set(event.changes) == {"L2", "L5"}


def test_it_sets_and_clears_requirement_cells(world, draft):
    growth = Stage.objects.get(code="growth")
    do_set_requirements(
        draft,
        stage=growth,
        cells={"D01": (3, Decimal("45.5")), "D03": None},
        acting_user=world.province_admin,
    )
    cells = {
        r.dimension.code: (r.level, r.weight) for r in Requirement.objects.filter(model=draft, stage=growth)
    }
    assert cells == {"D01": (3, Decimal("45.50")), "D02": (2, Decimal("35.00"))}
    expert = Grade.objects.get(code="expert")
    do_set_requirements(
        draft, grade=expert, cells={"D02": (5, 100)}, acting_user=world.province_admin
    )
    assert Requirement.objects.get(model=draft, grade=expert).level == 5


def test_it_refuses_every_edit_of_a_published_model(world, model):
    user = world.province_admin
    module = Module.objects.get(model=model, code="M1")
    dim = Dimension.objects.get(model=model, code="D01")
    edits = [
        lambda: do_update_level_titles(model, [], acting_user=user),
        lambda: do_add_module(model, code="M9", name="x", acting_user=user),
        lambda: do_update_module(module, name="x", name_en="", acting_user=user),
        lambda: do_move_module(module, offset=1, acting_user=user),
        lambda: do_remove_module(module, acting_user=user),
        lambda: do_add_dimension(module, code="D09", name="x", category="skill", acting_user=user),
        lambda: do_update_dimension(
            dim, module=module, name="x", name_en="", category="skill", description="", acting_user=user
        ),
        lambda: do_remove_dimension(dim, acting_user=user),
        lambda: do_set_indicators(dim, {1: "x"}, acting_user=user),
        lambda: do_set_requirements(
            model, stage=Stage.objects.get(code="growth"), cells={}, acting_user=user
        ),
    ]
    for edit in edits:
        with pytest.raises(ModelNotEditable):
            edit()
    assert Dimension.objects.filter(pk=dim.pk).exists()
