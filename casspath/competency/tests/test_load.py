import pytest

from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.errors import ModelDataError
from casspath.competency.models import BehaviourLevel, CompetencyModel, Dimension, Requirement
from casspath.competency.schema import model_data as read_model_data
from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent


def load(data, world, **kwargs):
    return do_load_model_data(data, org_unit=world.province, acting_user=SystemActor.cli(), **kwargs)


def test_it_loads_a_model_as_a_published_first_version(world, model_data):
    model = load(model_data, world)
    model.refresh_from_db()
    assert (model.family, model.version, model.status) == ("small", 1, CompetencyModel.Status.PUBLISHED)
    assert model.published_at is not None
    assert model.org_unit == world.province
    assert list(model.dimensions.values_list("code", flat=True)) == ["D01", "D02", "D03"]
    assert BehaviourLevel.objects.filter(dimension__model=model).count() == 15
    assert Requirement.objects.filter(model=model).count() == 15
    d01 = Dimension.objects.get(model=model, code="D01")
    assert d01.module.code == "M1"
    assert d01.behaviours.get(level=3).indicator_list() == ["寻找客户 L3 第一条", "寻找客户 L3 第二条"]
    assert AuditEvent.objects.filter(verb="competency.load_model", object_id=str(model.pk)).count() == 1


def test_it_reads_back_what_it_loaded(world, model_data):
    model = load(model_data, world)
    assert read_model_data(model) == model_data


def test_it_creates_nothing_when_the_content_is_the_same(world, model_data):
    first = load(model_data, world)
    again = load(model_data, world)
    assert again.pk == first.pk
    assert CompetencyModel.objects.filter(family="small").count() == 1
    assert AuditEvent.objects.filter(verb="competency.load_model").count() == 1


def test_it_makes_the_next_version_and_archives_the_old_one_when_content_changes(world, model_data):
    first = load(model_data, world)
    model_data["modules"][0]["dimensions"][0]["name"] = "目标客户寻找与筛选"
    second = load(model_data, world)
    first.refresh_from_db()
    second.refresh_from_db()
    assert second.version == 2
    assert second.derived_from_id == first.pk
    assert first.status == CompetencyModel.Status.ARCHIVED
    assert second.status == CompetencyModel.Status.PUBLISHED


def test_it_can_load_a_draft(world, model_data):
    model = load(model_data, world, publish=False)
    assert model.status == CompetencyModel.Status.DRAFT
    model_data["name"] = "另一个名字"
    with pytest.raises(ModelDataError) as info:
        load(model_data, world)
    assert "草稿" in info.value.errors[0][1] and "draft" in info.value.errors[0][2]


def test_it_names_every_problem_in_both_languages(world, model_data):
    model_data["levels"] = model_data["levels"][:4]
    model_data["modules"][0]["dimensions"][1]["code"] = "D01"
    model_data["modules"][1]["dimensions"][0]["category"] = "talent"
    model_data["modules"][1]["dimensions"][0]["levels"][2]["indicators"] = []
    model_data["requirements"]["stages"]["growth"]["D09"] = [2, 10]
    model_data["requirements"]["grades"]["junior"]["D01"] = [7, 10]
    model_data["requirements"]["grades"]["ninja"] = {"D01": [1, 100]}
    with pytest.raises(ModelDataError) as info:
        load(model_data, world)
    problems = {where: (zh, en) for where, zh, en in info.value.errors}
    assert "缺少等级 5" in problems["levels"][0] and "levels 5 are missing" in problems["levels"][1]
    assert "重复" in problems["dimensions[D01]"][0]
    assert "talent" in problems["dimensions[D03].category"][1]
    assert "no indicators" in problems["dimensions[D03].levels[L3].indicators"][1]
    assert "not in the model" in problems["requirements.stages.growth.D09"][1]
    assert "1-5" in problems["requirements.grades.junior.D01"][1]
    assert "ninja" in problems["requirements.grades.ninja"][1]
    assert CompetencyModel.objects.count() == 0


def test_it_refuses_something_that_is_not_a_model(world):
    with pytest.raises(ModelDataError) as info:
        load(["not", "a", "dict"], world)
    assert info.value.errors[0][0] == "$"


def test_it_names_a_too_long_name(world, model_data):
    model_data["modules"][0]["dimensions"][0]["name"] = "长" * 41
    with pytest.raises(ModelDataError) as info:
        load(model_data, world)
    assert any("40" in zh and "longer than 40" in en for _, zh, en in info.value.errors)


@pytest.mark.parametrize("category", Dimension.Category.values)
def test_it_loads_every_category_a_dimension_can_have(world, model_data, category):
    # The schema spells the categories out (for the type checker): this keeps the two in step.
    model_data["modules"][0]["dimensions"][0]["category"] = category
    model = load(model_data, world)
    assert Dimension.objects.get(model=model, code="D01").category == category
