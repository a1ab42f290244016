"""The org tree's children fragment (GET /org/units/<code>/children/): one page of a unit's
subunits with their headcounts, scope-checked like every unit page."""

import pytest
from django.urls import reverse

from casspath.org import queries
from casspath.org.models import OrgUnit
from casspath.testing import make_employee, make_unit


def url(code, offset=None):
    base = reverse("org:tree_children", args=[code])
    return base if offset is None else f"{base}?offset={offset}"


def test_it_returns_a_units_children_with_headcounts_as_a_fragment(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(url("GZ-TH"))
    assert response.status_code == 200
    level = response.context["level"]
    assert [(node.unit.code, node.headcount, node.child_count) for node in level.nodes] == [
        ("GZ-TH-01", 3, 0)]
    body = response.content.decode()
    assert "<html" not in body and 'id="tree-' in body
    assert f'href="{reverse("org:unit_detail", args=["GZ-TH-01"])}"' in body
    assert f'href="{reverse("org:employee_list")}?unit=GZ-TH-01&amp;status=active"' in body


def test_it_offers_to_open_a_child_that_has_children(client, world):
    client.force_login(world.province_admin)
    body = client.get(url("GZ")).content.decode()
    assert f'data-children-url="{url("GZ-TH")}"' in body and 'aria-expanded="false"' in body


def test_it_finds_the_unit_by_a_code_typed_in_lower_case(client, world):
    client.force_login(world.city_admin_a)
    assert client.get(url("gz-th")).status_code == 200


@pytest.mark.parametrize("code", ["SZ", "SZ-NS", "GD", "NOPE"])
def test_it_refuses_a_unit_of_another_city_like_one_that_does_not_exist(client, world, code):
    client.force_login(world.city_admin_a)
    assert client.get(url(code)).status_code == 404


def test_it_refuses_those_who_see_no_units(client, world):
    for user in (world.outsider, world.manager):
        client.force_login(user)
        assert client.get(url("GZ-TH")).status_code == 404
    client.force_login(world.team_lead)  # his team, not the district above it
    assert client.get(url("GZ-TH")).status_code == 404
    assert client.get(url("GZ-TH-01")).status_code == 200


def test_it_sends_anonymous_to_login(client, world):
    response = client.get(url("GZ-TH"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_refuses_a_post(client, world):
    client.force_login(world.city_admin_a)
    assert client.post(url("GZ-TH")).status_code == 405


@pytest.fixture
def big_district(world, monkeypatch):
    """A district with 8 teams and a department, 3 a page."""
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 3)
    for n in range(2, 9):
        team = make_unit(f"GZ-TH-{n:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
        make_employee(f"X{n:03d}", f"员工{n}", team)
    make_unit("GZ-TH-00", "综合部", OrgUnit.Kind.DEPARTMENT, world.district_a)
    return world.district_a


def test_it_pages_a_long_list_with_show_more(client, world, big_district):
    client.force_login(world.city_admin_a)
    first = client.get(url("GZ-TH")).context["level"]
    assert [node.unit.code for node in first.nodes] == ["GZ-TH-01", "GZ-TH-02", "GZ-TH-03"]
    assert (first.total, first.next_offset, first.remaining) == (9, 3, 6)
    response = client.get(url("GZ-TH", 6))
    last = response.context["level"]
    # The department comes after the teams; the last page offers no more.
    assert [node.unit.code for node in last.nodes] == ["GZ-TH-07", "GZ-TH-08", "GZ-TH-00"]
    assert last.next_offset is None
    assert "data-tree-focus" not in client.get(url("GZ-TH")).content.decode()  # opened by its toggle
    body = client.get(url("GZ-TH", 3)).content.decode()
    assert f'hx-get="{url("GZ-TH", 6)}"' in body and 'hx-target="closest li"' in body
    assert body.count("data-tree-focus") == 1  # the first unit "show more" adds takes the focus
    assert f'hx-get="{url("GZ-TH", 9)}"' not in response.content.decode()


@pytest.mark.parametrize("offset", ["abc", "-5", "９", "99999999999999999999", ""])
def test_it_starts_from_the_top_for_an_offset_it_did_not_send(client, world, big_district, offset):
    client.force_login(world.city_admin_a)
    response = client.get(url("GZ-TH", offset))
    assert response.status_code == 200 and response.context["level"].offset == 0


def test_it_answers_an_offset_past_the_end_with_no_units(client, world, big_district):
    client.force_login(world.city_admin_a)
    response = client.get(url("GZ-TH", 500))
    assert response.status_code == 200 and response.context["level"].nodes == []


def test_it_counts_in_constant_queries_whatever_the_children_and_people(
        client, world, django_assert_max_num_queries):
    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(10) as first:
        client.get(url("GZ-TH"))
    for n in range(2, 40):
        team = make_unit(f"GZ-TH-{n:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
        sub = make_unit(f"GZ-TH-{n:02d}-A", "小组", OrgUnit.Kind.TEAM, team)
        make_employee(f"X{n:03d}", f"员工{n}", team)
        make_employee(f"Y{n:03d}", f"员工{n}", sub)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(url("GZ-TH"))
    nodes = response.context["level"].nodes
    assert len(nodes) == 39 and {node.headcount for node in nodes[1:]} == {2}
    assert {node.child_count for node in nodes[1:]} == {1}


def test_it_counts_active_people_only(client, world):
    world.colleague.status = "left"
    world.colleague.save(update_fields=["status"])
    client.force_login(world.city_admin_a)
    assert client.get(url("GZ-TH")).context["level"].nodes[0].headcount == 2


def test_it_keeps_a_levels_headcounts_and_counts_a_leaver_at_once(client, world,
                                                                 django_assert_max_num_queries):
    from casspath.org.actions.employees import do_update_employee

    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(12) as first:
        assert client.get(url("GZ")).context["level"].nodes[0].headcount == 3
    with django_assert_max_num_queries(12) as again:
        assert client.get(url("GZ")).context["level"].nodes[0].headcount == 3
    assert len(again.captured_queries) < len(first.captured_queries)
    do_update_employee(world.colleague, {"status": "left"}, acting_user=world.city_admin_a)
    assert client.get(url("GZ")).context["level"].nodes[0].headcount == 2
    client.force_login(world.city_admin_b)  # the level kept for GZ is still not his
    assert client.get(url("GZ")).status_code == 404
