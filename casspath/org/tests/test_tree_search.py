"""Finding a unit in the org tree: the search fragment (GET /org/tree/search/?q=), the same
results on the tree page without script (?q=), and revealing a unit in its place (?open=)."""

import pytest
from django.urls import reverse

from casspath.org import queries
from casspath.org.models import OrgUnit
from casspath.testing import make_unit

SEARCH = reverse("org:tree_search")
TREE = reverse("org:tree")


def found(response):
    return [match.unit.code for match in response.context["matches"]]


def test_it_finds_units_by_name_with_their_path(client, world):
    client.force_login(world.province_admin)
    response = client.get(SEARCH, {"q": "政企"})
    assert response.status_code == 200
    assert found(response) == ["GZ-TH-01", "SZ-NS-01"]
    # The path starts below the top of his reach (the province, his scope), as in the pickers.
    assert response.context["matches"][0].ancestors == ["广州分公司", "天河区"]
    body = response.content.decode()
    assert "广州分公司 / 天河区 / " in body and "广东公司 /" not in body
    assert f'href="{TREE}?open=GZ-TH-01#tree-{world.team_a.pk}"' in body
    assert f'href="{reverse("org:unit_detail", args=["GZ-TH-01"])}"' in body


def test_it_finds_units_by_the_start_of_their_code_as_typed(client, world):
    client.force_login(world.province_admin)
    # Lower case and full-width letters mean the same code; the code itself comes first.
    assert found(client.get(SEARCH, {"q": "gz-th"})) == ["GZ-TH", "GZ-TH-01"]
    assert found(client.get(SEARCH, {"q": "ＧＺ"})) == ["GZ", "GZ-TH", "GZ-TH-01"]


