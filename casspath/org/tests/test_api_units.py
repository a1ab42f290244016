"""GET /api/v1/org/units (a page of the units in scope, by cursor, searched and narrowed to
a subtree) and GET /api/v1/org/units/{code}."""

from casspath.org.models import OrgUnit
from casspath.testing import make_unit

API = "/api/v1/org"


def codes(body) -> list[str]:
    return [row["code"] for row in body["items"]]


def test_it_lists_the_scope_in_tree_order(client, world):
    client.force_login(world.province_admin)
    response = client.get(f"{API}/units")
    assert response.status_code == 200
    body = response.json()
    assert codes(body) == ["GD", "GZ", "GZ-TH", "GZ-TH-01", "SZ", "SZ-NS", "SZ-NS-01"]
    assert body["items"][0] == {"code": "GD", "name": "广东公司", "kind": "province", "parent_code": None,
                                "depth": 0, "headcount": 4}
    assert [row["headcount"] for row in body["items"]] == [4, 3, 3, 3, 1, 1, 1]
    assert (body["count"], body["count_exact"], body["next_cursor"], body["previous_cursor"]) == (
        7, True, None, None)


def test_it_lists_a_city_admin_his_city_only(client, world):
    client.force_login(world.city_admin_b)
    body = client.get(f"{API}/units").json()
    assert [(row["code"], row["parent_code"]) for row in body["items"]] == [
        ("SZ", "GD"), ("SZ-NS", "SZ"), ("SZ-NS-01", "SZ-NS")]
    assert body["count"] == 3
    # Nor by searching, nor by asking for another city's subtree (the same refusal as none).
    assert codes(client.get(f"{API}/units", {"q": "政企"}).json()) == ["SZ-NS-01"]
    assert client.get(f"{API}/units", {"q": "GZ"}).json()["items"] == []
    other, absent = (client.get(f"{API}/units", {"under": code}) for code in ("GZ", "NOPE"))
    assert other.status_code == absent.status_code == 422
    assert other.json()["errors"][0]["field"] == "under"
    assert "GZ" in other.json()["detail_zh"] and "outside your scope" in other.json()["detail_en"]


def test_it_pages_by_cursor_forwards_and_back(client, world):
    client.force_login(world.province_admin)
    first = client.get(f"{API}/units", {"page_size": 3}).json()
    assert codes(first) == ["GD", "GZ", "GZ-TH"] and first["previous_cursor"] is None
    second = client.get(f"{API}/units", {"page_size": 3, "cursor": first["next_cursor"]}).json()
    assert codes(second) == ["GZ-TH-01", "SZ", "SZ-NS"]
    last = client.get(f"{API}/units", {"page_size": 3, "cursor": second["next_cursor"]}).json()
    assert codes(last) == ["SZ-NS-01"] and last["next_cursor"] is None
    back = client.get(f"{API}/units", {"page_size": 3, "cursor": last["previous_cursor"]}).json()
    assert codes(back) == codes(second)
    assert first["count"] == second["count"] == 7


def test_it_refuses_a_forged_cursor_in_both_languages(client, world):
    client.force_login(world.city_admin_a)
    for cursor in ("nonsense", "eyJhIjoiMDAwMDEvIn0:forged", "x" * 400):
        response = client.get(f"{API}/units", {"cursor": cursor})
        assert response.status_code in (400, 422), cursor
        body = response.json()
        assert body["detail_zh"] and body["detail_en"]
    response = client.get(f"{API}/units", {"cursor": "nonsense"})
    assert response.status_code == 400
    assert "分页游标无效" in response.json()["detail_zh"] and "Invalid cursor" in response.json()["detail_en"]
    # A cursor of the employee list is not one of this list.
    employees = client.get(f"{API}/employees", {"page_size": 1}).json()
    assert client.get(f"{API}/units", {"cursor": employees["next_cursor"]}).status_code == 400


def test_it_searches_as_the_tree_does_and_narrows_to_a_subtree(client, world):
    make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    make_unit("GZ-YX-01", "政企三班", OrgUnit.Kind.TEAM, OrgUnit.objects.get(code="GZ-YX"))
    client.force_login(world.province_admin)
    assert codes(client.get(f"{API}/units", {"q": "政企"}).json()) == ["GZ-TH-01", "GZ-YX-01", "SZ-NS-01"]
    assert codes(client.get(f"{API}/units", {"q": "gz-th"}).json()) == ["GZ-TH", "GZ-TH-01"]
    assert codes(client.get(f"{API}/units", {"under": "gz-yx"}).json()) == ["GZ-YX", "GZ-YX-01"]
    body = client.get(f"{API}/units", {"under": "GZ", "q": "政企"}).json()
    assert codes(body) == ["GZ-TH-01", "GZ-YX-01"] and body["count"] == 2


def test_it_counts_no_further_than_the_cap(client, world, monkeypatch):
    from casspath.core import paging

    monkeypatch.setattr(paging, "COUNT_CAP", 5)
    client.force_login(world.province_admin)
    body = client.get(f"{API}/units", {"page_size": 2}).json()
    assert (body["count"], body["count_exact"]) == (5, False)


def test_it_reads_a_page_in_queries_that_do_not_grow_with_the_scope(client, world,
                                                                   django_assert_max_num_queries):
    client.force_login(world.province_admin)
    client.get(f"{API}/units", {"page_size": 5})
    with django_assert_max_num_queries(20) as few:
        client.get(f"{API}/units", {"page_size": 5})
    for n in range(30):
        make_unit(f"C{n:02d}", f"城市{n}", OrgUnit.Kind.CITY, world.province)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert len(client.get(f"{API}/units", {"page_size": 5}).json()["items"]) == 5


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
        body = client.get(f"{API}/units").json()
        assert (body["items"], body["count"]) == ([], 0)
        assert client.get(f"{API}/units/GZ-TH-01").status_code == 404


def test_it_answers_401_to_anonymous(client, world):
    assert client.get(f"{API}/units").status_code == 401
    assert client.get(f"{API}/units/GD").status_code == 401
