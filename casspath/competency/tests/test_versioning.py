import pytest

from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.versions import (
    TRANSITIONS,
    do_discard_draft,
    do_publish_model,
    do_start_new_version,
)
from casspath.competency.errors import CompetencyError, InvalidTransition, ModelDataError, ModelNotEditable
from casspath.competency.models import CompetencyModel, Dimension
from casspath.competency.schema import model_data
from casspath.core.models import AuditEvent

Status = CompetencyModel.Status


def test_it_refuses_to_edit_a_published_model(world, model):
    with pytest.raises(ModelNotEditable) as info:
        do_update_model_info(model, name="改名", name_en="", description="", acting_user=world.province_admin)
    assert "草稿" in info.value.message_zh and "draft" in info.value.message_en
    model.refresh_from_db()
    assert model.name == "小模型"


def test_it_copies_everything_into_a_new_draft_version(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    draft.refresh_from_db()
    assert (draft.family, draft.version, draft.status) == ("small", 2, Status.DRAFT)
    assert draft.derived_from_id == model.pk
    assert draft.org_unit_id == model.org_unit_id
    assert model_data(draft) == model_data(model)
    # The copy is a copy: its rows are new, the published version's are untouched.
    assert not set(Dimension.objects.filter(model=draft).values_list("pk", flat=True)) & set(
        Dimension.objects.filter(model=model).values_list("pk", flat=True))
    assert AuditEvent.objects.filter(verb="competency.start_new_version", object_id=str(draft.pk)).exists()


def test_it_returns_the_existing_draft_instead_of_a_second_one(world, model):
    first = do_start_new_version(model, acting_user=world.province_admin)
    second = do_start_new_version(model, acting_user=world.province_admin)
    assert first.pk == second.pk
    assert CompetencyModel.objects.filter(family="small").count() == 2


def test_it_publishes_a_draft_and_archives_the_version_in_use(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name="小模型（修订）", name_en="Small model, revised", description="",
                         acting_user=world.province_admin)
    do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    model.refresh_from_db()
    draft.refresh_from_db()
    assert model.status == Status.ARCHIVED
    assert draft.status == Status.PUBLISHED and draft.published_at is not None
    assert draft.name == "小模型（修订）"
    assert AuditEvent.objects.filter(verb="competency.publish_model", object_id=str(draft.pk)).exists()


def changed_draft(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name=draft.name, name_en=draft.name_en, description="第二版",
                         acting_user=world.province_admin)
    return draft


def test_it_refuses_to_publish_a_draft_identical_to_the_version_in_use(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    with pytest.raises(CompetencyError) as info:
        do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    assert "identical" in info.value.message_en
    draft.refresh_from_db()
    model.refresh_from_db()
    assert (draft.status, model.status) == (Status.DRAFT, Status.PUBLISHED)


def test_it_raises_on_a_wrong_transition(world, model):
    assert TRANSITIONS == {Status.DRAFT: {Status.PUBLISHED}, Status.PUBLISHED: {Status.ARCHIVED},
                           Status.ARCHIVED: set()}
    with pytest.raises(InvalidTransition):
        do_publish_model(model, acting_user=world.province_admin, accept_weights=True)
    draft = changed_draft(world, model)
    do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    model.refresh_from_db()
    with pytest.raises(InvalidTransition) as info:
        do_publish_model(model, acting_user=world.province_admin, accept_weights=True)
    assert "archived" in info.value.message_en
    model.refresh_from_db()
    assert model.status == Status.ARCHIVED


def test_it_refuses_to_start_a_version_from_an_archived_model(world, model):
    draft = changed_draft(world, model)
    do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    model.refresh_from_db()
    with pytest.raises(CompetencyError):
        do_start_new_version(model, acting_user=world.province_admin)


def test_it_refuses_to_publish_an_incomplete_draft(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    Dimension.objects.get(model=draft, code="D02").behaviours.filter(level=4).delete()
    with pytest.raises(ModelDataError) as info:
        do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    assert any("D02" in where and "4" in en for where, _, en in info.value.errors)
    draft.refresh_from_db()
    model.refresh_from_db()
    assert draft.status == Status.DRAFT and model.status == Status.PUBLISHED


def test_it_discards_a_draft_but_not_a_published_model(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_discard_draft(draft, acting_user=world.province_admin)
    assert not CompetencyModel.objects.filter(pk=draft.pk).exists()
    with pytest.raises(ModelNotEditable):
        do_discard_draft(model, acting_user=world.province_admin)
