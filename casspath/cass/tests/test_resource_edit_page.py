"""A resource's edit page: metadata, skill rows, links to work items and key actions of the
same map, and the status buttons (refused transitions say why, in both languages)."""

import pytest
from django.urls import reverse

from casspath.cass.actions.maps import do_save_key_action, do_save_work_item
from casspath.cass.actions.resources import do_save_resource
from casspath.cass.models import KeyAction, Resource, WorkItem
from casspath.core.audit import AuditEvent
from casspath.testing import log_in


@pytest.fixture
def article(city_map):
    return Resource.objects.get(code="R001")


def _form(resource, **changes) -> dict:
    item, action = WorkItem.objects.get(code="W01"), KeyAction.objects.get(code="A0101")
    data = {"code": resource.code, "kind": resource.kind, "title": resource.title,
            "summary": "三步找到园区客户", "body": "正文", "duration_minutes": 6,
            "devices": ["phone", "print"], "study_modes": ["pre_shift"],
            "work_items": [item.pk], "key_actions": [action.pk],
            "skill_0_dimension": "D01", "skill_0_level": "3",
            "skill_1_dimension": "D04", "skill_1_level": "2"}
    data.update(changes)
    return data


def test_it_groups_the_key_actions_under_their_work_item_open_where_linked(client, world, city_map, article):
    other = do_save_work_item(city_map, {"code": "W02", "name": "首次拜访", "importance": 3, "frequency": 3},
                              acting_user=world.consultant_a)
    do_save_key_action(other, {"code": "A0201", "name": "预约拜访", "standard": "确认时间地点"},
                       skills={"D02": 2}, acting_user=world.consultant_a)
    page = log_in(client, world.consultant_a).get(reverse("cass:resource_edit", args=[article.pk]))
    html = page.content.decode()
    groups = html.split('class="resource-link-item"')[1:]
    assert len(groups) == 2
    w01, w02 = groups
    # R001 is linked to W01 and A0101: W01's actions are open; W02's (none linked) closed.
    assert "W01" in w01 and "A0101" in w01 and "<details class=\"ms-4\" open>" in w01
    assert "A0201" in w02 and "A0101" not in w02 and "<details class=\"ms-4\">" in w02


def test_it_saves_metadata_skills_and_links(client, world, article):
    log_in(client, world.consultant_a)
    assert client.get(reverse("cass:resource_edit", args=[article.pk])).status_code == 200
    response = client.post(reverse("cass:resource_edit", args=[article.pk]), _form(article))
    assert response.status_code == 302
    article.refresh_from_db()
    assert (article.summary, article.duration_minutes, article.devices) == (
        "三步找到园区客户", 6, ["phone", "print"])
    assert {s.dimension_code: s.level for s in article.skills.all()} == {"D01": 3, "D04": 2}
    assert [i.code for i in article.work_items.all()] == ["W01"]


def test_it_refuses_half_a_skill_row_and_a_dimension_twice(client, world, article):
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_edit", args=[article.pk]),
                           _form(article, skill_1_dimension="D01", skill_2_dimension="D09"))
    assert response.status_code == 400
    assert response.context["form"].errors.keys() >= {"skill_1_dimension", "skill_2_dimension"}


def test_it_offers_links_of_the_same_map_only(client, world, article, city_map):
    from casspath.cass.actions.maps import do_create_map

    other = do_create_map(org_unit=world.city_b, model_family="default", name="深圳地图",
                          acting_user=world.consultant_b)
    foreign = do_save_work_item(other, {"code": "W99", "name": "深圳的工作", "importance": 3, "frequency": 3},
                                acting_user=world.consultant_b)
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_edit", args=[article.pk]),
                           _form(article, work_items=[foreign.pk]))
    assert response.status_code == 400 and "work_items" in response.context["form"].errors
    assert "深圳的工作" not in client.get(reverse("cass:resource_edit", args=[article.pk])).content.decode()


def test_it_creates_a_resource(client, world, city_map):
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_new", args=[city_map.pk]),
                           {"code": "R900", "kind": "micro_video", "title": "新视频", "duration_minutes": 2})
    assert response.status_code == 302
    created = Resource.objects.get(code="R900")
    assert created.status == "draft"
    assert response["Location"] == reverse("cass:resource_edit", args=[created.pk])


