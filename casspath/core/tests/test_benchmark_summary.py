"""`make bench`'s shared summary and record (benchmarks/_common.py): one table for every
benchmark, each figure recorded under its section beside the machine it ran on, a missed
target or a crash reported rather than stopping the others. No benchmark runs here: they
are measured by `make bench`, never in the test suite."""

import json
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[3]
sys.path.insert(0, str(ROOT / "benchmarks"))

import _common  # noqa: E402 - benchmarks/ is not a package
from _common import Result, check, record, summary_table  # noqa: E402

MACHINE = {"date": "2026-12-01", "commit": "abc1234", "arch": "x86_64", "cores": "2", "cpu": "Xeon",
           "load": "3.0", "python": "3.11.7", "database": "postgresql 15.20"}


def results() -> list[Result]:
    return [
        Result(benchmark="Pages", case="employee detail", database="postgresql 15.20", size="5,000 managers",
               figure="81.0 req/s", value=81.0, baseline="bare Django 4,500 req/s", ratio=0.018,
               ratio_unit="%", target="≥ 10%", met=check(0.018, "≥ 10%"), machine=MACHINE),
        Result(benchmark="Roster import", case="whole import", database="postgresql 15.20",
               size="100,000 rows", figure="2.50 s", value=2.5, baseline="the bare read (1.00 s)", ratio=2.5,
               target="≤ 3×", met=check(2.5, "≤ 3×"), machine=MACHINE),
        Result(benchmark="login", case="(whole benchmark)", status="crashed", detail="RuntimeError: boom"),
    ]


def test_it_checks_targets_as_shares_ratios_and_plain_numbers():
    assert check(0.12, "≥ 10%") is True and check(0.09, "≥ 10%") is False
    assert check(2.9, "≤ 3×") is True and check(3.1, "≤ 3×") is False
    assert check(0.85, "≥ 0.8") is True and check(None, "≥ 0.8") is None and check(1.0, "") is None


def test_it_the_summary_is_one_table_with_every_column_and_outcome():
    table = summary_table(results()).splitlines()
    assert table[0].split() == _common.COLUMNS
    detail, roster, crashed = table[2:]
    assert "Pages: employee detail" in detail and "1.8%" in detail and detail.endswith("NO")
    assert "2.50×" in roster and roster.endswith("yes")
    assert "RuntimeError: boom" in crashed and crashed.endswith("CRASHED")


def test_it_records_each_figure_under_its_section_beside_the_machine(tmp_path):
    docs = tmp_path / "benchmarks.md"
    docs.write_text("# Benchmarks\n\n## Roster import\n\n- old entry\n\nA note on the old entry.\n\n"
                    "## Other\n\n- kept\n", encoding="utf-8")
    record([r for r in results() if r.status == "ok"], docs)
    text = docs.read_text(encoding="utf-8")
    roster = text[text.index("## Roster import"):text.index("## Other")]
    assert roster.index("A note on the old entry.") < roster.index("whole import")  # appended, in order
    assert "- 2026-12-01 · commit abc1234 · x86_64, 2 cores (Xeon) · load 3.0 · Python 3.11.7 · " \
           "postgresql 15.20 · 100,000 rows" in roster
    assert "  - whole import: 2.50 s; 2.50× the bare read (1.00 s) (target ≤ 3×: met)" in roster
    pages = text[text.index("## Pages"):]
    assert "  - employee detail: 81.0 req/s; 1.8% of bare Django 4,500 req/s (target ≥ 10%: NOT met)" in pages
    assert text.count("- kept") == 1


def test_it_a_crash_is_a_result_and_the_exit_status_says_so(tmp_path):
    script = tmp_path / "crashing.py"
    script.write_text(f"import sys; sys.path.insert(0, {str(ROOT / 'benchmarks')!r})\n"
                      "from _common import bench_main\n"
                      "def run(args):\n    raise RuntimeError('boom')\n"
                      "sys.exit(bench_main(run, None))\n", encoding="utf-8")
    out = tmp_path / "results.json"
    done = subprocess.run([sys.executable, str(script), "--results", str(out), "--no-record"],  # noqa: S603
                          capture_output=True, text=True, timeout=60, check=False)
    assert done.returncode == 1
    (row,) = json.loads(out.read_text(encoding="utf-8"))
    assert row["status"] == "crashed" and "boom" in row["detail"]
    assert "CRASHED" in done.stdout


@pytest.mark.parametrize("url, suffix, expected", [
    ("postgres://postgres@127.0.0.1:5432/casspath_bench", "_pages",
     "postgres://postgres@127.0.0.1:5432/casspath_bench_pages"),
    ("postgres://u@h/db", "", "postgres://u@h/db"),
])
def test_it_each_benchmark_has_its_own_scratch_database(url, suffix, expected):
    assert _common.scratch_url(url, suffix) == expected
