"""The maps list (/cass/maps/): the maps one may read, "create" for editors only; the menu
entry and the editors' home card."""

import pytest
from django.urls import reverse

from casspath.testing import log_in

from .conftest import build_map

pytestmark = pytest.mark.django_db


def test_it_lists_the_maps_a_user_may_read_with_their_counts(client, world, default_model):
    build_map(world, 2)
    log_in(client, world.manager)
    page = client.get(reverse("cass:map_list")).content.decode()
    assert "广州 CASS 地图" in page
    assert "2 个工作内容" in page and "4 个关键动作" in page
    assert reverse("cass:map_create") not in page


def test_it_hides_another_citys_map(client, world, default_model):
    build_map(world, 1)
    log_in(client, world.consultant_b)
    page = client.get(reverse("cass:map_list")).content.decode()
    assert "广州 CASS 地图" not in page
    assert reverse("cass:map_create") in page  # he may create maps in his own city


def test_it_shows_the_menu_entry_and_the_editors_home_card(client, world, default_model):
    cass_map = build_map(world, 3)
    log_in(client, world.consultant_a)
    home = client.get("/").content.decode()
    assert reverse("cass:map_list") in home  # the menu
    assert 'id="cass_maps"' in home and reverse("cass:map_detail", args=[cass_map.pk]) in home
    assert "3 个工作内容" in home
    log_in(client, world.manager)
    assert 'id="cass_maps"' not in client.get("/").content.decode()
