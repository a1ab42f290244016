"""`--as USERNAME` is read the same way by every command (casspath/core/cli_actor.py)."""

import io

import pytest
from django.core.management import CommandError, call_command

from casspath.api.models import ApiToken
from casspath.core.models import AuditEvent, User

# Each command, given a user who may do what it asks.
COMMANDS = [
    ("demo", "--managers", "1"),
    ("export", "roster", "roster.csv"),
    ("import", "org", "units.csv"),
    ("issue_logins", "GZ", "--out", "logins.xlsx"),
    ("api_token", "create", "E0001", "--name", "cli"),
]


def run_as(command, username, folder):
    units = "单位编码,单位名称,上级单位编码,类型\nHN,湖南公司,,省公司\n"
    (folder / "units.csv").write_text(units, encoding="utf-8")
    with pytest.raises(CommandError) as info:
        call_command(*command, "--as", username)
    assert not AuditEvent.objects.exists()
    assert [path.name for path in folder.iterdir()] == ["units.csv"]  # nothing written
    return str(info.value)


@pytest.mark.parametrize("command", COMMANDS, ids=[args[0] for args in COMMANDS])
def test_it_refuses_an_unknown_user_in_both_languages(world, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    message = run_as(command, "nobody", tmp_path)
    assert "没有这个用户" in message and "no such active user: nobody" in message


@pytest.mark.parametrize("command", COMMANDS, ids=[args[0] for args in COMMANDS])
def test_it_refuses_a_deactivated_user_in_both_languages(world, command, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    User.objects.filter(username="padmin").update(is_active=False)
    message = run_as(command, "padmin", tmp_path)
    assert "用户 padmin 已停用" in message and "no such active user: padmin (deactivated)" in message


def test_it_acts_as_the_named_user_or_else_as_the_system(world):
    quiet = {"stdout": io.StringIO(), "stderr": io.StringIO()}
    call_command("api_token", "create", "E0001", "--name", "by admin", "--as", "padmin", **quiet)
    call_command("api_token", "create", "E0001", "--name", "by cli", **quiet)
    assert ApiToken.objects.count() == 2
    admin, cli = AuditEvent.objects.filter(verb="api_token.create").order_by("pk")
    assert admin.actor_label == "padmin" and admin.actor_id == world.province_admin.pk
    assert cli.actor_label.startswith("cli:") and cli.actor_id is None
