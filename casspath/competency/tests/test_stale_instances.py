"""An action judges the model as it is when it writes, not as the page that called it
loaded it: a draft published or discarded by someone else meanwhile is refused."""

import pytest

from casspath.competency.actions import edits
from casspath.competency.actions.versions import do_discard_draft, do_publish_model, do_start_new_version
from casspath.competency.errors import CompetencyError, InvalidTransition, ModelNotEditable
from casspath.competency.models import CompetencyModel, Dimension, Module
from casspath.competency.schema import model_data
from casspath.core.models import AuditEvent
from casspath.org.models import Stage


@pytest.fixture
def draft(world, model):
    return do_start_new_version(model, acting_user=world.province_admin)


def _acts(draft, module, dimension, stage):
    return [
        lambda u: edits.do_update_model_info(draft, name="改", name_en="x", description="", acting_user=u),
        lambda u: edits.do_update_level_titles(draft, [{"level": 1, "title": "改", "title_en": "",
                                                        "description": ""}], acting_user=u),
        lambda u: edits.do_add_module(draft, code="M9", name="新模块", acting_user=u),
        lambda u: edits.do_update_module(module, name="改", name_en="x", acting_user=u),
        lambda u: edits.do_move_module(module, offset=1, acting_user=u),
        lambda u: edits.do_remove_module(module, acting_user=u),
        lambda u: edits.do_add_dimension(module, code="D99", name="新维度", category="skill", acting_user=u),
        lambda u: edits.do_update_dimension(dimension, module=module, name="改", name_en="x",
                                            category="skill", description="", acting_user=u),
        lambda u: edits.do_remove_dimension(dimension, acting_user=u),
        lambda u: edits.do_set_indicators(dimension, {1: "新指标"}, acting_user=u),
        lambda u: edits.do_set_requirements(draft, stage=stage, cells={}, acting_user=u),
        lambda u: do_discard_draft(draft, acting_user=u),
    ]


def _published_behind_its_back(draft):
    """Another admin publishes the draft: the row changes, the caller's instance does not."""
    CompetencyModel.objects.filter(family=draft.family, status="published").update(status="archived")
    CompetencyModel.objects.filter(pk=draft.pk).update(status="published")


@pytest.mark.parametrize("index", range(12))
def test_it_refuses_to_edit_a_draft_published_since_it_was_loaded(world, draft, index):
    # What a view holds: the draft, one of its modules (with the draft as its model) and a dimension.
    module = Module.objects.filter(model=draft).first()
    dimension = Dimension.objects.filter(model=draft).select_related("module").first()
    assert module is not None and dimension is not None, "the draft has modules and dimensions"
    module.model = draft
    dimension.model = draft
    act = _acts(draft, module, dimension, Stage.objects.first())[index]
    _published_behind_its_back(draft)
    content = model_data(CompetencyModel.objects.get(pk=draft.pk))
    events = AuditEvent.objects.count()
    with pytest.raises(ModelNotEditable):
        act(world.province_admin)
    assert AuditEvent.objects.count() == events
    fresh = CompetencyModel.objects.get(pk=draft.pk)
    assert fresh.status == "published" and model_data(fresh) == content


def test_it_refuses_to_publish_again_a_draft_published_since_it_was_loaded(world, draft):
    _published_behind_its_back(draft)
    events = AuditEvent.objects.count()
    # Refused as already published, not judged as a draft identical to the version in use.
    with pytest.raises(InvalidTransition):
        do_publish_model(draft, acting_user=world.province_admin)
    assert AuditEvent.objects.count() == events
    assert CompetencyModel.objects.filter(family=draft.family, status="published").get().pk == draft.pk


def test_it_refuses_to_edit_a_draft_discarded_since_it_was_loaded(world, draft):
    CompetencyModel.objects.filter(pk=draft.pk).delete()
    with pytest.raises(ModelNotEditable):
        edits.do_update_model_info(draft, name="改", name_en="", description="",
                                   acting_user=world.province_admin)
    assert not CompetencyModel.objects.filter(pk=draft.pk).exists()


def test_it_starts_no_version_from_one_archived_since_it_was_loaded(world, model, draft):
    """The page showed v1 as the version in use; meanwhile another admin published v2, so
    v1 is archived now: no draft is made of it."""
    _published_behind_its_back(draft)
    with pytest.raises(CompetencyError):
        do_start_new_version(model, acting_user=world.province_admin)
    assert not CompetencyModel.objects.filter(family=model.family, status="draft").exists()
