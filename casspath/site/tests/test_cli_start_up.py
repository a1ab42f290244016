"""`casspath --help` and commands that compute nothing start without the statistics and the
report writers: SciPy, statsmodels, matplotlib and WeasyPrint take seconds to import on a
loaded machine, and only a diagnosis or an export needs them."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

HEAVY = ("scipy", "statsmodels", "matplotlib", "weasyprint", "pandas", "duckdb")

# Runs the help as the console command does, then names the heavy modules it loaded.
PROBE = """
import sys
from casspath.cli import main
main(["casspath", "--help"])
print("LOADED", sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:])))
"""


def test_it_starts_the_help_without_the_statistics_or_the_report_writers():
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casspath.settings"}
    done = subprocess.run([sys.executable, "-c", PROBE, *HEAVY], capture_output=True, text=True,  # noqa: S603
                          env=env, cwd=Path(__file__).resolve().parents[3], timeout=300, check=True)
    assert "diagnose " in done.stdout
    assert done.stdout.strip().splitlines()[-1] == "LOADED []"


COMMAND = """
import sys
from casspath.cli import main
main(["casspath", *sys.argv[1:]])
"""


def test_it_tells_to_migrate_a_database_without_tables_instead_of_a_traceback(tmp_path):
    fresh = tmp_path / "fresh.sqlite3"
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "casspath.settings", "DATABASE_URL": f"sqlite:///{fresh}",
           "HUEY_FILENAME": str(tmp_path / "huey.db")}
    for command in (["diagnose", "--out", str(tmp_path / "d.json")],
                    ["export", "roster", str(tmp_path / "r.xlsx")]):
        done = subprocess.run([sys.executable, "-c", COMMAND, *command], capture_output=True, text=True,  # noqa: S603
                              env=env, cwd=Path(__file__).resolve().parents[3], timeout=300)
        assert done.returncode == 1, done.stderr
        assert "Traceback" not in done.stderr and "no such table" not in done.stderr
        assert "还没有建表" in done.stderr and "no tables yet" in done.stderr
        assert "casspath migrate" in done.stderr
        assert str(fresh) in done.stderr
        assert not fresh.exists()  # no empty database left behind as if it were one


def test_it_leaves_a_failing_migrate_its_own_error(monkeypatch):
    from django.core import management
    from django.db import DatabaseError

    from casspath import cli

    def failing(argv):
        raise DatabaseError("relation is locked")

    monkeypatch.setattr(management, "execute_from_command_line", failing)
    # As if the database had no tables: any other command is told to run migrate.
    monkeypatch.setattr(cli, "_database_without_tables", lambda: "fresh.sqlite3")
    with pytest.raises(SystemExit):
        cli.main(["casspath", "diagnose"])
    with pytest.raises(DatabaseError, match="locked"):
        cli.main(["casspath", "migrate"])
