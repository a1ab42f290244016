"""The lock-out page (django-axes, after repeated wrong passwords): it says for how long and
until when the login is locked, in both languages, and leads back to the login page."""

from datetime import timedelta

from django.test import Client
from django.urls import reverse
from django.utils import timezone

from casspath.testing import PASSWORD

LOGIN = reverse("login")


def _locked(language: str):
    client = Client(HTTP_ACCEPT_LANGUAGE=language)
    for _ in range(5):
        client.post(LOGIN, {"username": "E0001", "password": "wrong-password"})
    return client.post(LOGIN, {"username": "E0001", "password": PASSWORD})


def _ends(settings) -> str:
    return f"{timezone.localtime(timezone.now() + settings.AXES_COOLOFF_TIME):%H:%M}"


def test_it_says_when_the_lock_ends_and_links_back_to_login_in_chinese(world, settings):
    response = _locked("zh-hans")
    assert response.status_code == 429
    text = response.text
    assert "该账号已锁定 15 分钟" in text and f"约 {_ends(settings)} 起可以再次登录" in text
    assert f'href="{LOGIN}" id="back-to-login">返回登录' in text


def test_it_says_when_the_lock_ends_and_links_back_to_login_in_english(world, settings):
    settings.AXES_COOLOFF_TIME = timedelta(minutes=30)
    text = _locked("en").text
    assert "locked for 30 minutes" in text and f"log in again from about {_ends(settings)}" in text
    assert "Back to login" in text
