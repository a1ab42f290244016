API = "/api/v1/org"


def test_it_lists_the_scope_in_tree_order(client, world):
    client.force_login(world.province_admin)
    response = client.get(f"{API}/units")
    assert response.status_code == 200
    rows = response.json()
    assert [row["code"] for row in rows] == ["GD", "GZ", "GZ-TH", "GZ-TH-01", "SZ", "SZ-NS", "SZ-NS-01"]
    assert rows[0] == {"code": "GD", "name": "广东公司", "kind": "province", "parent_code": None,
                       "depth": 0, "headcount": 4}


def test_it_lists_a_city_admin_his_city_only(client, world):
    client.force_login(world.city_admin_b)
    rows = client.get(f"{API}/units").json()
    assert [(row["code"], row["parent_code"]) for row in rows] == [
        ("SZ", "GD"), ("SZ-NS", "SZ"), ("SZ-NS-01", "SZ-NS")]


def test_it_gives_one_unit_with_children_and_path(client, world):
    client.force_login(world.city_admin_a)
    body = client.get(f"{API}/units/GZ").json()
    assert body["path"] == ["广东公司", "广州分公司"]
    assert [child["code"] for child in body["children"]] == ["GZ-TH"]
    assert (body["headcount"], body["headcount_left"]) == (3, 0)


def test_it_answers_404_for_absent_and_not_yours_alike(client, world):
    client.force_login(world.city_admin_a)
    absent = client.get(f"{API}/units/NOPE")
    other = client.get(f"{API}/units/SZ")
    assert absent.status_code == other.status_code == 404
    assert absent.json() == other.json()


def test_it_gives_the_outsider_and_a_manager_no_units(client, world):
    for user in (world.outsider, world.manager):
        client.force_login(user)
        assert client.get(f"{API}/units").json() == []
        assert client.get(f"{API}/units/GZ-TH-01").status_code == 404


def test_it_answers_401_to_anonymous(client, world):
    assert client.get(f"{API}/units").status_code == 401
    assert client.get(f"{API}/units/GD").status_code == 401
