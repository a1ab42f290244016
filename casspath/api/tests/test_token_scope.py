"""A token reaches exactly what its user reaches on the pages (org endpoints)."""

from casspath.api.actions import do_revoke_token
from casspath.api.tests.helpers import ACTOR, bearer, make_token


def test_it_a_city_admins_token_lists_only_his_city(client, world):
    _, secret = make_token(world.city_admin_a)
    response = client.get("/api/v1/org/units", **bearer(secret))
    assert response.status_code == 200
    codes = {unit["code"] for unit in response.json()["items"]}
    assert "GZ" in codes and "GZ-TH-01" in codes
    assert not codes & {"SZ", "SZ-NS", "SZ-NS-01", "GD"}


def test_it_a_city_admins_token_cannot_read_the_other_city(client, world):
    _, secret = make_token(world.city_admin_a)
    assert client.get("/api/v1/org/units/SZ", **bearer(secret)).status_code == 404
    response = client.get("/api/v1/org/employees/E0100", **bearer(secret))
    assert response.status_code == 404
    assert response.json()["detail_zh"] and response.json()["detail_en"]
    listed = client.get("/api/v1/org/employees", **bearer(secret)).json()
    assert "E0100" not in {item["employee_no"] for item in listed["items"]}
    assert "E0001" in {item["employee_no"] for item in listed["items"]}


def test_it_the_other_city_admins_token_reads_it(client, world):
    _, secret = make_token(world.city_admin_b)
    assert client.get("/api/v1/org/employees/E0100", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/org/employees/E0001", **bearer(secret)).status_code == 404


def test_it_a_managers_token_sees_only_himself(client, world):
    _, secret = make_token(world.manager)
    assert client.get("/api/v1/org/employees/E0001", **bearer(secret)).status_code == 200
    assert client.get("/api/v1/org/employees/E0002", **bearer(secret)).status_code == 404


def test_it_a_revoked_token_reads_nothing(client, world):
    token, secret = make_token(world.province_admin)
    do_revoke_token(token, acting_user=ACTOR)
    assert client.get("/api/v1/org/units", **bearer(secret)).status_code == 401
    assert client.get("/api/v1/org/employees", **bearer(secret)).status_code == 401