def test_it_moves_the_status_with_the_buttons(client, world, article):
    log_in(client, world.consultant_a)
    url = reverse("cass:resource_status", args=[article.pk])
    assert client.post(url, {"status": "published"}).status_code == 302
    article.refresh_from_db()
    assert article.status == "published" and article.published_at is not None
    client.post(url, {"status": "retired"})
    client.post(url, {"status": "draft"})
    article.refresh_from_db()
    assert article.status == "draft"
    assert AuditEvent.objects.filter(verb="cass.set_resource_status").count() == 3
    page = client.get(reverse("cass:resource_edit", args=[article.pk])).content.decode()
    assert 'value="published"' in page and 'value="retired"' in page and 'value="draft"' not in page


def test_it_refuses_to_publish_a_video_without_its_file_in_both_languages(client, world, city_map):
    video = do_save_resource(city_map, {"code": "V900", "kind": "micro_video", "title": "无文件视频",
                                        "duration_minutes": 2}, acting_user=world.consultant_a)
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_status", args=[video.pk]), {"status": "published"},
                           follow=True)
    body = response.content.decode()
    assert "音视频资源须先上传媒体文件才能发布" in body and "Upload the media file before publishing" in body
    video.refresh_from_db()
    assert video.status == "draft"


def test_it_refuses_an_unknown_status(client, world, article):
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_status", args=[article.pk]), {"status": "gone"})
    assert response.status_code == 404


def test_it_refuses_those_who_may_not_edit(client, world, article):
    from casspath.cass.actions.resources import do_set_resource_status

    do_set_resource_status(article, "published", acting_user=world.consultant_a)
    for user, status in ((world.manager, 403), (world.analyst_a, 403), (world.consultant_b, 404),
                         (world.city_admin_b, 404)):
        log_in(client, user)
        assert client.get(reverse("cass:resource_edit", args=[article.pk])).status_code == status, user
        assert client.post(reverse("cass:resource_status", args=[article.pk]),
                           {"status": "retired"}).status_code == status, user
        response = client.post(reverse("cass:resource_edit", args=[article.pk]), _form(article))
        assert response.status_code == status, user
    article.refresh_from_db()
    assert article.status == "published" and article.summary == ""


@pytest.mark.parametrize("kind", ["qa_card", "work_guide"])
def test_it_refuses_to_turn_a_resource_into_a_card_or_a_guide(client, world, article, kind):
    # A card or a guide has its own row beside the resource, made on its own page: an article
    # relabelled as one had none (the card's edit page then failed with a 500).
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_edit", args=[article.pk]), _form(article, kind=kind))
    assert response.status_code == 400
    body = response.content.decode()
    assert "cannot change its kind" in body and "不能改变类型" in body
    article.refresh_from_db()
    assert article.kind == "article"
    new = client.post(reverse("cass:resource_new", args=[article.cass_map_id]),
                      _form(article, code="R900", kind=kind))
    assert new.status_code == 400
    assert not Resource.objects.filter(code="R900").exists()
    assert client.get(reverse("cass:card_edit", args=[article.pk])).status_code == 404


def test_it_keeps_the_kind_of_a_guide_and_of_a_video_with_its_file(client, world, city_map, video):
    from casspath.knowledge.actions.guides import do_create_guide

    guide = do_create_guide(WorkItem.objects.get(code="W01"), title="扫楼指引",
                            acting_user=world.consultant_a)
    log_in(client, world.consultant_a)
    for resource, kind in ((guide.resource, "article"), (video, "article"), (video, "audio")):
        data = _form(resource, kind=kind)
        response = client.post(reverse("cass:resource_edit", args=[resource.pk]), data)
        assert response.status_code == 400, (resource.code, kind)
        assert "cannot change its kind" in response.content.decode()
        assert Resource.objects.get(pk=resource.pk).kind == resource.kind
    # Its other fields still save.
    assert client.post(reverse("cass:resource_edit", args=[guide.resource.pk]),
                       _form(guide.resource, title="扫楼指引（新）")).status_code == 302


def test_it_refuses_to_publish_a_guide_without_steps_through_its_resource(client, world, city_map):
    # The guide's own status button refuses it; the resource's must not be the way round.
    from casspath.knowledge.actions.guides import do_create_guide

    guide = do_create_guide(WorkItem.objects.get(code="W01"), title="空指引",
                            acting_user=world.consultant_a)
    log_in(client, world.consultant_a)
    response = client.post(reverse("cass:resource_status", args=[guide.resource_id]), {"status": "published"},
                           follow=True)
    body = response.content.decode()
    assert "至少要有一个步骤" in body and "at least one step" in body
    assert Resource.objects.get(pk=guide.resource_id).status == "draft"
    log_in(client, world.manager)
    assert client.get(reverse("knowledge:guide", args=[guide.pk])).status_code == 404
