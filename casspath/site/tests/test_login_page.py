"""The login page's "keep me signed in on this phone": a long, sliding session for a login
whose roles reach only himself (an account manager), the default age for everyone else, and
the long session taken away when its user gains a role that reaches others."""

import time
from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casspath.core.actors import SystemActor
from casspath.org.actions.roles import do_grant_role
from casspath.org.models import Role
from casspath.site.login import KEPT_KEY
from casspath.testing import PASSWORD

LOGIN = reverse("login")
HOME = reverse("home")
DAY = 24 * 60 * 60
KEPT_AGE = 30 * DAY


def _log_in(username: str, *, remember: bool) -> tuple[Client, int | None]:
    """A browser logged in through the form, and the age its session cookie was given (None:
    until the browser closes)."""
    client = Client()
    data = {"username": username, "password": PASSWORD}
    if remember:
        data["remember"] = "on"
    response = client.post(LOGIN, data)
    assert response.status_code == 302 and response["Location"] == HOME
    return client, _cookie_age(response)


def _cookie_age(response) -> int | None:
    cookie = response.cookies[settings.SESSION_COOKIE_NAME]
    if not cookie["max-age"]:
        assert not cookie["expires"]  # a browser-session cookie
        return None
    return int(cookie["max-age"])


def _row(client: Client) -> Session:
    return Session.objects.get(pk=client.cookies[settings.SESSION_COOKIE_NAME].value)


def _seconds_left(client: Client) -> float:
    return (_row(client).expire_date - timezone.now()).total_seconds()


def test_it_offers_the_box_in_both_languages(client):
    chinese = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="zh-hans").text
    assert 'name="remember"' in chinese and "在本机保持登录" in chinese and "30 天" in chinese
    english = client.get(LOGIN, HTTP_ACCEPT_LANGUAGE="en").text
    assert "Keep me signed in on this phone" in english and "10 hours" in english


def test_it_keeps_an_account_manager_signed_in_for_thirty_days(world):
    client, age = _log_in("E0001", remember=True)
    assert age == KEPT_AGE
    assert KEPT_AGE - 60 < _seconds_left(client) <= KEPT_AGE
    assert client.get(HOME).status_code == 200


def test_it_gives_a_browser_session_cookie_and_the_default_age_on_the_server_without_the_box(world):
    client, age = _log_in("E0001", remember=False)
    assert age is None  # the cookie ends when the browser closes
    assert settings.SESSION_COOKIE_AGE - 60 < _seconds_left(client) <= settings.SESSION_COOKIE_AGE
    assert KEPT_KEY not in client.session
    assert client.get(HOME).status_code == 200


def test_it_ends_an_ordinary_session_on_the_server_whatever_the_browser_keeps(world):
    client, _age = _log_in("E0001", remember=False)
    Session.objects.filter(pk=_row(client).pk).update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_keeps_a_login_with_no_role_signed_in(world):
    assert _log_in("outsider", remember=True)[1] == KEPT_AGE


@pytest.mark.parametrize("name", [
    "team_lead", "lecturer_a", "city_admin_a", "province_admin", "consultant_a", "analyst_a",
])
def test_it_ignores_the_box_for_a_role_that_reaches_other_people(world, name):
    user = world.roles()[name]
    client, age = _log_in(user.username, remember=True)
    assert age is None
    assert _seconds_left(client) <= settings.SESSION_COOKIE_AGE
    assert KEPT_KEY not in client.session


def test_it_ignores_the_box_for_an_account_manager_who_is_also_a_team_lead(world):
    do_grant_role(world.manager, Role.TEAM_LEAD, world.team_a, acting_user=SystemActor.cli())
    assert _log_in("E0001", remember=True)[1] is None


@pytest.mark.parametrize("flag", ["is_staff", "is_superuser"])
def test_it_ignores_the_box_for_staff_and_superusers(world, flag):
    setattr(world.outsider, flag, True)
    world.outsider.save(update_fields=[flag])
    assert _log_in("outsider", remember=True)[1] is None


def test_it_renews_a_kept_session_once_a_day_while_it_is_used(world):
    client, _age = _log_in("E0001", remember=True)
    key = client.cookies[settings.SESSION_COOKIE_NAME].value
    # Used the next hour: nothing is written (the expiry stays where it was).
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(days=29))
    response = client.get(HOME)
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
    assert _seconds_left(client) < 29 * DAY + 60
    # Two days after its last renewal: renewed for 30 days from now, cookie included.
    session = client.session
    session[KEPT_KEY] = {"since": session[KEPT_KEY]["since"], "renewed": int(time.time()) - 2 * DAY}
    session.save()
    Session.objects.filter(pk=key).update(expire_date=timezone.now() + timedelta(days=28))
    response = client.get(HOME)
    assert response.status_code == 200
    assert _cookie_age(response) == KEPT_AGE
    assert KEPT_AGE - 60 < _seconds_left(client) <= KEPT_AGE


def test_it_shortens_a_kept_session_when_its_user_gains_a_role_that_reaches_others(world):
    client, _age = _log_in("E0001", remember=True)
    do_grant_role(world.manager, Role.TRAINING_ADMIN, world.city_a, acting_user=world.province_admin)
    # Logged in a moment ago: he stays, until ten hours after his login.
    response = client.get(HOME)
    assert response.status_code == 200
    assert KEPT_KEY not in client.session
    assert _cookie_age(response) is None  # now ends with the browser, and on the server:
    assert _seconds_left(client) <= settings.SESSION_COOKIE_AGE


def test_it_ends_a_kept_session_older_than_the_default_age_when_its_user_gains_a_role(world):
    client, _age = _log_in("E0001", remember=True)
    session = client.session
    logged_in = int(time.time()) - 11 * 60 * 60
    session[KEPT_KEY] = {"since": logged_in, "renewed": logged_in}
    session.save()
    do_grant_role(world.manager, Role.CONSULTANT, world.city_a, acting_user=world.province_admin)
    response = client.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)
    assert client.get("/api/v1/me").status_code == 401


def test_it_ends_a_kept_session_of_a_user_made_staff(world):
    client, _age = _log_in("E0001", remember=True)
    session = client.session
    logged_in = int(time.time()) - 11 * 60 * 60
    session[KEPT_KEY] = {"since": logged_in, "renewed": logged_in}
    session.save()
    world.manager.is_staff = True
    world.manager.save(update_fields=["is_staff"])
    assert client.get(HOME).status_code == 302


def test_it_keeps_an_ordinary_session_of_a_user_who_gains_a_role(world):
    client, _age = _log_in("E0001", remember=False)
    do_grant_role(world.manager, Role.TRAINING_ADMIN, world.city_a, acting_user=world.province_admin)
    response = client.get(HOME)
    assert response.status_code == 200 and settings.SESSION_COOKIE_NAME not in response.cookies
