import pytest
from django.core.exceptions import PermissionDenied
from django.http import Http404

from casspath.competency.access import access_model_by_id
from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.queries import models_for
from casspath.core.actors import SystemActor
from casspath.org.models import Role
from casspath.testing import make_user


@pytest.fixture
def city_model(world, model_data):
    """A model owned by GZ: SZ has nothing to do with it."""
    model_data["family"] = "gz-only"
    return do_load_model_data(model_data, org_unit=world.city_a, acting_user=SystemActor.cli())


def test_it_lets_everyone_below_the_owner_read_a_province_model(world, model):
    for user in (
        world.province_admin,
        world.city_admin_a,
        world.city_admin_b,
        world.team_lead,
        world.manager,
    ):
        assert access_model_by_id(user, model.pk) == model


def test_it_hides_models_from_a_user_without_role_or_employee(world, model):
    with pytest.raises(Http404):
        access_model_by_id(world.outsider, model.pk)
    assert list(models_for(world.outsider)) == []


def test_it_gives_the_same_404_for_an_absent_model(world, model):
    with pytest.raises(Http404):
        access_model_by_id(world.province_admin, model.pk + 1000)
    with pytest.raises(Http404):
        access_model_by_id(world.province_admin, "abc")


def test_it_lets_only_the_owner_units_admins_edit(world, model):
    assert access_model_by_id(world.province_admin, model.pk, for_edit=True) == model
    for user in (world.city_admin_a, world.team_lead, world.manager):
        with pytest.raises(PermissionDenied):
            access_model_by_id(user, model.pk, for_edit=True)


def test_it_scopes_a_city_model_to_its_city_and_above(world, city_model):
    assert access_model_by_id(world.city_admin_a, city_model.pk, for_edit=True) == city_model
    assert access_model_by_id(world.province_admin, city_model.pk, for_edit=True) == city_model
    assert access_model_by_id(world.manager, city_model.pk) == city_model
    with pytest.raises(Http404):
        access_model_by_id(world.city_admin_b, city_model.pk)
    assert city_model not in models_for(world.city_admin_b)


def test_it_lets_a_consultant_edit_in_his_subtree(world, city_model):
    consultant = make_user("consultant", role=Role.CONSULTANT, unit=world.city_a)
    assert access_model_by_id(consultant, city_model.pk, for_edit=True) == city_model


def test_it_lets_superusers_and_the_system_actor_reach_everything(world, city_model):
    world.outsider.is_superuser = True
    assert access_model_by_id(world.outsider, city_model.pk, for_edit=True) == city_model
    assert access_model_by_id(SystemActor.cli(), city_model.pk, for_edit=True) == city_model
