"""The CASS map's writes: each audited, checked, scoped; retries create nothing twice."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404

from casspath.cass.access import access_map_by_id, access_resource_by_id
from casspath.cass.actions.common import CassError
from casspath.cass.actions.maps import do_create_map, do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_set_resource_status
from casspath.cass.models import ActionSkill, CassMap, Resource, ResourceStatus
from casspath.cass.queries import map_applying, ranked_work_items
from casspath.core.errors import InvalidTransition
from casspath.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_it_audits_every_write(world, city_map):
    verbs = list(AuditEvent.objects.order_by("id").values_list("verb", flat=True))
    assert verbs == ["cass.create_map", "cass.save_work_item", "cass.save_key_action", "cass.save_resource"]
    assert AuditEvent.objects.filter(org_unit_id=world.city_a.pk).count() == 4


def test_it_creates_a_map_once_when_retried(world, city_map):
    again = do_create_map(org_unit=world.city_a, model_family="default", name="again",
                          acting_user=world.consultant_a)
    assert again.pk == city_map.pk
    assert CassMap.objects.count() == 1


def test_it_refuses_another_citys_consultant(world, city_map):
    item = city_map.work_items.get()
    with pytest.raises(PermissionDenied):
        do_save_work_item(city_map, {"name": "改名"}, item=item, acting_user=world.consultant_b)
    with pytest.raises(PermissionDenied):
        do_create_map(org_unit=world.city_a, model_family="x", name="x", acting_user=world.manager)
    item.refresh_from_db()
    assert item.name == "寻找目标客户"


def test_it_refuses_an_action_code_used_elsewhere_in_the_map(world, city_map):
    other = do_save_work_item(city_map, {"code": "W02", "name": "客户拜访", "importance": 4, "frequency": 5},
                              acting_user=world.consultant_a)
    with pytest.raises(CassError, match="A0101"):
        do_save_key_action(other, {"code": "A0101", "name": "x", "standard": "y"},
                           acting_user=world.consultant_a)


def test_it_refuses_unknown_study_modes_and_levels(world, city_map):
    item = city_map.work_items.get()
    with pytest.raises(ValidationError, match="nap"):
        do_save_key_action(item, {"code": "A0102", "name": "x", "standard": "y", "study_modes": ["nap"]},
                           acting_user=world.consultant_a)
    with pytest.raises(ValidationError):
        do_save_key_action(item, {"code": "A0103", "name": "x", "standard": "y"}, skills={"D01": 6},
                           acting_user=world.consultant_a)
    assert ActionSkill.objects.count() == 1


def test_it_ranks_work_items_by_priority(world, city_map):
    do_save_work_item(city_map, {"code": "W02", "name": "客户拜访", "importance": 4, "frequency": 5},
                      acting_user=world.consultant_a)
    do_save_work_item(city_map, {"code": "W03", "name": "签约", "importance": 5, "frequency": 2},
                      acting_user=world.consultant_a)
    # 4×5 = 20 = 5×4: the more important W01 first; then W03 (10)
    assert [(i.code, i.rank) for i in ranked_work_items(city_map)] == [("W01", 1), ("W02", 2), ("W03", 3)]


def test_it_finds_the_nearest_map_up_the_tree(world, city_map):
    assert map_applying(world.team_a) == city_map
    assert map_applying(world.team_b) is None


def test_it_shows_learners_published_resources_only(world, city_map):
    resource = Resource.objects.get()
    with pytest.raises(Http404):
        access_resource_by_id(world.manager, resource.pk)
    assert access_resource_by_id(world.consultant_a, resource.pk, for_edit=True) == resource
    do_set_resource_status(resource, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    assert access_resource_by_id(world.manager, resource.pk) == resource
    with pytest.raises(Http404):
        access_resource_by_id(world.manager_b, resource.pk)
    with pytest.raises(PermissionDenied):
        access_resource_by_id(world.manager, resource.pk, for_edit=True)


def test_it_hides_a_citys_map_from_the_other_city(world, city_map):
    assert access_map_by_id(world.manager, city_map.pk) == city_map
    with pytest.raises(Http404):
        access_map_by_id(world.consultant_b, city_map.pk)
    with pytest.raises(PermissionDenied):
        access_map_by_id(world.team_lead, city_map.pk, for_edit=True)


def test_it_moves_a_resource_along_its_transitions_only(world, city_map):
    resource = Resource.objects.get()
    do_set_resource_status(resource, ResourceStatus.RETIRED, acting_user=world.consultant_a)
    do_set_resource_status(resource, ResourceStatus.RETIRED, acting_user=world.consultant_a)  # a retry
    assert AuditEvent.objects.filter(verb="cass.set_resource_status").count() == 1
    video = Resource.objects.create(cass_map=city_map, code="V1", kind="micro_video", title="v",
                                    duration_minutes=1)
    with pytest.raises(CassError, match="media"):
        do_set_resource_status(video, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    with pytest.raises(InvalidTransition):
        do_set_resource_status(video, "archived", acting_user=world.consultant_a)
