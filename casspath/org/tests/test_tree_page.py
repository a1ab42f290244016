from django.urls import reverse

URL = reverse("org:tree")


def test_it_shows_a_city_admin_his_city_only(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert response.status_code == 200
    body = response.content.decode()
    assert "广州分公司" in body and "政企一班" in body
    assert "深圳分公司" not in body and "政企二班" not in body
    assert "广东公司" not in body


def test_it_counts_active_heads_per_subtree(client, world):
    world.colleague.status = "left"
    world.colleague.save(update_fields=["status"])
    client.force_login(world.province_admin)
    response = client.get(URL)
    roots = response.context["roots"]
    assert [node.unit.code for node in roots] == ["GD"]
    assert roots[0].headcount == 3  # T0001, E0001, E0100: E0002 left
    cities = {node.unit.code: node.headcount for node in roots[0].children}
    assert cities == {"GZ": 2, "SZ": 1}
    assert f'href="{reverse("org:employee_list")}?unit=GZ-TH-01"' in response.content.decode()


def test_it_lets_a_team_lead_see_his_team(client, world):
    client.force_login(world.team_lead)
    response = client.get(URL)
    assert [node.unit.code for node in response.context["roots"]] == ["GZ-TH-01"]


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


def test_it_keeps_queries_constant(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(12):
        assert client.get(URL).status_code == 200
