"""Key actions on the map's pages: added with skills, study modes and checks; edited;
reordered up and down; removed. A dimension code the applying competency model does not
have is refused, naming it in both languages, and nothing is written; other users refused."""

import pytest
from django.urls import reverse

from casspath.cass.models import ActionSkill, KeyAction
from casspath.core.models import AuditEvent
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def action_post(**extra):
    data = {"code": "A0102", "name": "电话预约", "standard": "约定拜访时间并登记", "mistakes": "不确认决策人",
            "study_modes": ["on_the_way", "leisure"], "checks": ["pre_test", "performance_check"],
            "skill_code_0": "D02", "skill_level_0": "3", "skill_code_1": "d05", "skill_level_1": "2",
            "skill_code_2": "", "skill_level_2": ""}
    return {**data, **extra}


def add_url(city_map):
    return reverse("cass:key_action_add", args=[city_map.pk, city_map.work_items.get().pk])


def test_it_adds_a_key_action_with_its_skills_last_in_its_item(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    page = client.get(add_url(city_map)).content.decode()
    assert 'list="dimension-codes"' in page and "D18" in page and "班前学" in page and "主管观察" in page
    response = client.post(add_url(city_map), action_post())
    assert response.status_code == 302 and response.url.endswith("#ka-A0102")
    action = KeyAction.objects.get(code="A0102")
    assert action.order == 2  # after A0101
    assert action.study_modes == ["on_the_way", "leisure"]
    assert action.checks == ["pre_test", "performance_check"]
    assert dict(action.skills.values_list("dimension_code", "level")) == {"D02": 3, "D05": 2}


def test_it_refuses_an_unknown_dimension_code_naming_it(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    before = AuditEvent.objects.count()
    response = client.post(add_url(city_map), action_post(skill_code_1="D99"))
    page = response.content.decode()
    assert response.status_code == 400
    assert "维度编码 D99 不在适用于本地图的技能模型" in page
    assert "the dimension code D99 is not in the competency model that applies to this map" in page
    assert not KeyAction.objects.filter(code="A0102").exists() and AuditEvent.objects.count() == before


def test_it_refuses_a_level_without_a_code_and_a_code_twice(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    page = client.post(add_url(city_map), action_post(skill_code_1="D02", skill_level_2="4")).content.decode()
    assert "D02 is listed twice" in page and "a level needs a dimension code" in page
    assert not KeyAction.objects.filter(code="A0102").exists()


def test_it_edits_an_actions_skills_and_removes_it(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    action = KeyAction.objects.get(code="A0101")
    edit = reverse("cass:key_action_edit", args=[city_map.pk, action.pk])
    page = client.get(edit).content.decode()
    assert 'value="D01"' in page and "名单覆盖园区" in page
    data = action_post(skill_code_0="", skill_level_0="", skill_code_1="D03", skill_level_1="5")
    data.pop("code")
    assert client.post(edit, data).status_code == 302
    action.refresh_from_db()
    assert action.name == "电话预约"
    skills = ActionSkill.objects.filter(action=action).values_list("dimension_code", "level")
    assert list(skills) == [("D03", 5)]
    remove = reverse("cass:key_action_remove", args=[city_map.pk, action.pk])
    assert client.get(remove).status_code == 200 and KeyAction.objects.filter(pk=action.pk).exists()
    client.post(remove)
    assert not KeyAction.objects.filter(pk=action.pk).exists()


def test_it_moves_actions_up_and_down(client, world, default_model, city_map):
    log_in(client, world.consultant_a)
    for code in ("A0102", "A0103"):
        client.post(add_url(city_map), action_post(code=code, skill_code_0="", skill_level_0="",
                                                   skill_code_1="", skill_level_1=""))

    def order():
        return list(KeyAction.objects.order_by("order", "code").values_list("code", flat=True))

    assert order() == ["A0101", "A0102", "A0103"]
    last = KeyAction.objects.get(code="A0103")
    client.post(reverse("cass:key_action_move", args=[city_map.pk, last.pk, "up"]))
    assert order() == ["A0101", "A0103", "A0102"]
    first = KeyAction.objects.get(code="A0101")
    client.post(reverse("cass:key_action_move", args=[city_map.pk, first.pk, "up"]))  # at the top already
    assert order() == ["A0101", "A0103", "A0102"]
    client.post(reverse("cass:key_action_move", args=[city_map.pk, first.pk, "down"]))
    assert order() == ["A0103", "A0101", "A0102"]
    assert AuditEvent.objects.filter(verb="cass.move_key_action").count() == 2
    sideways = reverse("cass:key_action_move", args=[city_map.pk, first.pk, "sideways"])
    assert client.post(sideways).status_code == 404
    page = client.get(reverse("cass:map_detail", args=[city_map.pk])).content.decode()
    assert page.index('id="ka-A0103"') < page.index('id="ka-A0101"') < page.index('id="ka-A0102"')


def test_it_refuses_other_users_and_writes_nothing(client, world, default_model, city_map):
    action = KeyAction.objects.get(code="A0101")
    urls = [add_url(city_map), reverse("cass:key_action_edit", args=[city_map.pk, action.pk]),
            reverse("cass:key_action_remove", args=[city_map.pk, action.pk]),
            reverse("cass:key_action_move", args=[city_map.pk, action.pk, "down"])]
    before = AuditEvent.objects.count()
    for user, status in ((world.manager, 403), (world.lecturer_a, 403), (world.consultant_b, 404)):
        log_in(client, user)
        for url in urls:
            assert client.post(url, action_post(code="A0109")).status_code == status, (user, url)
    assert KeyAction.objects.count() == 1 and AuditEvent.objects.count() == before
    action.refresh_from_db()
    assert action.name == "梳理园区企业名单"
