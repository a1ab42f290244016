"""The org tree page: the user's scope roots and their children, each with its headcount;
deeper levels open on demand (test_tree_children.py)."""

from django.urls import reverse

from casspath.org import queries
from casspath.org.models import OrgUnit
from casspath.testing import make_employee, make_unit

URL = reverse("org:tree")


def codes(nodes):
    return [node.unit.code for node in nodes]


def test_it_shows_a_city_admin_his_city_and_its_districts_only(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "广州分公司" in body and "天河区" in body
    assert "深圳分公司" not in body and "南山区" not in body and "广东公司" not in body
    # The teams are one level further: their district offers to open them.
    assert "政企一班" not in body
    assert f'data-children-url="{reverse("org:tree_children", args=["GZ-TH"])}"' in body


def test_it_counts_active_heads_per_subtree(client, world):
    world.colleague.status = "left"
    world.colleague.save(update_fields=["status"])
    client.force_login(world.province_admin)
    response = client.get(URL)
    roots = response.context["roots"]
    assert codes(roots) == ["GD"]
    assert roots[0].headcount == 3  # T0001, E0001, E0100: E0002 left
    assert {node.unit.code: node.headcount for node in roots[0].level.nodes} == {"GZ": 2, "SZ": 1}
    assert [node.child_count for node in roots[0].level.nodes] == [1, 1]
    body = response.content.decode()
    # The headcount links to the list of the people it counts: the active ones.
    assert f'href="{reverse("org:employee_list")}?unit=GZ&amp;status=active"' in body
    assert f'href="{reverse("org:unit_detail", args=["GZ"])}"' in body


def test_it_counts_people_directly_in_a_root_and_deep_below_it(client, world):
    make_employee("E0200", "省直员工", world.province)
    deep = make_unit("GZ-TH-01-A", "一组", OrgUnit.Kind.TEAM, world.team_a)
    make_employee("E0201", "深层员工", deep)
    client.force_login(world.province_admin)
    roots = client.get(URL).context["roots"]
    assert roots[0].headcount == 6 and roots[0].own_headcount == 1
    assert {node.unit.code: node.headcount for node in roots[0].level.nodes} == {"GZ": 4, "SZ": 1}


def test_it_puts_departments_after_the_line_units(client, world):
    make_unit("GD-JK", "集团客户部", OrgUnit.Kind.DEPARTMENT, world.province)
    make_unit("AA", "第一分公司", OrgUnit.Kind.CITY, world.province)
    client.force_login(world.province_admin)
    roots = client.get(URL).context["roots"]
    assert codes(roots[0].level.nodes) == ["AA", "GZ", "SZ", "GD-JK"]


def test_it_shows_each_of_several_scope_roots(client, world):
    from casspath.org.models import Role, RoleAssignment

    RoleAssignment.objects.create(user=world.outsider, role=Role.ANALYST, org_unit=world.team_a)
    RoleAssignment.objects.create(user=world.outsider, role=Role.ANALYST, org_unit=world.city_b)
    client.force_login(world.outsider)
    roots = client.get(URL).context["roots"]
    assert codes(roots) == ["GZ-TH-01", "SZ"]
    assert [node.headcount for node in roots] == [3, 1]
    assert roots[0].level is None and codes(roots[1].level.nodes) == ["SZ-NS"]


def test_it_lets_a_team_lead_see_his_team(client, world):
    client.force_login(world.team_lead)
    response = client.get(URL)
    assert codes(response.context["roots"]) == ["GZ-TH-01"]
    assert response.context["roots"][0].headcount == 3


def test_it_shows_a_superuser_every_root(client, world):
    from casspath.core.models import User

    make_unit("HN", "海南公司", OrgUnit.Kind.PROVINCE)
    client.force_login(User.objects.create_superuser("root", password="x-y-z-w-v"))
    assert codes(client.get(URL).context["roots"]) == ["GD", "HN"]


def test_it_refuses_the_outsider_and_an_account_manager(client, world):
    client.force_login(world.outsider)
    assert client.get(URL).status_code == 403
    client.force_login(world.manager)
    response = client.get(URL)
    # A manager may see himself, not units: the page has no unit for him.
    assert response.status_code == 200
    assert response.context["roots"] == []


def test_it_sends_anonymous_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_it_keeps_queries_constant_in_units_and_people(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(12) as first:
        assert client.get(URL).status_code == 200
    for n in range(12):
        city = make_unit(f"C{n:02d}", f"城市{n}", OrgUnit.Kind.CITY, world.province)
        district = make_unit(f"C{n:02d}-D", f"区{n}", OrgUnit.Kind.DISTRICT, city)
        for t in range(3):
            team = make_unit(f"C{n:02d}-D-{t}", f"班组{t}", OrgUnit.Kind.TEAM, district)
            make_employee(f"X{n:02d}{t}", f"员工{n}{t}", team)
    with django_assert_max_num_queries(len(first.captured_queries)):
        response = client.get(URL)
    assert response.context["roots"][0].headcount == 4 + 36
    assert len(response.context["roots"][0].level.nodes) == 14


def test_it_renders_only_the_top_two_levels(client, world, monkeypatch):
    # Three levels below the province: the page holds the cities and no more.
    monkeypatch.setattr(queries.tree, "TREE_PAGE", 5)
    for n in range(8):
        make_unit(f"C{n:02d}", f"城市{n}", OrgUnit.Kind.CITY, world.province)
    client.force_login(world.province_admin)
    response = client.get(URL)
    level = response.context["roots"][0].level
    assert len(level.nodes) == 5 and level.total == 10 and level.next_offset == 5
    body = response.content.decode()
    assert f'{reverse("org:tree_children", args=["GD"])}?offset=5' in body
    assert "天河区" not in body


def test_it_gives_a_search_example_from_the_users_own_tree(client, world):
    make_unit("SZ-FT", "福田区", OrgUnit.Kind.DISTRICT, world.city_b)
    client.force_login(world.city_admin_b)
    body = client.get(URL, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert 'placeholder="例如 福田 或 SZ-FT"' in body  # the first district shown, by code
    client.force_login(world.city_admin_a)
    english = client.get(URL, HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'placeholder="e.g. 天河 or GZ-TH"' in english
    found = client.get(reverse("org:tree_search"), {"q": "天河"}).content.decode()
    assert "GZ-TH" in found and 'class="small text-nowrap"' in found


def _counts_people(queries) -> bool:
    return any("GROUP BY" in q["sql"] and '"org_employee"' in q["sql"] for q in queries)


def test_it_keeps_the_headcounts_while_nothing_changes(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(12) as first:
        client.get(URL)
    with django_assert_max_num_queries(12) as again:
        response = client.get(URL)
    assert _counts_people(first.captured_queries) and not _counts_people(again.captured_queries)
    nodes = response.context["roots"][0].level.nodes
    assert {node.unit.code: node.headcount for node in nodes} == {"GZ": 3, "SZ": 1}


def test_it_counts_a_hire_and_a_transfer_at_once(client, world):
    from datetime import date

    from casspath.org.actions.employees import do_update_employee, do_upsert_employee

    def headcounts():
        roots = client.get(URL).context["roots"]
        return roots[0].headcount, {node.unit.code: node.headcount for node in roots[0].level.nodes}

    client.force_login(world.province_admin)
    assert headcounts() == (4, {"GZ": 3, "SZ": 1})
    do_upsert_employee({"employee_no": "E0200", "name": "新同事", "org_unit": world.team_a,
                        "hire_date": date(2024, 3, 1)}, acting_user=world.city_admin_a)
    assert headcounts() == (5, {"GZ": 4, "SZ": 1})
    do_update_employee(world.colleague, {"org_unit": world.team_b}, acting_user=world.province_admin)
    assert headcounts() == (5, {"GZ": 3, "SZ": 2})


def test_it_shows_a_city_admin_his_own_city_after_the_province_was_kept(client, world):
    client.force_login(world.province_admin)
    assert "深圳分公司" in client.get(URL).content.decode()
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert [node.unit.code for node in response.context["roots"]] == ["GZ"]
    assert "深圳分公司" not in response.content.decode()
    assert client.get(reverse("org:tree_children", args=["GD"])).status_code == 404
