"""Publishing a draft is a confirmed step on its own page (competency:model_publish): the
checks, the weight warnings and the changes against the version in use, then a POST with
`confirm` (and "publish anyway" when weights do not add up to 100 %)."""

import pytest
from django.urls import reverse

from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.versions import do_start_new_version
from casspath.competency.models import CompetencyModel, Dimension, Requirement
from casspath.core.models import AuditEvent

from .conftest import login

Status = CompetencyModel.Status


@pytest.fixture
def draft(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name=draft.name, name_en=draft.name_en, description="第二版说明",
                         acting_user=world.province_admin)
    return draft


@pytest.fixture
def unbalanced(draft):
    """The draft with its growth stage's weights adding up to less than 100 %."""
    cell = Requirement.objects.filter(model=draft, stage__code="growth").first()
    assert cell is not None, "the model has requirements at its growth stage"
    Requirement.objects.filter(pk=cell.pk).update(weight=cell.weight - 10)
    return draft


def _url(draft):
    return reverse("competency:model_publish", args=[draft.pk])


def _statuses(*models):
    for model in models:
        model.refresh_from_db()
    return [model.status for model in models]


def test_it_shows_the_checks_the_weight_warnings_and_the_changes_before_publishing(world, model, unbalanced):
    draft = unbalanced
    response = login(world.province_admin).get(_url(draft))
    assert response.status_code == 200
    body = response.content.decode()
    assert 'id="publish-validation"' in body and 'id="publish-weights"' in body
    assert "第二版说明" in body  # the diff against v1, the version in use
    assert 'name="confirm" value="yes"' in body and 'name="accept_weights"' in body
    assert _statuses(model, draft) == [Status.PUBLISHED, Status.DRAFT]


def test_it_refuses_a_post_without_confirmation(world, model, draft):
    response = login(world.province_admin).post(_url(draft), {"accept_weights": "on"})
    assert response.status_code == 400
    assert "Review the checks and the changes on the publish page" in response.content.decode()
    assert _statuses(model, draft) == [Status.PUBLISHED, Status.DRAFT]


def test_it_refuses_weights_not_adding_up_to_100_without_publish_anyway(world, model, unbalanced):
    draft = unbalanced
    response = login(world.province_admin).post(_url(draft), {"confirm": "yes"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "权重合计不是 100%" in body and "do not add up to 100%" in body
    assert _statuses(model, draft) == [Status.PUBLISHED, Status.DRAFT]


def test_it_publishes_with_publish_anyway_and_archives_the_version_in_use(world, model, unbalanced):
    draft = unbalanced
    response = login(world.province_admin).post(_url(draft), {"confirm": "yes", "accept_weights": "on"})
    assert response.status_code == 302
    assert _statuses(model, draft) == [Status.ARCHIVED, Status.PUBLISHED]
    row = AuditEvent.objects.get(verb="competency.publish_model", object_id=str(draft.pk))
    assert row.changes["archived"] == [1] and row.changes["weights_not_100"]


def test_it_publishes_balanced_weights_with_confirmation_alone(world, model, draft):
    Requirement.objects.filter(model=draft).delete()
    client = login(world.province_admin)
    assert 'name="accept_weights"' not in client.get(_url(draft)).content.decode()
    assert client.post(_url(draft), {"confirm": "yes"}).status_code == 302
    assert _statuses(model, draft) == [Status.ARCHIVED, Status.PUBLISHED]


def test_it_lists_why_an_invalid_draft_cannot_be_published_and_offers_no_button(world, model, draft):
    Dimension.objects.get(model=draft, code="D01").behaviours.filter(level=5).delete()
    client = login(world.province_admin)
    body = client.get(_url(draft)).content.decode()
    assert "dimensions[D01].levels" in body and 'name="confirm"' not in body
    response = client.post(_url(draft), {"confirm": "yes", "accept_weights": "on"})
    assert response.status_code == 400
    assert _statuses(model, draft) == [Status.PUBLISHED, Status.DRAFT]


@pytest.mark.parametrize(("who", "status"), [("city_admin_a", 403), ("manager", 403), ("outsider", 404)])
def test_it_refuses_the_publish_page_to_users_who_may_not_edit(world, draft, who, status):
    assert login(getattr(world, who)).get(_url(draft)).status_code == status


def test_it_sends_a_published_version_back_to_its_page(world, model):
    response = login(world.province_admin).get(_url(model))
    assert response.status_code == 302
