"""What every benchmark shares: its command line, the machine it ran on, its results, the
summary table, and the record in docs/benchmarks.md. Standard library only (no Django), so
that the runner and the tests import it cheaply.

A benchmark is a file `benchmarks/<name>.py` (a name without a leading underscore) that ends
with `sys.exit(bench_main(run, __doc__))`. `make bench` (benchmarks/_run.py) runs each one
once per database, in its own process:

    python benchmarks/<name>.py [--database-url URL] [--sizes 5000,100000] [--results FILE]
                                [--no-record]

- `--database-url` empty (the default): SQLite, a file the benchmark makes. A PostgreSQL URL
  names the server and a scratch database that the benchmark drops and creates; a benchmark
  that needs more than one takes `scratch_url(url, "_<suffix>")` (pages: casspath_bench_pages).
- `--sizes`: the demo sizes (managers) to measure at, for benchmarks that build the demo.
- `run(args)` returns a list of `Result`s, one a figure; a target missed is a result like
  any other. `bench_main` prints them as a table, appends them to docs/benchmarks.md under
  the benchmark's section (unless `--no-record`) beside the machine they ran on, and writes
  them as JSON to `--results` for the runner's summary.
- Exit status: 0 when the benchmark ran, whatever its figures; 1 when it crashed (the
  runner reports it as crashed and goes on with the others).
"""

import argparse
import io
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
import traceback
from collections.abc import Callable, Iterable
from dataclasses import asdict, dataclass, field
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

ROOT = Path(__file__).resolve().parent.parent
DOCS = ROOT / "docs" / "benchmarks.md"
OUT = ROOT / "benchmarks" / "out"
DOCS_HEADER = """# Benchmarks

Figures appended by `make bench` (benchmarks/_run.py runs every benchmarks/*.py on SQLite
and PostgreSQL; see benchmarks/_common.py). Each run's line names the machine, the database
and the commit; each ratio is against a baseline measured in the same run, on the same
machine, which is what makes figures from different machines comparable.
"""


@dataclass
class Result:
    """One figure of one benchmark, on one database, at one size."""

    benchmark: str  # the section in docs/benchmarks.md: "Pages", "Roster import", ...
    case: str  # what was measured: "home, manager", "whole import", ...
    database: str = ""  # "sqlite 3.40.1", "postgresql 15.20"
    size: str = ""  # "5,000 managers", "100,000 rows"
    figure: str = ""  # the measurement in words: "81.2 req/s · p50 390 ms · ..."
    value: float | None = None  # the headline number (req/s, seconds, ...)
    baseline: str = ""  # what the ratio is against: "bare Django 4,512 req/s"
    ratio: float | None = None
    ratio_unit: str = "×"  # "×" (1.67×) or "%" (0.9%)
    target: str = ""  # "≥ 10%", "≤ 3×"; empty when the figure has none
    met: bool | None = None  # None: no target, or not measured
    status: str = "ok"  # "ok", "failed" (measured nothing: a page answered 500), "crashed"
    detail: str = ""  # why it failed or crashed; or a note on the figure
    machine: dict = field(default_factory=dict)
    numbers: dict = field(default_factory=dict)  # the figure's parts as numbers: {"cpu_ms": 12.5, ...}

    @property
    def ratio_text(self) -> str:
        if self.ratio is None:
            return "—"
        if self.ratio_unit == "%":
            percent = self.ratio * 100
            return f"{percent:.1f}%" if percent >= 1 or percent == 0 else f"{percent:.2g}%"
        return f"{self.ratio:.2f}×"

    @property
    def met_text(self) -> str:
        if self.status != "ok":
            return self.status.upper()
        return {True: "yes", False: "NO", None: "—"}[self.met]


def check(ratio: float | None, target: str) -> bool | None:
    """Whether `ratio` meets `target` ("≥ 10%", "≤ 3×", "≥ 0.8"); None without either."""
    if ratio is None or not target:
        return None
    sign, number = target.split()
    value = float(number.rstrip("%×"))
    if number.endswith("%"):
        value /= 100
    return ratio >= value if sign == "≥" else ratio <= value


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def commit() -> str:
    git = subprocess.run(["git", "-C", str(ROOT), "rev-parse", "--short", "HEAD"], capture_output=True,
                         text=True, check=False)
    dirty = subprocess.run(["git", "-C", str(ROOT), "status", "--porcelain", "--untracked-files=no"],
                           capture_output=True, text=True, check=False)
    return (git.stdout.strip() or "?") + ("+changes" if dirty.stdout.strip() else "")


def machine(**extra: str) -> dict:
    """The machine a figure was measured on; `extra`: the database's version, the server..."""
    try:
        load = f"{os.getloadavg()[0]:.1f}"
    except OSError:
        load = "?"
    return {
        "date": date.today().isoformat(),  # noqa: DTZ011 - the machine's date is what the log means
        "commit": commit(),
        "arch": platform.machine(),
        "cores": str(os.cpu_count()),
        "cpu": cpu_model(),
        "load": load,  # the 1-minute load average when the benchmark started: a shared machine shows
        "python": platform.python_version(),
        **extra,
    }