def test_it_finds_only_units_in_scope(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(SEARCH, {"q": "政企"})
    assert found(response) == ["GZ-TH-01"]
    assert response.context["matches"][0].ancestors == ["天河区"]  # below his city
    assert found(client.get(SEARCH, {"q": "SZ"})) == []
    assert "深圳" not in client.get(SEARCH, {"q": "SZ"}).content.decode()


def test_it_says_when_nothing_matches_and_shows_nothing_for_no_text(client, world):
    client.force_login(world.city_admin_a)
    body = client.get(SEARCH, {"q": "不存在"}).content.decode()
    assert "不存在" in body and "<li" not in body
    assert client.get(SEARCH, {"q": "  "}).content.decode().strip() == ""
    assert client.get(SEARCH).status_code == 200


def test_it_treats_like_wildcards_as_text(client, world):
    client.force_login(world.province_admin)
    assert found(client.get(SEARCH, {"q": "%"})) == [] and found(client.get(SEARCH, {"q": "_"})) == []


def test_it_caps_the_results_and_says_so(client, world, django_assert_max_num_queries):
    for n in range(25):
        make_unit(f"GZ-TH-{n + 10:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(8):
        response = client.get(SEARCH, {"q": "班组"})
    assert len(found(response)) == queries.UNIT_SEARCH_LIMIT and response.context["more_matches"]
    assert "20" in response.content.decode()


def test_it_refuses_those_who_see_no_units(client, world):
    client.force_login(world.outsider)
    assert client.get(SEARCH, {"q": "政企"}).status_code == 403
    client.force_login(world.manager)
    assert found(client.get(SEARCH, {"q": "政企"})) == []
    client.logout()
    assert client.get(SEARCH, {"q": "政企"}).status_code == 302


def test_it_shows_the_results_on_the_tree_page_without_script(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(TREE, {"q": "政企"})
    assert found(response) == ["GZ-TH-01"]
    assert 'value="政企"' in response.content.decode()


def test_it_reveals_a_unit_in_its_place(client, world):
    client.force_login(world.province_admin)
    response = client.get(TREE, {"open": "GZ-TH-01"})
    assert response.status_code == 200
    province = response.context["roots"][0]
    city = next(node for node in province.level.nodes if node.unit.code == "GZ")
    district = city.level.nodes[0]
    assert district.unit.code == "GZ-TH" and district.level.nodes[0].unit.code == "GZ-TH-01"
    # Only the path opens: the other city stays closed.
    assert next(node for node in province.level.nodes if node.unit.code == "SZ").level is None
    body = response.content.decode()
    assert f'<li id="tree-{world.team_a.pk}" class="tree-revealed">' in body
    assert "政企二班" not in body


def test_it_reveals_a_unit_beyond_the_first_page_on_its_own_page(client, world, monkeypatch):
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 3)
    for n in range(2, 12):
        make_unit(f"GZ-TH-{n:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
    make_unit("GZ-TH-00", "综合部", OrgUnit.Kind.DEPARTMENT, world.district_a)
    client.force_login(world.city_admin_a)
    children = reverse("org:tree_children", args=["GZ-TH"])
    # 01..11 then the department 00, three a page: each unit opens on its own page, which
    # offers the pages before and after it.
    for code, page, earlier, later in (("GZ-TH-08", ["GZ-TH-07", "GZ-TH-08", "GZ-TH-09"], 3, 9),
                                       ("GZ-TH-00", ["GZ-TH-10", "GZ-TH-11", "GZ-TH-00"], 6, None),
                                       ("GZ-TH-02", ["GZ-TH-01", "GZ-TH-02", "GZ-TH-03"], None, 3)):
        response = client.get(TREE, {"open": code})
        level = response.context["roots"][0].level.nodes[0].level
        assert [node.unit.code for node in level.nodes] == page, code
        assert (level.earlier_offset, level.next_offset) == (earlier, later), code
        body = response.content.decode()
        assert (f'hx-get="{children}?offset={earlier}&amp;earlier=1"' in body) == (earlier is not None)


def test_it_fetches_the_page_before_without_a_page_after(client, world, monkeypatch):
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 3)
    for n in range(2, 12):
        make_unit(f"GZ-TH-{n:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    response = client.get(reverse("org:tree_children", args=["GZ-TH"]), {"offset": 3, "earlier": 1})
    level = response.context["level"]
    assert [node.unit.code for node in level.nodes] == ["GZ-TH-04", "GZ-TH-05", "GZ-TH-06"]
    assert (level.earlier_offset, level.next_offset) == (0, None)
    # The first unit it adds takes the focus from the button it replaces.
    assert response.content.decode().count("data-tree-focus") == 1


def test_it_opens_the_revealed_unit_itself(client, world):
    client.force_login(world.city_admin_a)
    root = client.get(TREE, {"open": "GZ-TH"}).context["roots"][0]
    assert [node.unit.code for node in root.level.nodes[0].level.nodes] == ["GZ-TH-01"]
    assert client.get(TREE, {"open": "GZ"}).context["revealed"] == world.city_a


@pytest.mark.parametrize("code", ["SZ-NS-01", "GD", "NOPE"])
def test_it_refuses_to_reveal_a_unit_out_of_scope(client, world, code):
    client.force_login(world.city_admin_a)
    assert client.get(TREE, {"open": code}).status_code == 404


def test_it_reveals_in_queries_that_grow_with_depth_only(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(25) as first:
        client.get(TREE, {"open": "GZ-TH-01"})
    for n in range(30):
        team = make_unit(f"GZ-TH-{n + 10:02d}", f"班组{n}", OrgUnit.Kind.TEAM, world.district_a)
        make_unit(f"GZ-TH-{n + 10:02d}-A", "小组", OrgUnit.Kind.TEAM, team)
        make_unit(f"C{n:02d}", f"城市{n}", OrgUnit.Kind.CITY, world.province)
    with django_assert_max_num_queries(len(first.captured_queries)):
        client.get(TREE, {"open": "GZ-TH-01"})
