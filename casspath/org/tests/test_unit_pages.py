from django.urls import reverse

from casspath.core.models import AuditEvent
from casspath.org.models import OrgUnit
from casspath.org.tree import path_for
from casspath.testing import make_unit


def test_it_shows_a_unit_with_its_subunits_and_headcount(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(reverse("org:unit_detail", args=["GZ"]))
    assert response.status_code == 200
    assert response.context["headcount"] == {"active": 3, "left": 0}
    assert [(n.unit.code, n.headcount) for n in response.context["children"].nodes] == [("GZ-TH", 3)]
    assert response.context["org_path"] == ["广东公司", "广州分公司"]


def test_it_hides_units_out_of_scope(client, world):
    client.force_login(world.city_admin_a)
    assert client.get(reverse("org:unit_detail", args=["SZ"])).status_code == 404
    assert client.get(reverse("org:unit_detail", args=["GD"])).status_code == 404
    assert client.get(reverse("org:unit_edit", args=["SZ"])).status_code == 404
    client.force_login(world.manager)
    assert client.get(reverse("org:unit_detail", args=["GZ-TH-01"])).status_code == 404


def test_it_creates_a_unit_under_one_in_scope(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:unit_create"), {
        "code": "GZ-YX", "name": "越秀区", "kind": "district", "parent": "GZ"})
    assert response.status_code == 302
    unit = OrgUnit.objects.get(code="GZ-YX")
    assert (unit.path, unit.depth) == path_for(unit, world.city_a) and unit.depth == 2
    assert AuditEvent.objects.filter(verb="org_unit.create", object_id=str(unit.pk)).exists()


def test_it_refuses_a_parent_out_of_scope_a_root_and_a_duplicate_code(client, world):
    client.force_login(world.city_admin_a)
    url = reverse("org:unit_create")
    for data in ({"code": "SZ-X", "name": "x", "kind": "team", "parent": "SZ"},
                 {"code": "ROOT", "name": "x", "kind": "province", "parent": ""},
                 {"code": "GZ-TH", "name": "x", "kind": "team", "parent": "GZ"},
                 {"code": "bad code!", "name": "x", "kind": "team", "parent": "GZ"}):
        response = client.post(url, data)
        assert response.status_code == 200, data
        assert response.context["form"].errors, data
    assert not OrgUnit.objects.filter(code__in=["SZ-X", "ROOT", "bad code!"]).exists()


def test_it_refuses_unit_pages_to_a_team_lead(client, world):
    client.force_login(world.team_lead)
    assert client.get(reverse("org:unit_create")).status_code == 403
    assert client.get(reverse("org:unit_edit", args=["GZ-TH-01"])).status_code == 404


def test_it_moves_a_unit_and_recomputes_the_subtree_paths(client, world):
    client.force_login(world.province_admin)
    response = client.post(reverse("org:unit_edit", args=["GZ-TH"]), {
        "name": "天河区（新）", "kind": "district", "parent": "SZ"})
    assert response.status_code == 302
    district = OrgUnit.objects.get(code="GZ-TH")
    team = OrgUnit.objects.get(code="GZ-TH-01")
    assert district.name == "天河区（新）" and district.parent == world.city_b
    assert (district.path, district.depth) == path_for(district, world.city_b)
    assert (team.path, team.depth) == path_for(team, district) and team.depth == 3
    # The scope follows the tree: the Shenzhen admin now reaches the moved team.
    client.force_login(world.city_admin_b)
    assert client.get(reverse("org:employee_detail", args=["E0001"])).status_code == 200


def test_it_refuses_a_move_under_its_own_subtree(client, world):
    client.force_login(world.province_admin)
    response = client.post(reverse("org:unit_edit", args=["GZ"]), {
        "name": "广州分公司", "kind": "city", "parent": "GZ-TH-01"})
    assert response.status_code == 200
    assert "parent" in response.context["form"].errors
    world.city_a.refresh_from_db()
    assert world.city_a.parent == world.province


def test_it_refuses_a_city_admin_moving_a_unit_to_another_city(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:unit_edit", args=["GZ-TH"]), {
        "name": "天河区", "kind": "district", "parent": "SZ"})
    assert response.status_code == 200 and "parent" in response.context["form"].errors
    world.district_a.refresh_from_db()
    assert world.district_a.parent == world.city_a


def test_it_lists_a_page_of_subunits_and_sends_the_rest_to_the_tree(client, world, monkeypatch,
                                                                   django_assert_max_num_queries):
    from casspath.org import queries

    monkeypatch.setattr(queries.tree, "TREE_PAGE", 2)
    client.force_login(world.city_admin_a)
    with django_assert_max_num_queries(20) as few:
        client.get(reverse("org:unit_detail", args=["GZ"]))
    for n in range(4):
        make_unit(f"GZ-X{n}", f"新区{n}", OrgUnit.Kind.DISTRICT, world.city_a)
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(reverse("org:unit_detail", args=["GZ"]))
    assert [n.unit.code for n in response.context["children"].nodes] == ["GZ-TH", "GZ-X0"]
    body = response.content.decode()
    assert f'href="{reverse("org:tree")}?open=GZ#tree-{world.city_a.pk}"' in body
    assert "另有 3 个下级单位：在组织架构中查看全部 5 个" in body


def test_it_saves_a_city_admins_own_city_under_its_province_outside_his_scope(client, world):
    client.force_login(world.city_admin_a)
    url = reverse("org:unit_edit", args=["GZ"])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["form"]["parent"].value() == "GD"  # offered as it is
    assert "广东公司 · GD" in page.content.decode()  # named under the box, though out of scope
    response = client.post(url, {"name": "广州分公司（新）", "kind": "city", "parent": "gd"})
    assert response.status_code == 302
    world.city_a.refresh_from_db()
    assert (world.city_a.name, world.city_a.parent) == ("广州分公司（新）", world.province)
    assert AuditEvent.objects.filter(verb="org_unit.update", object_id=str(world.city_a.pk)).exists()


def test_it_refuses_a_city_admin_moving_his_city_under_another_unit_out_of_scope(client, world):
    other = make_unit("HN", "湖南公司", OrgUnit.Kind.PROVINCE)
    client.force_login(world.city_admin_a)
    for parent in (other.code, "SZ"):
        response = client.post(reverse("org:unit_edit", args=["GZ"]), {
            "name": "广州分公司", "kind": "city", "parent": parent})
        assert response.status_code == 200 and "parent" in response.context["form"].errors, parent
    world.city_a.refresh_from_db()
    assert world.city_a.parent == world.province
