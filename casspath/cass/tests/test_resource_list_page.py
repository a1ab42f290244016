"""A map's resource library: learners see published resources only; filters by kind,
status (editors), dimension, study mode and device; pages; queries do not grow."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casspath.cass.actions.resources import do_save_resource, do_set_resource_status
from casspath.testing import log_in


@pytest.fixture
def library(world, city_map):
    made = []
    for i, (kind, devices, modes, skill, status) in enumerate([
        ("article", ["phone"], ["pre_shift"], "D05", "published"),
        ("case", ["pc"], ["leisure"], "D06", "published"),
        ("article", ["phone", "pc"], ["on_the_way", "leisure"], "D07", "published"),
        ("quiz", ["print"], ["team"], "D05", "draft"),
        ("article", ["phone"], ["pre_shift"], "D09", "retired"),
    ]):
        resource = do_save_resource(city_map, {"code": f"L{i:03d}", "kind": kind, "title": f"资源{i}",
                                               "duration_minutes": 5, "devices": devices,
                                               "study_modes": modes},
                                    skills={skill: 2}, acting_user=world.consultant_a)
        if status != "draft":
            do_set_resource_status(resource, status, acting_user=world.consultant_a)
        made.append(resource)
    return made


def _codes(client, cass_map, **params) -> list[str]:
    response = client.get(reverse("cass:resource_list", args=[cass_map.pk]), params)
    assert response.status_code == 200
    return [r.code for r in response.context["page"].object_list]


def test_it_shows_a_manager_the_published_resources_only(client, world, city_map, library):
    log_in(client, world.manager)
    assert _codes(client, city_map) == ["L000", "L001", "L002"]
    assert _codes(client, city_map, status="draft") == ["L000", "L001", "L002"]  # no status filter for him


def test_it_shows_editors_every_status_and_filters_by_it(client, world, city_map, library):
    log_in(client, world.consultant_a)
    assert _codes(client, city_map) == ["L000", "L001", "L002", "L003", "L004", "R001"]
    assert _codes(client, city_map, status="draft") == ["L003", "R001"]
    assert _codes(client, city_map, status="retired") == ["L004"]


def test_it_filters_by_kind_dimension_mode_and_device(client, world, city_map, library):
    log_in(client, world.manager)
    assert _codes(client, city_map, kind="article") == ["L000", "L002"]
    assert _codes(client, city_map, dimension="D05") == ["L000"]
    assert _codes(client, city_map, mode="leisure") == ["L001", "L002"]
    assert _codes(client, city_map, device="pc") == ["L001", "L002"]
    assert _codes(client, city_map, device="phone", mode="on_the_way") == ["L002"]
    assert _codes(client, city_map, kind="nonsense", device="fax") == ["L000", "L001", "L002"]


def test_it_refuses_the_other_city(client, world, city_map, library):
    log_in(client, world.consultant_b)
    assert client.get(reverse("cass:resource_list", args=[city_map.pk])).status_code == 404
    log_in(client, world.manager_b)
    assert client.get(reverse("cass:resource_list", args=[city_map.pk])).status_code == 404


def test_it_pages_with_constant_queries(client, world, city_map):
    log_in(client, world.consultant_a)

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("cass:resource_list", args=[city_map.pk])).status_code == 200
        return len(captured)

    for i in range(3):
        do_save_resource(city_map, {"code": f"P{i:03d}", "kind": "article", "title": f"第{i}篇",
                                    "duration_minutes": 3}, skills={"D01": 1, "D02": 2},
                         acting_user=world.consultant_a)
    few = queries()
    for i in range(3, 40):
        do_save_resource(city_map, {"code": f"P{i:03d}", "kind": "article", "title": f"第{i}篇",
                                    "duration_minutes": 3}, skills={"D01": 1, "D02": 2},
                         acting_user=world.consultant_a)
    assert queries() == few
    response = client.get(reverse("cass:resource_list", args=[city_map.pk]), {"page": 2})
    assert len(response.context["page"].object_list) == 41 - 25
    assert "page=1" in response.content.decode()


def test_it_is_in_the_menu_and_opens_the_one_map(client, world, city_map):
    log_in(client, world.manager)
    home = client.get("/")
    assert "学习资源" in home.content.decode()
    response = client.get(reverse("cass:library_home"))
    assert response.status_code == 302 and response["Location"] == reverse("cass:resource_list",
                                                                           args=[city_map.pk])
