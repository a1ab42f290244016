"""An edit the action refuses after the page accepted the form is shown on the form, in
both languages, never as a server error."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from casspath.competency import views
from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.versions import do_publish_model, do_start_new_version
from casspath.competency.models import CompetencyModel
from casspath.core.models import User

from .conftest import login


@pytest.fixture
def draft(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name=draft.name, name_en=draft.name_en, description="第二版说明",
                         acting_user=world.province_admin)
    return draft


def test_it_shows_on_the_form_that_the_draft_was_published_meanwhile(world, draft, monkeypatch):
    other_admin = User.objects.get(username="padmin")

    def published_meanwhile(model, **values):
        # Another admin publishes the draft between the page's checks and the write; the
        # action, given the model as it now is, refuses.
        do_publish_model(CompetencyModel.objects.get(pk=model.pk), acting_user=other_admin,
                         accept_weights=True)
        return do_update_model_info(CompetencyModel.objects.get(pk=model.pk), **values)

    monkeypatch.setattr(views, "do_update_model_info", published_meanwhile)
    data = {"name": "新名字", "name_en": "", "description": ""}
    response = login(world.province_admin).post(reverse("competency:model_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    errors = response.context["form"].non_field_errors()
    assert len(errors) == 1 and "只能修改草稿版本" in errors[0] and "only a draft can be edited" in errors[0]
    draft.refresh_from_db()
    assert draft.status == CompetencyModel.Status.PUBLISHED and draft.name != "新名字"


def test_it_puts_a_refusal_about_a_field_the_form_lacks_above_the_form(world, draft, monkeypatch):
    def refuse(model, levels, **kwargs):
        raise ValidationError({"title": "标题过长 / the title is too long"})

    monkeypatch.setattr(views, "do_update_level_titles", refuse)
    data: dict[str, str] = {}
    for n in range(1, 6):
        data |= {f"title_{n}": f"第{n}级", f"title_en_{n}": "", f"description_{n}": ""}
    response = login(world.province_admin).post(reverse("competency:levels_edit", args=[draft.pk]), data)
    assert response.status_code == 200
    assert response.context["form"].non_field_errors() == ["标题过长 / the title is too long"]
