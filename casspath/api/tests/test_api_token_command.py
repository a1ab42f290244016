from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from casspath.api.models import ApiToken
from casspath.api.tests.helpers import bearer
from casspath.core.models import AuditEvent


def run(*args) -> str:
    out = StringIO()
    call_command("api_token", *args, stdout=out, stderr=StringIO())
    return out.getvalue()


def test_it_creates_a_token_from_the_cli(client, world):
    secret = run("create", "gzadmin", "--name", "BI export", "--expires-days", "30").strip()
    token = ApiToken.objects.get()
    assert token.user == world.city_admin_a and token.name == "BI export" and token.expires_at
    assert client.get("/api/v1/me", **bearer(secret)).json()["username"] == "gzadmin"
    event = AuditEvent.objects.get(verb="api_token.create")
    assert event.actor_label.startswith("cli:") and secret not in event.summary


def test_it_records_the_as_user(world):
    run("create", "gzadmin", "--name", "x", "--as", "padmin")
    assert AuditEvent.objects.get(verb="api_token.create").actor == world.province_admin


def test_it_revokes_by_prefix(client, world):
    secret = run("create", "gzadmin", "--name", "x").strip()
    token = ApiToken.objects.get()
    assert "revoked" in run("revoke", token.prefix)
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert client.get("/api/v1/me", **bearer(secret)).status_code == 401
    assert "already" in run("revoke", token.prefix)


def test_it_lists_prefixes_not_secrets(world):
    secret = run("create", "gzadmin", "--name", "nightly").strip()
    listing = run("list", "gzadmin")
    assert ApiToken.objects.get().prefix in listing and "nightly" in listing
    assert secret not in listing


@pytest.mark.parametrize("args", [
    ("create", "nobody", "--name", "x"),
    ("create", "gzadmin", "--name", "x", "--expires-days", "0"),
    ("create", "gzadmin", "--name", " "),
    ("revoke", "zzzzzzzz"),
])
def test_it_refuses_bad_input(world, args):
    with pytest.raises(CommandError):
        run(*args)
    assert ApiToken.objects.count() == 0
