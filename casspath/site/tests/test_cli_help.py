"""`casspath --help` lists the product's own commands with their help, not Django's forty."""

import pytest

from casspath.cli import main


@pytest.mark.parametrize("args", [[], ["--help"], ["-h"], ["help"]])
def test_it_lists_our_commands_with_their_help(capsys, args):
    main(["casspath", *args])
    out = capsys.readouterr().out
    for command in ("demo", "import", "export", "issue_logins", "reset_password", "unlock", "api_token"):
        assert f"\n  {command} " in out
    assert "Lift one employee's lock-out" in out
    assert "\n  migrate" not in out and "help --commands" in out


def test_it_leaves_one_commands_help_to_django(capsys):
    main(["casspath", "help", "unlock"])
    assert "usage: casspath unlock" in capsys.readouterr().out
