"""`casspath --help` and commands that compute nothing start without the statistics and the
report writers: SciPy, statsmodels, matplotlib and WeasyPrint take seconds to import on a
loaded machine, and only a diagnosis or an export needs them."""

import os
import subprocess
import sys
from pathlib import Path

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
