"""Creating a map and editing its info and work items: done for the city's consultant and
training admin, each write one audit row; refused for a manager (403) and the other city's
consultant (404), nothing written; bilingual errors beside the fields."""

import html

import pytest
from django.urls import reverse

from casspath.cass.models import CassMap, WorkItem
from casspath.core.models import AuditEvent
from casspath.org.models import Position, Stage
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def item_post(**extra):
    return {"code": "W02", "name": "客户拜访", "description": "", "importance": "4", "frequency": "5",
            **extra}


def test_it_creates_a_map_in_the_editors_scope(client, world, default_model):
    log_in(client, world.consultant_a)
    assert client.get(reverse("cass:map_create")).status_code == 200
    response = client.post(reverse("cass:map_create"), {"org_unit": "GZ", "model_family": "default",
                                                         "name": "广州地图", "description": ""})
    cass_map = CassMap.objects.get()
    assert response.status_code == 302 and response.url == reverse("cass:map_detail", args=[cass_map.pk])
    assert cass_map.org_unit == world.city_a and cass_map.model_family == "default"
    assert AuditEvent.objects.filter(verb="cass.create_map").count() == 1


def test_it_refuses_a_unit_outside_the_scope_and_an_unknown_family(client, world, default_model):
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:map_create"), {"org_unit": "SZ", "model_family": "nope",
                                                         "name": "x", "description": ""})
    page = response.content.decode()
    assert response.status_code == 200
    assert "不存在或不在您的范围内" in page and "outside your scope" in page
    assert "nope" in page  # the choice refused, named
    assert not CassMap.objects.exists()


def test_it_refuses_map_creation_to_a_manager(client, world, default_model):
    log_in(client, world.manager)
    assert client.get(reverse("cass:map_create")).status_code == 403
    assert client.post(reverse("cass:map_create"), {"org_unit": "GZ-TH-01", "model_family": "default",
                                                     "name": "x"}).status_code == 403
    assert not CassMap.objects.exists()


def test_it_edits_the_maps_name(client, world, default_model, city_map):
    log_in(client, world.city_admin_a)
    url = reverse("cass:map_edit", args=[city_map.pk])
    assert client.get(url).status_code == 200
    assert client.post(url, {"name": "新名字", "description": "说明"}).status_code == 302
    city_map.refresh_from_db()
    assert city_map.name == "新名字" and city_map.description == "说明"


def test_it_adds_edits_and_removes_a_work_item(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    growth = Stage.objects.get(code="growth")
    manager = Position.objects.get(code="account_manager")
    response = client.post(reverse("cass:work_item_add", args=[city_map.pk]),
                           item_post(stages=[growth.pk], positions=[manager.pk]))
    assert response.status_code == 302 and response.url.endswith("#wi-W02")
    item = WorkItem.objects.get(code="W02")
    assert list(item.stages.all()) == [growth] and list(item.positions.all()) == [manager]
    edit = reverse("cass:work_item_edit", args=[city_map.pk, item.pk])
    assert "客户拜访" in client.get(edit).content.decode()
    client.post(edit, {"name": "上门拜访", "importance": "5", "frequency": "5", "stages": []})
    item.refresh_from_db()
    assert item.name == "上门拜访" and item.importance == 5 and not item.stages.exists()
    remove = reverse("cass:work_item_remove", args=[city_map.pk, item.pk])
    assert "上门拜访" in client.get(remove).content.decode()  # asks first
    assert WorkItem.objects.filter(pk=item.pk).exists()
    client.post(remove)
    assert not WorkItem.objects.filter(pk=item.pk).exists()
    verbs = list(AuditEvent.objects.filter(verb__startswith="cass.").values_list("verb", flat=True)
                 .order_by("id"))[-3:]
    assert verbs == ["cass.save_work_item", "cass.save_work_item", "cass.remove_work_item"]


def test_it_shows_bilingual_errors_beside_the_fields(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:work_item_add", args=[city_map.pk]),
                           item_post(code="W01", importance="9"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "is-invalid" in page and 'name="importance"' in page
    assert WorkItem.objects.count() == 1
    response = client.post(reverse("cass:work_item_add", args=[city_map.pk]), item_post(code="W01"))
    page = html.unescape(response.content.decode())
    assert "工作编码“W01”在本地图中已被使用" in page and "The work item code 'W01' is already used" in page
    assert WorkItem.objects.count() == 1


@pytest.mark.parametrize("name", ["map_edit", "work_item_add", "work_item_edit", "work_item_remove"])
def test_it_refuses_a_manager_and_hides_the_map_from_the_other_city(client, world, default_model, city_map,
                                                                    name):
    item = city_map.work_items.get()
    args = [city_map.pk, item.pk] if name in ("work_item_edit", "work_item_remove") else [city_map.pk]
    url = reverse(f"cass:{name}", args=args)
    before = AuditEvent.objects.count()
    for user, status in ((world.manager, 403), (world.team_lead, 403), (world.consultant_b, 404),
                         (world.city_admin_b, 404)):
        log_in(client, user)
        assert client.get(url).status_code == status, user
        assert client.post(url, item_post(name="改了")).status_code == status, user
    item.refresh_from_db()
    city_map.refresh_from_db()
    assert item.name == "寻找目标客户" and city_map.name == "广州 CASS 地图"
    assert WorkItem.objects.count() == 1 and AuditEvent.objects.count() == before
