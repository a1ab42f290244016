"""Login throttling per username and address, per address alone, and proxy headers trusted
only when BEHIND_PROXY says so."""

import json
import os
import subprocess
import sys

from django.test import Client, RequestFactory
from django.urls import reverse

import casspath.settings as project_settings
from casspath.testing import PASSWORD

LOGIN = reverse("login")


def fail(client, username, **extra):
    return client.post(LOGIN, {"username": username, "password": "wrong-password"}, **extra)


def test_it_locks_an_address_trying_many_usernames(world, settings):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_IP_FAILURE_LIMIT = 5, 8
    client = Client()
    names = ["gzadmin", "szadmin", "padmin", "T0001", "E0001", "outsider", "nobody1", "nobody2"]
    for name in names[:7]:
        assert fail(client, name).status_code == 200
    # The eighth failure from the address locks it for every username, even the right password.
    assert fail(client, names[7]).status_code == 429
    assert client.post(LOGIN, {"username": "E0001", "password": PASSWORD}).status_code == 429
    # Another address is not locked.
    other = client.post(LOGIN, {"username": "E0001", "password": PASSWORD}, REMOTE_ADDR="10.1.2.3")
    assert other.status_code == 302


def test_it_keeps_the_lower_limit_for_one_username_from_one_address(world, settings):
    settings.LOGIN_FAILURE_LIMIT, settings.LOGIN_IP_FAILURE_LIMIT = 5, 8
    client = Client()
    for _ in range(4):
        assert fail(client, "gzadmin").status_code == 200
    assert fail(client, "gzadmin").status_code == 429
    assert client.post(LOGIN, {"username": "szadmin", "password": PASSWORD}).status_code == 302


def test_it_ignores_proxy_headers_by_default(world):
    assert project_settings.BEHIND_PROXY is False
    assert project_settings.SECURE_PROXY_SSL_HEADER is None
    assert project_settings.AXES_CLIENT_IP_CALLABLE is None
    client = Client()
    # A forged X-Forwarded-For does not escape the lock of the real address.
    for n in range(5):
        fail(client, "gzadmin", HTTP_X_FORWARDED_FOR=f"203.0.113.{n}")
    assert fail(client, "gzadmin", HTTP_X_FORWARDED_FOR="203.0.113.99").status_code == 429
    request = RequestFactory().get("/", HTTP_X_FORWARDED_PROTO="https")
    assert not request.is_secure()


def test_it_reads_the_proxys_entry_of_x_forwarded_for():
    factory = RequestFactory()
    forged_then_real = factory.get("/", HTTP_X_FORWARDED_FOR="1.1.1.1, 198.51.100.7", REMOTE_ADDR="10.0.0.1")
    assert project_settings.proxy_client_ip(forged_then_real) == "198.51.100.7"
    assert project_settings.proxy_client_ip(factory.get("/", REMOTE_ADDR="10.0.0.1")) == "10.0.0.1"


def test_it_trusts_proxy_headers_when_behind_a_proxy(tmp_path):
    code = ("import json, casspath.settings as s; print(json.dumps([s.SECURE_PROXY_SSL_HEADER, "
            "s.AXES_CLIENT_IP_CALLABLE is s.proxy_client_ip]))")
    env = {**os.environ, "BEHIND_PROXY": "1", "CASSPATH_VAR_DIR": str(tmp_path)}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)  # noqa: S603
    assert json.loads(out.stdout) == [["HTTP_X_FORWARDED_PROTO", "https"], True]