def machine_line(info: dict) -> str:
    known = ["date", "commit", "arch", "cores", "cpu", "load", "python"]
    parts = [info.get("date", "?"), f"commit {info.get('commit', '?')}",
             f"{info.get('arch', '?')}, {info.get('cores', '?')} cores ({info.get('cpu', '?')})",
             f"load {info.get('load', '?')}", f"Python {info.get('python', '?')}"]
    parts += [str(value) for key, value in info.items() if key not in known and value]
    return " · ".join(parts)


def scratch_url(url: str, suffix: str = "") -> str:
    """The PostgreSQL URL of this benchmark's scratch database: the given one, + suffix."""
    parsed = urlparse(url)
    return parsed._replace(path="/" + parsed.path.lstrip("/") + suffix).geturl()


def fresh_postgres(url: str) -> None:
    """Drop and create the database `url` names (never point it at data you want to keep)."""
    import psycopg

    parsed = urlparse(url)
    name = parsed.path.lstrip("/")
    admin = parsed._replace(path="/postgres").geturl()
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        conn.execute(f'CREATE DATABASE "{name}"')


def django_in_scratch(database_url: str, prefix: str, migrate: bool = True) -> str:
    """Django set up on a scratch database, as a benchmark measures it: a new temporary
    directory as CASSPATH_VAR_DIR (holding the SQLite file when `database_url` is empty), or
    the PostgreSQL database `database_url` names, dropped and created; plain HTTP cookies (the
    loopback); migrated unless told not to. Returns the directory."""
    workdir = tempfile.mkdtemp(prefix=prefix)
    os.environ.update({"CASSPATH_VAR_DIR": workdir, "DJANGO_SETTINGS_MODULE": "casspath.settings",
                       "SECURE_COOKIES": "0"})
    if database_url:
        fresh_postgres(database_url)
        os.environ["DATABASE_URL"] = database_url
    else:
        os.environ.pop("DATABASE_URL", None)

    import django

    django.setup()
    if migrate:
        from django.core.management import call_command

        call_command("migrate", verbosity=0, skip_checks=True)
    return workdir


def database_label(connection: Any) -> str:  # django.db.connection: no Django import here
    """The database a figure was measured on, as recorded: "sqlite 3.40.1", "postgresql 15.2"."""
    if connection.vendor == "sqlite":
        return f"sqlite {connection.Database.sqlite_version}"
    return f"{connection.vendor} {connection.pg_version // 10000}.{connection.pg_version % 10000}"


