import pytest

from casspath.api.models import ApiToken, hash_secret
from casspath.api.tests.helpers import bearer, make_token
from casspath.core.models import AuditEvent

pytestmark = pytest.mark.urls("casspath.api.tests.urls")

URL = "/accounts/tokens/"


def test_it_sends_anonymous_to_login(client, world):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_lists_only_my_tokens(client, world):
    make_token(world.city_admin_a, "my sync")
    make_token(world.city_admin_b, "their sync")
    client.force_login(world.city_admin_a)
    response = client.get(URL)
    assert response.status_code == 200
    assert "my sync" in response.text and "their sync" not in response.text


def test_it_creates_a_token_and_shows_the_secret_once(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(URL, {"name": "HR nightly sync", "expires_in": "90"}, follow=True)
    assert response.redirect_chain == [(URL, 302)]
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get(user=world.city_admin_a)
    secret = response.context["secret"]
    assert secret in response.text and token.secret_hash == hash_secret(secret)
    assert token.name == "HR nightly sync" and token.expires_at is not None
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 200
    again = client.get(URL)
    assert secret not in again.text and token.prefix in again.text


def test_it_creates_no_second_token_when_the_page_is_refreshed(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(URL, {"name": "HR nightly sync", "expires_in": "90"})
    assert response.status_code == 302 and response["Location"] == URL
    shown = client.get(URL)
    refreshed = client.get(URL)
    assert ApiToken.objects.filter(user=world.city_admin_a).count() == 1
    assert shown.context["secret"] and shown.context["secret"] not in refreshed.text
    assert "casspath_new_token" not in client.session


def test_it_never_shows_a_secret_waiting_in_another_users_session(client, world):
    token, _ = make_token(world.city_admin_b)
    client.force_login(world.city_admin_a)
    session = client.session
    session["casspath_new_token"] = {"id": token.pk, "secret": "forged"}
    session.save()
    assert "forged" not in client.get(URL).text


def test_it_refuses_a_blank_name(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(URL, {"name": "   ", "expires_in": ""})
    assert response.status_code == 200
    assert response.context["form"].errors["name"]
    assert ApiToken.objects.count() == 0


def test_it_refuses_an_unknown_expiry(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(URL, {"name": "x", "expires_in": "7"})
    assert response.context["form"].errors["expires_in"]
    assert ApiToken.objects.count() == 0


def test_it_revokes_my_token(client, world):
    token, secret = make_token(world.city_admin_a)
    client.force_login(world.city_admin_a)
    response = client.post(f"{URL}{token.prefix}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert AuditEvent.objects.filter(verb="api_token.revoke", actor=world.city_admin_a).count() == 1
    client.post(f"{URL}{token.prefix}/revoke/")
    assert AuditEvent.objects.filter(verb="api_token.revoke").count() == 1


def test_it_does_not_revoke_someone_elses_token(client, world):
    token, _ = make_token(world.city_admin_b)
    client.force_login(world.city_admin_a)
    assert client.post(f"{URL}{token.prefix}/revoke/").status_code == 404
    token.refresh_from_db()
    assert token.revoked_at is None


def test_it_revokes_only_by_post(client, world):
    token, _ = make_token(world.city_admin_a)
    client.force_login(world.city_admin_a)
    assert client.get(f"{URL}{token.prefix}/revoke/").status_code == 405
    token.refresh_from_db()
    assert token.revoked_at is None
