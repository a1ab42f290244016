"""An archived version is brought back as a new draft version (do_restore_version, the
"Restore as new version" button): reviewed and published like any draft."""

import pytest
from django.urls import reverse

from casspath.competency.actions.edits import do_update_model_info
from casspath.competency.actions.versions import do_publish_model, do_restore_version, do_start_new_version
from casspath.competency.errors import CompetencyError
from casspath.competency.models import CompetencyModel
from casspath.competency.schema import content_key, model_data
from casspath.core.models import AuditEvent

from .conftest import login

Status = CompetencyModel.Status


@pytest.fixture
def archived(world, model):
    """v1 archived by publishing a changed v2."""
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_update_model_info(draft, name="第二版", name_en="", description="", acting_user=world.province_admin)
    do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    model.refresh_from_db()
    return model


def test_it_restores_an_archived_version_as_the_next_draft(world, archived):
    restored = do_restore_version(archived, acting_user=world.province_admin)
    assert (restored.version, restored.status, restored.derived_from_id) == (3, Status.DRAFT, archived.pk)
    assert content_key(model_data(restored)) == content_key(model_data(archived))
    archived.refresh_from_db()
    assert archived.status == Status.ARCHIVED
    row = AuditEvent.objects.get(verb="competency.restore_version")
    assert row.changes == {"from_version": 1} and row.org_unit_path == archived.org_unit.path


def test_it_restores_from_the_page(world, archived):
    client = login(world.province_admin)
    assert reverse("competency:model_restore", args=[archived.pk]) in client.get(
        reverse("competency:model_detail", args=[archived.pk])).content.decode()
    response = client.post(reverse("competency:model_restore", args=[archived.pk]))
    restored = CompetencyModel.objects.get(family=archived.family, version=3)
    assert response["Location"] == reverse("competency:model_detail", args=[restored.pk])


def test_it_refuses_to_restore_while_the_family_has_a_draft(world, archived):
    in_use = CompetencyModel.objects.get(family=archived.family, status=Status.PUBLISHED)
    do_start_new_version(in_use, acting_user=world.province_admin)
    with pytest.raises(CompetencyError, match="draft v3"):
        do_restore_version(archived, acting_user=world.province_admin)


def test_it_refuses_to_restore_a_version_that_is_not_archived(world, archived):
    in_use = CompetencyModel.objects.get(family=archived.family, status=Status.PUBLISHED)
    with pytest.raises(CompetencyError, match="only an archived version"):
        do_restore_version(in_use, acting_user=world.province_admin)
    response = login(world.province_admin).post(reverse("competency:model_restore", args=[in_use.pk]),
                                                 follow=True)
    assert "只能恢复已归档的版本" in response.content.decode()


@pytest.mark.parametrize(("who", "status"), [("city_admin_a", 403), ("manager", 403), ("outsider", 404)])
def test_it_refuses_restoring_to_users_who_may_not_edit(world, archived, who, status):
    response = login(getattr(world, who)).post(reverse("competency:model_restore", args=[archived.pk]))
    assert response.status_code == status
    assert not CompetencyModel.objects.filter(family=archived.family, version=3).exists()
