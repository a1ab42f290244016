"""Ctrl-C while a `casspath` command starts or works (migrate, demo, runserver loading
Django, as `make demo` runs them) ends it with the shell's status 130, without a traceback."""

import pytest

from casspath import cli


def test_it_ends_an_interrupted_command_with_status_130(monkeypatch, capsys):
    def interrupted(argv):
        raise KeyboardInterrupt

    monkeypatch.setattr("django.core.management.execute_from_command_line", interrupted)
    with pytest.raises(SystemExit) as ended:
        cli.main(["casspath", "migrate"])
    assert ended.value.code == 130
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err + captured.out


def test_it_runs_an_uninterrupted_command_as_django_does(monkeypatch):
    ran: list[list[str]] = []
    monkeypatch.setattr("django.core.management.execute_from_command_line", ran.append)
    cli.main(["casspath", "check"])
    assert ran == [["casspath", "check"]]
