from datetime import timedelta

import pytest
from django.utils import timezone

from casspath.api.actions import do_revoke_token
from casspath.api.models import ApiToken, hash_secret
from casspath.api.tests.helpers import ACTOR, bearer, make_token
from casspath.core.models import AuditEvent

ME = "/api/v1/me"


def assert_401(response, fragment_en: str):
    assert response.status_code == 401
    body = response.json()
    assert fragment_en in body["detail_en"]
    assert body["detail_zh"] and body["detail_zh"] != body["detail_en"]
    assert body["detail"] in {body["detail_zh"], body["detail_en"]}
    assert response["WWW-Authenticate"].startswith("Bearer")


def test_it_authenticates_with_a_bearer_token(client, world):
    _, secret = make_token(world.city_admin_a)
    response = client.get(ME, **bearer(secret))
    assert response.status_code == 200
    body = response.json()
    assert body["username"] == "gzadmin"
    assert body["roles"] == [{"role": "training_admin", "org_unit_code": "GZ", "org_unit_name": "广州分公司"}]
    assert body["scope_roots"]["view_employees"] == ["GZ"]
    assert body["unrestricted"] is False


def test_it_acts_with_the_tokens_user_scopes(client, world):
    _, secret = make_token(world.manager)
    body = client.get(ME, **bearer(secret)).json()
    assert body["username"] == "E0001"
    assert body["scope_roots"]["view_employees"] == []
    assert body["scope_roots"]["import_data"] == []


def test_it_authenticates_with_the_login_session(client, world):
    client.force_login(world.province_admin)
    response = client.get(ME)
    assert response.status_code == 200
    assert response.json()["scope_roots"]["import_data"] == ["GD"]


def test_it_refuses_a_call_without_credentials(client, world):
    response = client.get(ME)
    assert_401(response, "Authentication required")
    assert response.json()["detail"] == response.json()["detail_zh"]


def test_it_answers_in_english_when_asked(client, world):
    response = client.get(ME, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 401
    assert response.json()["detail"] == response.json()["detail_en"]


def test_it_refuses_an_unknown_token(client, world):
    make_token(world.city_admin_a)
    assert_401(client.get(ME, **bearer("cpt_abcdefgh_not-a-real-secret")), "no such token")


def test_it_refuses_an_empty_bearer_token(client, world):
    assert_401(client.get(ME, HTTP_AUTHORIZATION="Bearer "), "no such token")


def test_it_refuses_a_revoked_token(client, world):
    token, secret = make_token(world.city_admin_a)
    do_revoke_token(token, acting_user=ACTOR)
    assert_401(client.get(ME, **bearer(secret)), "revoked")


def test_it_refuses_an_expired_token(client, world):
    token, secret = make_token(world.city_admin_a, expires_in=timedelta(days=1))
    ApiToken.objects.filter(pk=token.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert_401(client.get(ME, **bearer(secret)), "expired")


def test_it_accepts_a_token_before_it_expires(client, world):
    _, secret = make_token(world.city_admin_a, expires_in=timedelta(days=1))
    assert client.get(ME, **bearer(secret)).status_code == 200


def test_it_refuses_a_token_of_a_deactivated_user(client, world):
    _, secret = make_token(world.city_admin_a)
    world.city_admin_a.is_active = False
    world.city_admin_a.save(update_fields=["is_active"])
    assert_401(client.get(ME, **bearer(secret)), "deactivated")


def test_it_a_bad_token_is_not_rescued_by_the_session(client, world):
    token, secret = make_token(world.city_admin_a)
    do_revoke_token(token, acting_user=ACTOR)
    client.force_login(world.city_admin_a)
    assert_401(client.get(ME, **bearer(secret)), "revoked")


def test_it_stores_only_the_hash_of_the_secret(world):
    token, secret = make_token(world.city_admin_a)
    token.refresh_from_db()
    assert token.secret_hash == hash_secret(secret) != secret
    assert secret.startswith(f"cpt_{token.prefix}_") and len(secret) > 40
    stored = [str(value) for value in ApiToken.objects.values_list(flat=False).get(pk=token.pk)]
    # The random part follows the second underscore (it may itself contain underscores).
    random_part = secret.split("_", 2)[2]
    assert not any(secret in value or random_part in value for value in stored)
    for event in AuditEvent.objects.all():
        assert secret not in event.summary and secret not in str(event.changes)


def test_it_records_last_use_at_most_once_a_minute(client, world):
    token, secret = make_token(world.city_admin_a)
    assert token.last_used_at is None
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    first = token.last_used_at
    assert first is not None
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at == first
    ApiToken.objects.filter(pk=token.pk).update(last_used_at=first - timedelta(minutes=2))
    client.get(ME, **bearer(secret))
    token.refresh_from_db()
    assert token.last_used_at > first - timedelta(minutes=2)


@pytest.mark.parametrize("header", ["Basic Z3phZG1pbjp4", "Token abc"])
def test_it_refuses_other_authorization_schemes(client, world, header):
    assert client.get(ME, HTTP_AUTHORIZATION=header).status_code == 401
