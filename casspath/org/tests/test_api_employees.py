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


def test_it_pages_by_cursor_at_any_depth(client, world):
    for n in range(7):
        make_employee(f"G{n:04d}", f"员工{n}", world.team_b)
    client.force_login(world.city_admin_b)
    every = nos(client.get(f"{API}/employees", {"page_size": 100}))
    seen, cursor, pages = [], None, 0
    while True:
        params = {"page_size": 3, **({"cursor": cursor} if cursor else {})}
        body = client.get(f"{API}/employees", params).json()
        seen += [item["employee_no"] for item in body["items"]]
        pages += 1
        assert body["page"] == (1 if cursor is None else None)
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert seen == every and pages == 3 and len(every) == 8
    back = client.get(f"{API}/employees", {"page_size": 3, "cursor": body["previous_cursor"]}).json()
    assert [item["employee_no"] for item in back["items"]] == every[3:6]
    numbered = client.get(f"{API}/employees", {"page_size": 3, "page": 2}).json()
    assert [item["employee_no"] for item in numbered["items"]] == every[3:6]
    assert numbered["next_cursor"] and numbered["previous_cursor"]


def test_it_refuses_a_forged_or_damaged_cursor_in_both_languages(client, world):
    from django.core import signing

    client.force_login(world.province_admin)
    good = client.get(f"{API}/employees", {"page_size": 1}).json()["next_cursor"]
    forged = [
        "x", good[:-2] + ("AA" if not good.endswith("AA") else "BB"),
        signing.dumps({"a": "E0001"}, salt="another.list"),
        signing.dumps({"a": 5}, salt="casspath.org.api.employees"),
        signing.dumps(["E0001"], salt="casspath.org.api.employees"),
        "a" * 400,
    ]
    for cursor in forged:
        response = client.get(f"{API}/employees", {"cursor": cursor})
        assert response.status_code in (400, 422), cursor
        body = response.json()
        assert body["detail_zh"] and body["detail_en"], cursor
    response = client.get(f"{API}/employees", {"cursor": "x"})
    assert response.status_code == 400 and "cursor" in response.json()["detail_en"]
    assert client.get(f"{API}/employees", {"cursor": good, "page": 2}).status_code == 400


def test_it_refuses_a_page_number_too_deep_and_points_to_the_cursor(client, world):
    client.force_login(world.province_admin)
    response = client.get(f"{API}/employees", {"page": 202, "page_size": 50})
    assert response.status_code == 400
    assert "next_cursor" in response.json()["detail_en"] and "next_cursor" in response.json()["detail_zh"]
    assert client.get(f"{API}/employees", {"page": 201, "page_size": 50}).json()["items"] == []


def test_it_caps_the_count(client, world, monkeypatch):
    monkeypatch.setattr("casspath.core.paging.COUNT_CAP", 3)
    client.force_login(world.province_admin)
    body = client.get(f"{API}/employees", {"page_size": 2}).json()
    assert (body["count"], body["count_exact"], body["pages"]) == (3, False, None)
    assert len(body["items"]) == 2 and body["next_cursor"]
    body = client.get(f"{API}/employees", {"unit": "SZ"}).json()
    assert (body["count"], body["count_exact"], body["pages"]) == (1, True, 1)


def test_it_searches_phones_only_where_the_caller_reads_them(client, world):
    RoleAssignment.objects.create(user=world.outsider, role=Role.CONSULTANT, org_unit=world.province)
    client.force_login(world.outsider)
    assert nos(client.get(f"{API}/employees", {"q": "1391234"})) == []
    client.force_login(world.city_admin_a)
    assert nos(client.get(f"{API}/employees", {"q": "1391234"})) == ["E0001"]


def test_it_answers_in_the_schema_it_documents(client, world):
    """The list is built without validation (api/renderers.py, built_answer): what it sends
    must still be what the schema says, field for field and type for type, as one employee
    (validated by ninja) is."""
    from casspath.org.api import EmployeeOut, EmployeePageOut

    client.force_login(world.province_admin)
    response = client.get(f"{API}/employees")
    body = response.json()
    assert EmployeePageOut.model_validate(body).model_dump(mode="json") == body
    assert list(body["items"][0]) == list(EmployeeOut.model_fields)
    one = client.get(f"{API}/employees/E0001")
    assert body["items"][0] == one.json()
    assert response["Content-Type"] == one["Content-Type"] == "application/json; charset=utf-8"
