"""The main menu on every page: the apps' entries each user may see, gathered into the
drop-downs 组织, 地图 and 学习 (a drop-down of one entry stands alone), Chinese first."""

import re

import pytest
from django.urls import reverse

from casspath.site.context_processors import MENU_GROUPS
from casspath.site.discovery import menu_entries
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def menu(client, user) -> list:
    """The menu's top row: (label, [entries]) for a drop-down, (label, None) for a link."""
    html = log_in(client, user).get(reverse("home")).content.decode()
    nav = html[html.index('<ul class="navbar-nav me-auto">') :]
    nav = nav[: nav.index("</ul>\n      <ul")]
    row: list[tuple[str, list[str] | None]] = []
    for group, entries, link in re.findall(
        r'id="nav-group-\w+"[^>]*>([^<]+)</a>\s*<ul class="dropdown-menu"[^>]*>(.*?)</ul>'
        r'|<li class="nav-item"><a class="nav-link" href="[^"]+">([^<]+)</a>',
        nav,
        re.S,
    ):
        if group:
            row.append((group, re.findall(r'class="dropdown-item" href="[^"]+">([^<]+)<', entries)))
        else:
            row.append((link, None))
    return row


def test_it_gathers_a_managers_entries_into_maps_and_learning(client, world):
    assert menu(client, world.manager) == [
        ("首页", None),
        ("组织", ["组织架构", "员工"]),
        ("技能模型", None),
        ("地图", ["CASS 地图", "流程地图", "案例地图", "产品图谱"]),
        ("学习", ["我的学习地图", "工作指引", "学习资源", "产品技能课程", "问答卡", "口袋书"]),
    ]


def test_it_gives_an_admin_the_organisation_drop_down_first(client, world):
    row = menu(client, world.city_admin_a)
    assert row[1][0] == "组织"
    assert {"组织架构", "员工", "审计日志"} <= set(row[1][1])
    assert "导入" in [label for label, entries in row if entries is None]


def test_it_lets_a_drop_down_of_one_entry_stand_alone(client, world, monkeypatch):
    from casspath.core.parts import MenuEntry
    from casspath.site import context_processors

    only = [MenuEntry("学习资源", "cass:library_home", lambda user: True, order=47, group="learning")]
    monkeypatch.setattr(context_processors, "menu_entries", lambda: only)
    assert menu(client, world.manager) == [("首页", None), ("学习资源", None)]


def test_it_knows_every_group_an_app_names():
    assert {entry.group for entry in menu_entries() if entry.group} <= set(MENU_GROUPS)
