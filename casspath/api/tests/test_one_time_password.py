"""A user still holding his one-time password reaches no API with his session, whatever
header he adds; only a real token is judged on its own."""

import pytest
from django.test import Client

from casspath.api.models import ApiToken
from casspath.api.tests.helpers import bearer, make_token


@pytest.fixture
def one_time(world):
    world.manager.must_change_password = True
    world.manager.save(update_fields=["must_change_password"])
    client = Client()
    client.force_login(world.manager)
    return client


def test_it_refuses_a_token_to_a_session_with_a_fake_bearer_header(one_time):
    response = one_time.post("/api/v1/tokens", {"name": "forever"}, content_type="application/json",
                             HTTP_AUTHORIZATION="Bearer anything")
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail_en"]
    assert "一次性密码" in response.json()["detail_zh"]
    assert ApiToken.objects.count() == 0


@pytest.mark.parametrize("header", ["Bearer anything", "Bearer ", "Token abc", "Basic Zm9vOmJhcg=="])
def test_it_refuses_reads_with_the_session_whatever_the_header(one_time, header):
    response = one_time.get("/api/v1/org/employees", HTTP_AUTHORIZATION=header)
    assert response.status_code in (401, 403)
    assert "detail_zh" in response.json()


def test_it_refuses_session_reads_without_a_header(one_time):
    response = one_time.get("/api/v1/me")
    assert response.status_code == 403
    assert "one-time password" in response.json()["detail_en"]


def test_it_judges_a_valid_token_by_itself(one_time, world):
    # A token made by an operator (CLI) for an integration account stays usable.
    _, secret = make_token(world.manager)
    response = Client().get("/api/v1/me", **bearer(secret))
    assert response.status_code == 200 and response.json()["username"] == "E0001"


def test_it_never_falls_back_to_the_session_on_a_foreign_scheme(client, world):
    client.force_login(world.city_admin_a)
    response = client.get("/api/v1/me", HTTP_AUTHORIZATION="Token abc")
    assert response.status_code == 401
    assert "Bearer" in response.json()["detail_en"]


def test_it_still_redirects_pages_to_the_password_change(one_time):
    response = one_time.get("/accounts/tokens/")
    assert response.status_code == 302 and response["Location"] == "/accounts/password/"