def best_of(times: int, work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(best wall seconds, its CPU seconds, the last result): the machine is shared, the
    best run is the one least disturbed."""
    best, out = None, None
    for _ in range(times):
        wall, cpu = time.perf_counter(), time.process_time()
        out = work()
        figures = (time.perf_counter() - wall, time.process_time() - cpu)
        if best is None or figures[0] < best[0]:
            best = figures
    assert best is not None
    return best[0], best[1], out


def bare_read_seconds(data: bytes, times: int) -> float:
    """The baseline of an import benchmark: python-calamine's bare read of the .xlsx `data`
    (its first sheet, to Python values), best of `times` (the machine is shared: the best run
    is the one least disturbed)."""
    from python_calamine import CalamineWorkbook  # imported here: the runner does not need it

    best = float("inf")
    for _ in range(times):
        started = time.perf_counter()
        CalamineWorkbook.from_filelike(io.BytesIO(data)).get_sheet_by_index(0).to_python()
        best = min(best, time.perf_counter() - started)
    return best


def import_results(benchmark: str, connection: Any, info: dict, *, size: str, rows: int, bare: float,
                   bare_runs: int, full: float, full_case: str, reimport: float) -> list[Result]:
    """The two figures of an import benchmark: the whole import (`full` seconds), against the
    bare read of the file (`bare`, best of `bare_runs`; target within 3×), and the re-import
    of the same file, all unchanged; on the database of `connection`, which `info` (the
    machine) is told too."""
    info["database"] = database = database_label(connection)
    common: dict[str, Any] = {"benchmark": benchmark, "database": database, "size": size, "machine": info,
                              "baseline": f"the bare read ({bare:.2f} s, best of {bare_runs})"}
    ratio = full / bare
    return [
        Result(case=full_case, figure=f"{full:.2f} s ({rows / full:,.0f} rows/s)", value=full, ratio=ratio,
               target="≤ 3×", met=check(ratio, "≤ 3×"), **common),
        Result(case="re-import of the same file, all unchanged",
               figure=f"{reimport:.2f} s ({rows / reimport:,.0f} rows/s)", value=reimport,
               ratio=reimport / bare, **common),
    ]


def parser(doc: str | None) -> argparse.ArgumentParser:
    """The command line every benchmark takes; a benchmark adds its own options to it."""
    parser = argparse.ArgumentParser(description=doc, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database-url", default="",
                        help="PostgreSQL URL (a scratch database); default SQLite")
    parser.add_argument("--sizes", default="5000,100000",
                        help="demo sizes in managers, comma-separated (benchmarks that build the demo)")
    parser.add_argument("--results", default="", help="write the results as JSON here (for the runner)")
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    parser.add_argument("--no-table", action="store_true", help=argparse.SUPPRESS)  # a benchmark's own child
    return parser


def sizes(args: argparse.Namespace) -> list[int]:
    return [int(size.replace("_", "")) for size in str(args.sizes).split(",") if size.strip()]


def bench_main(run: Callable[[argparse.Namespace], list[Result]], doc: str | None,
               configure: Callable[[argparse.ArgumentParser], None] | None = None) -> int:
    """Parse the command line, run, then print, record and write the results. A crash is a
    result too (status "crashed"), written for the runner before the exit status says so."""
    cli = parser(doc)
    if configure is not None:
        configure(cli)
    args = cli.parse_args()
    name = Path(sys.argv[0]).stem
    crashed = False
    try:
        results = run(args)
    except BaseException as exc:  # noqa: BLE001 - KeyboardInterrupt too: say what was left
        traceback.print_exc()
        results = [Result(benchmark=name, case="(whole benchmark)", status="crashed",
                          detail=f"{type(exc).__name__}: {exc}"[:300])]
        crashed = True
    if not args.no_table:
        print()
        print(summary_table(results))
    if not args.no_record:
        record(r for r in results if r.status != "crashed")
    if args.results:
        write_results(Path(args.results), results)
    return 1 if crashed else 0


def write_results(path: Path, results: list[Result]) -> None:
    path.write_text(json.dumps([asdict(r) for r in results], ensure_ascii=False, indent=1), encoding="utf-8")


def read_results(path: Path) -> list[Result]:
    return [Result(**row) for row in json.loads(path.read_text(encoding="utf-8"))]


COLUMNS = ["benchmark", "database", "size", "figure", "baseline", "ratio", "target", "met?"]


def summary_table(results: Iterable[Result]) -> str:
    """One aligned table: benchmark, database, size, figure, baseline, ratio, target, met?"""
    rows = [COLUMNS]
    for r in results:
        figure = r.figure if r.status == "ok" else (r.detail or r.figure)
        rows.append([f"{r.benchmark}: {r.case}", r.database, r.size, figure, r.baseline, r.ratio_text,
                     r.target or "—", r.met_text])
    widths = [max(_width(row[i]) for row in rows) for i in range(len(COLUMNS))]
    lines = []
    for index, row in enumerate(rows):
        lines.append("  ".join(cell + " " * (width - _width(cell)) for cell, width in zip(row, widths,
                                                                                         strict=True)).rstrip())
        if index == 0:
            lines.append("  ".join("-" * width for width in widths))
    return "\n".join(lines)


def _width(text: str) -> int:
    # CJK characters take two columns in a terminal.
    return sum(2 if "\u2e80" <= char <= "\uffef" else 1 for char in text)


def record(results: Iterable[Result], docs: Path = DOCS) -> None:
    """Append the results to docs/benchmarks.md: under each benchmark's section, one line
    per (machine, database, size) run, then a line per figure."""
    groups: dict[tuple[str, str, str, str], list[Result]] = {}
    for r in results:
        line = machine_line({**r.machine, **({"database": r.database} if r.database else {})})
        groups.setdefault((r.benchmark, line, r.size, r.database), []).append(r)
    if not groups:
        return
    text = docs.read_text(encoding="utf-8") if docs.exists() else DOCS_HEADER
    for (section, line, size, _database), rows in groups.items():
        entry = [f"- {line}" + (f" · {size}" if size else "")]
        entry += [f"  - {figure_line(r)}" for r in rows]
        text = _append_to_section(text, section, "\n".join(entry) + "\n")
    docs.write_text(text, encoding="utf-8")


def figure_line(r: Result) -> str:
    """"case: figure; ratio of/× baseline (target ≥ 10%: met) — note", as recorded."""
    if r.status != "ok":
        return f"{r.case}: {r.status}: {r.detail}"
    line = f"{r.case}: {r.figure}"
    if r.ratio is not None:
        line += f"; {r.ratio_text} {'of ' if r.ratio_unit == '%' else ''}{r.baseline}"
    if r.target and r.met is not None:
        line += f" (target {r.target}: {'met' if r.met else 'NOT met'})"
    if r.detail:
        line += f" — {r.detail}"
    return line


def _append_to_section(text: str, section: str, entry: str) -> str:
    """`entry` at the end of "## section" (after what was written there before, notes
    included: the log is in the order it was measured); the section is made when missing."""
    heading = f"## {section}\n"
    if heading not in text:
        return text.rstrip("\n") + f"\n\n{heading}\n{entry}"
    start = text.index(heading) + len(heading)
    following = text.find("\n## ", start)
    end = len(text) if following == -1 else following + 1
    body = text[start:end].rstrip("\n")
    separator = "\n" if body.splitlines()[-1:] and body.splitlines()[-1].startswith(("- ", "  ")) else "\n\n"
    return text[:start] + body + separator + entry + ("\n" if following != -1 else "") + text[end:]
