"""Every token ends: at most API_TOKEN_MAX_AGE after it was made, the default expiry."""

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from casspath.api.models import ApiToken
from casspath.api.tests.helpers import bearer, make_token

URL = "/accounts/tokens/"


def _days_left(token) -> float:
    return (token.expires_at - timezone.now()) / timedelta(days=1)


def test_it_gives_a_token_without_expiry_the_full_lifetime(world):
    token, _ = make_token(world.city_admin_a)
    assert 89.9 < _days_left(token) <= 90


def test_it_takes_the_lifetime_from_the_setting(world, settings):
    settings.API_TOKEN_MAX_AGE = timedelta(days=7)
    token, _ = make_token(world.city_admin_a)
    assert 6.9 < _days_left(token) <= 7


def test_it_refuses_an_expiry_beyond_the_lifetime_through_the_api(client, world):
    client.force_login(world.city_admin_a)
    later = (timezone.now() + timedelta(days=91)).isoformat()
    response = client.post("/api/v1/tokens", {"name": "long", "expires_at": later},
                           content_type="application/json")
    assert response.status_code == 422
    body = response.json()
    assert body["errors"][0]["field"] == "expires_at"
    assert "90 days" in body["detail_en"] and "90 天" in body["detail_zh"]
    assert ApiToken.objects.count() == 0


def test_it_creates_a_token_with_the_default_expiry_through_the_api(client, world):
    client.force_login(world.city_admin_a)
    response = client.post("/api/v1/tokens", {"name": "sync"}, content_type="application/json")
    assert response.status_code == 201
    token = ApiToken.objects.get(prefix=response.json()["prefix"])
    assert 89.9 < _days_left(token) <= 90 and response.json()["expires_at"]


def test_it_offers_no_never_ending_token_on_the_page(client, world, settings):
    settings.API_TOKEN_MAX_AGE = timedelta(days=60)
    client.force_login(world.city_admin_a)
    choices = [value for value, _ in client.get(URL).context["form"].fields["expires_in"].choices]
    assert choices == ["30", "60"]
    assert client.post(URL, {"name": "x", "expires_in": ""}).context["form"].errors["expires_in"]
    assert client.post(URL, {"name": "x", "expires_in": "90"}).context["form"].errors["expires_in"]
    assert ApiToken.objects.count() == 0
    client.post(URL, {"name": "x", "expires_in": "60"})
    assert 59.9 < _days_left(ApiToken.objects.get()) <= 60


def test_it_refuses_a_token_once_it_has_expired(world):
    token, secret = make_token(world.city_admin_a, expires_in=timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    response = Client().get("/api/v1/me", **bearer(secret))
    assert response.status_code == 401 and "expired" in response.json()["detail_en"]


def test_it_reads_an_expiry_without_a_zone_as_local_time(client, world):
    client.force_login(world.city_admin_a)
    naive = (timezone.localtime() + timedelta(days=5)).replace(tzinfo=None).isoformat(timespec="seconds")
    response = client.post("/api/v1/tokens", {"name": "naive", "expires_at": naive},
                           content_type="application/json")
    assert response.status_code == 201
    token = ApiToken.objects.get(prefix=response.json()["prefix"])
    assert timezone.localtime(token.expires_at).replace(tzinfo=None).isoformat(timespec="seconds") == naive
