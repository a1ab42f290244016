"""casspath's session store (core/sessions.py) loads Django's database sessions with one plain
statement: the same rows, the same refusals."""

from datetime import timedelta

from django.conf import settings
from django.contrib.sessions.backends.db import SessionStore as DjangoStore
from django.contrib.sessions.models import Session
from django.urls import reverse
from django.utils import timezone

from casspath.core.sessions import SessionStore


def test_it_is_the_sites_session_engine():
    assert settings.SESSION_ENGINE == "casspath.core.sessions"


def test_it_reads_a_session_that_djangos_store_saved(db):
    saved = DjangoStore()
    saved["answer"] = 42
    saved.save()
    assert SessionStore(saved.session_key).load() == {"answer": 42}


def test_it_reads_nothing_of_an_expired_or_unknown_session(db):
    saved = SessionStore()
    saved["answer"] = 42
    saved.save()
    Session.objects.filter(pk=saved.session_key).update(expire_date=timezone.now() - timedelta(seconds=1))
    expired = SessionStore(saved.session_key)
    assert expired.load() == {} and expired.session_key is None
    assert SessionStore("x" * 32).load() == {}


def test_it_keeps_a_logged_in_user_logged_in(client, world):
    client.force_login(world.manager)
    assert client.get(reverse("home")).status_code == 200
    Session.objects.all().delete()  # the row gone, the cookie alone opens nothing
    assert client.get(reverse("home")).status_code == 302
