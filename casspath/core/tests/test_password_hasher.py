"""Passwords are hashed with Argon2id at the OWASP-recommended cost (m=19 MiB, t=2, p=1), and a
hash made with Django's default Argon2 parameters is replaced at the user's next login."""

from django.contrib.auth.hashers import Argon2PasswordHasher, make_password
from django.test import Client
from django.urls import reverse

import casspath.settings as project_settings
from casspath.core.models import User
from casspath.testing import PASSWORD

LOGIN = reverse("login")
OWASP_PREFIX = "argon2$argon2id$v=19$m=19456,t=2,p=1$"


def _use_the_projects_hashers(settings) -> None:
    # The test conftest swaps in MD5 for speed; these tests need the real ones.
    settings.PASSWORD_HASHERS = project_settings.PASSWORD_HASHERS


def _store(user: User, encoded: str) -> None:
    User.objects.filter(pk=user.pk).update(password=encoded)


def test_it_hashes_new_passwords_with_the_owasp_parameters(settings):
    _use_the_projects_hashers(settings)
    assert make_password(PASSWORD).startswith(OWASP_PREFIX)


def test_it_rehashes_a_hash_of_djangos_default_parameters_at_the_next_login(world, settings):
    _use_the_projects_hashers(settings)
    django_default = Argon2PasswordHasher()
    old = django_default.encode(PASSWORD, django_default.salt())
    assert "$m=102400,t=2,p=8$" in old
    _store(world.manager, old)

    response = Client().post(LOGIN, {"username": "E0001", "password": PASSWORD})

    assert response.status_code == 302 and response.wsgi_request.user.is_authenticated
    world.manager.refresh_from_db()
    assert world.manager.password.startswith(OWASP_PREFIX)
    assert world.manager.check_password(PASSWORD)
    # And he logs in with the new hash as before.
    assert Client().post(LOGIN, {"username": "E0001", "password": PASSWORD}).status_code == 302


def test_it_keeps_an_old_hash_when_the_password_is_wrong(world, settings):
    _use_the_projects_hashers(settings)
    django_default = Argon2PasswordHasher()
    old = django_default.encode(PASSWORD, django_default.salt())
    _store(world.manager, old)

    response = Client().post(LOGIN, {"username": "E0001", "password": "not-his-password"})

    assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    world.manager.refresh_from_db()
    assert world.manager.password == old


def test_it_leaves_a_current_hash_as_it_is_at_login(world, settings):
    _use_the_projects_hashers(settings)
    current = make_password(PASSWORD)
    _store(world.manager, current)

    assert Client().post(LOGIN, {"username": "E0001", "password": PASSWORD}).status_code == 302

    world.manager.refresh_from_db()
    assert world.manager.password == current
