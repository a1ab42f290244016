import pytest

from casspath.core.testing import build_world


@pytest.fixture(autouse=True)
def _fast_hashing_and_immediate_tasks(settings):
    # Argon2 is the production hasher (tested on its own); tests need speed.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    settings.SECURE_COOKIES = False
    from casspath.tasks import huey

    huey.immediate = True
    yield
    huey.immediate = False


@pytest.fixture
def world(db):
    return build_world()
