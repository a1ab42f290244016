from casspath.org.models import Role, RoleAssignment
from casspath.testing import make_employee

API = "/api/v1/org"


def nos(response):
    return [item["employee_no"] for item in response.json()["items"]]


def test_it_lists_the_scope_with_filters(client, world):
    client.force_login(world.province_admin)
    response = client.get(f"{API}/employees")
    assert response.status_code == 200
    body = response.json()
    assert (body["count"], body["page"], body["pages"]) == (4, 1, 1)
    assert nos(response) == ["E0001", "E0002", "E0100", "T0001"]
    assert nos(client.get(f"{API}/employees", {"unit": "SZ"})) == ["E0100"]
    assert nos(client.get(f"{API}/employees", {"position": "班组长"})) == ["T0001"]
    assert nos(client.get(f"{API}/employees", {"q": "赵"})) == ["E0002"]


def test_it_paginates(client, world):
    for n in range(5):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_b)
    client.force_login(world.city_admin_b)
    body = client.get(f"{API}/employees", {"page_size": 4, "page": 2}).json()
    assert (body["count"], body["pages"], len(body["items"])) == (6, 2, 2)
    assert client.get(f"{API}/employees", {"page_size": 1000}).status_code == 422


def test_it_masks_phones_unless_allowed(client, world):
    RoleAssignment.objects.create(user=world.outsider, role=Role.ANALYST, org_unit=world.city_a)
    client.force_login(world.outsider)
    item = client.get(f"{API}/employees/E0001").json()
    assert (item["phone"], item["personal_data_masked"]) == ("139****5678", True)
    client.force_login(world.city_admin_a)
    item = client.get(f"{API}/employees/E0001").json()
    assert (item["phone"], item["personal_data_masked"]) == ("13912345678", False)
    assert item["org_unit_code"] == "GZ-TH-01" and item["has_login"] is True
    assert item["stage"] in {"growth", "development", "maturity"}


def test_it_keeps_a_city_admin_in_his_city(client, world):
    client.force_login(world.city_admin_a)
    assert nos(client.get(f"{API}/employees")) == ["E0001", "E0002", "T0001"]
    assert client.get(f"{API}/employees/E0100").status_code == 404
    filtered = client.get(f"{API}/employees", {"unit": "SZ"})
    assert filtered.status_code == 422
    assert filtered.json()["errors"][0]["field"] == "unit"


def test_it_shows_a_manager_only_himself(client, world):
    client.force_login(world.manager)
    assert nos(client.get(f"{API}/employees")) == ["E0001"]
    assert client.get(f"{API}/employees/E0002").status_code == 404


def test_it_shows_the_outsider_nothing(client, world):
    client.force_login(world.outsider)
    assert client.get(f"{API}/employees").json()["count"] == 0
    assert client.get(f"{API}/employees/E0001").status_code == 404


def test_it_answers_401_to_anonymous(client, world):
    assert client.get(f"{API}/employees").status_code == 401
    assert client.get(f"{API}/employees/E0001").status_code == 401


def test_it_reports_bad_filters_in_both_languages(client, world):
    client.force_login(world.province_admin)
    response = client.get(f"{API}/employees", {"grade": "大师", "status": "gone"})
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"grade", "status"}
    assert "大师" in errors["grade"]["message_zh"] and "does not exist" in errors["grade"]["message_en"]


def test_it_lists_with_constant_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(12) as few:
        client.get(f"{API}/employees")
    for n in range(30):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_b)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert client.get(f"{API}/employees").json()["count"] == 34
