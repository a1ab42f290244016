import pytest
from django.test import Client

from casspath.api.models import ApiToken, hash_secret
from casspath.api.tests.helpers import bearer, make_token
from casspath.core.models import AuditEvent


def test_it_lists_only_my_tokens(client, world):
    make_token(world.city_admin_a, "mine")
    make_token(world.city_admin_b, "theirs")
    _, secret = make_token(world.city_admin_a, "sync")
    response = client.get("/api/v1/tokens", **bearer(secret))
    assert response.status_code == 200
    assert sorted(t["name"] for t in response.json()) == ["mine", "sync"]
    assert all("token" not in t and "secret_hash" not in t for t in response.json())


def test_it_creates_a_token_with_the_session_and_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.city_admin_a)
    csrf = "a" * 32  # what a page's {% csrf_token %} would have set as the cookie
    client.cookies["csrftoken"] = csrf
    response = client.post("/api/v1/tokens", {"name": "HR sync"}, content_type="application/json",
                           HTTP_X_CSRFTOKEN=csrf)
    assert response.status_code == 201, response.content
    body = response.json()
    token = ApiToken.objects.get(prefix=body["prefix"])
    assert token.user == world.city_admin_a and token.name == "HR sync"
    assert token.secret_hash == hash_secret(body["token"])
    assert Client().get("/api/v1/me", **bearer(body["token"])).json()["username"] == "gzadmin"
    assert AuditEvent.objects.filter(verb="api_token.create", object_id=str(token.pk)).count() == 1


def test_it_enforces_csrf_for_session_calls(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.city_admin_a)
    response = client.post("/api/v1/tokens", {"name": "x"}, content_type="application/json")
    assert response.status_code == 403
    assert "CSRF" in response.json()["detail_en"]
    assert ApiToken.objects.count() == 0


def test_it_refuses_to_create_a_token_with_a_token(client, world):
    _, secret = make_token(world.city_admin_a)
    response = client.post("/api/v1/tokens", {"name": "more"}, content_type="application/json",
                           **bearer(secret))
    assert response.status_code == 401
    assert ApiToken.objects.count() == 1


def test_it_a_token_call_needs_no_csrf(world):
    token, secret = make_token(world.city_admin_a)
    response = Client(enforce_csrf_checks=True).delete(f"/api/v1/tokens/{token.prefix}", **bearer(secret))
    assert response.status_code == 204
    token.refresh_from_db()
    assert token.revoked_at is not None


def test_it_revokes_only_my_tokens(client, world):
    theirs, _ = make_token(world.city_admin_b)
    _, secret = make_token(world.city_admin_a)
    response = client.delete(f"/api/v1/tokens/{theirs.prefix}", **bearer(secret))
    assert response.status_code == 404
    assert response.json()["detail_en"] == "Not found"
    theirs.refresh_from_db()
    assert theirs.revoked_at is None


@pytest.mark.parametrize(("body", "field"), [
    ({}, "name"),
    ({"name": ""}, "name"),
    ({"name": "x" * 101}, "name"),
    ({"name": "ok", "expires_at": "tomorrow"}, "expires_at"),
    ({"name": "ok", "expires_at": "2001-01-01T00:00:00Z"}, "expires_at"),
])
def test_it_names_the_bad_field(client, world, body, field):
    client.force_login(world.city_admin_a)
    response = client.post("/api/v1/tokens", body, content_type="application/json")
    assert response.status_code == 422
    payload = response.json()
    assert [e["field"] for e in payload["errors"]] == [field]
    assert field in payload["detail_zh"] and field in payload["detail_en"]
    assert payload["errors"][0]["message_zh"] and payload["errors"][0]["message_en"]
    assert ApiToken.objects.count() == 0
