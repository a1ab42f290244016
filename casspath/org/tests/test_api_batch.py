import json

from casspath.org.models import Employee

API = "/api/v1/org/employees:batch"


def post(client, items):
    return client.post(API, data=json.dumps({"employees": items}), content_type="application/json")


def item(no, **fields):
    base = {"employee_no": no, "name": f"员工{no}", "org_unit": "GZ-TH-01", "hire_date": "2023-01-01"}
    return {**base, **fields}


def test_it_upserts_many_in_one_call(client, world):
    client.force_login(world.city_admin_a)
    response = post(client, [item("E0500"), item("E0501"), {"employee_no": "E0002", "grade": "senior"}])
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["created"], body["updated"], body["unchanged"]) == (2, 1, 0)
    again = post(client, [item("E0500"), item("E0501")]).json()
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)


def test_it_applies_nothing_when_one_item_is_bad(client, world):
    client.force_login(world.city_admin_a)
    response = post(client, [item("E0500"), item("E0501", phone="abc"), item("E0500")])
    assert response.status_code == 422
    fields = [e["field"] for e in response.json()["errors"]]
    assert fields == ["employees[1].phone", "employees[2].employee_no"]
    assert not Employee.objects.filter(employee_no__in=["E0500", "E0501"]).exists()


def test_it_rolls_back_when_an_item_is_out_of_sight(client, world):
    client.force_login(world.city_admin_a)
    response = post(client, [item("E0500"), item("E0100", name="改名")])
    assert response.status_code == 422
    assert [e["field"] for e in response.json()["errors"]] == ["employees[1].employee_no"]
    assert not Employee.objects.filter(employee_no="E0500").exists()
    world.city_b_employee.refresh_from_db()
    assert world.city_b_employee.name == "深圳员工"


def test_it_refuses_anonymous_and_non_admins(client, world):
    assert post(client, [item("E0500")]).status_code == 401
    client.force_login(world.team_lead)
    assert post(client, [item("E0500")]).status_code == 403
    assert not Employee.objects.filter(employee_no="E0500").exists()


def _queries_of_a_batch(client, first, size):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    items = [item(f"E{n:04d}", phone="13800000000") for n in range(first, first + size)]
    with CaptureQueriesContext(connection) as created:
        assert post(client, items).status_code == 200
    for entry in items:
        entry["name"] += "改"
    with CaptureQueriesContext(connection) as updated:
        body = post(client, items).json()
    assert body["updated"] == size and body["results"][0]["changes"]["name"][1].endswith("改")
    return len(created), len(updated)


def test_it_writes_a_batch_in_a_bounded_number_of_queries(client, world, django_assert_max_num_queries):
    client.force_login(world.city_admin_a)
    # 32: the import lock adds a query per lock key (the tree, the province, the city: one
    # each on PostgreSQL) and the re-read of the numbers under the lock of new numbers.
    with django_assert_max_num_queries(32):
        response = post(client, [item(f"E{n:04d}") for n in range(1000, 1200)])
    assert response.json()["created"] == 200
    assert Employee.objects.filter(employee_no__startswith="E1").count() == 200


def test_it_its_query_count_does_not_grow_with_the_batch(client, world):
    client.force_login(world.city_admin_a)
    assert _queries_of_a_batch(client, 2000, 10) == _queries_of_a_batch(client, 3000, 200)
