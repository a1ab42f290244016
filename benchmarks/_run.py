"""Run every benchmark on every database, then print one summary table (`make bench`).

    python benchmarks/_run.py [--database sqlite] [--database postgres://...] [--sizes 5000,100000]
                              [--only pages,roster_import] [--no-record]

Every benchmarks/<name>.py on the common interface (it calls `bench_main`, see
benchmarks/_common.py) runs once per database, each in its own process, one after another
(they share the machine with nothing of theirs). A benchmark that misses a target has run
like any other; one that crashes is reported as crashed and the others still run. The exit
status is 1 when a benchmark crashed, 0 otherwise: targets met or missed are read in the
table (and in docs/benchmarks.md, where each benchmark records its figures).
"""

import argparse
import os
import subprocess
import sys
import tempfile
import time
from collections import deque
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

from _common import ROOT, Result, read_results, summary_table  # noqa: E402 - after the path

HERE = ROOT / "benchmarks"


def benchmarks() -> tuple[list[Path], list[Path]]:
    """The benchmark files on the common interface, and the other .py files (tools)."""
    found, other = [], []
    for path in sorted(HERE.glob("*.py")):
        if path.name.startswith("_"):
            continue
        (found if "bench_main(" in path.read_text(encoding="utf-8") else other).append(path)
    return found, other


def run_one(path: Path, database: str, args: argparse.Namespace) -> list[Result]:
    """One benchmark on one database, its output shown as it comes; its results, or a
    crashed result saying how it ended."""
    label = "SQLite" if database == "sqlite" else database
    print(f"\n=== {path.stem} on {label} ===", flush=True)
    with tempfile.TemporaryDirectory(prefix="casspath-bench-run-") as tmp:
        results_file = Path(tmp) / "results.json"
        command = [sys.executable, str(path), "--results", str(results_file), "--sizes", args.sizes]
        if database != "sqlite":
            command += ["--database-url", database]
        if args.no_record:
            command.append("--no-record")
        started = time.monotonic()
        tail: deque[str] = deque(maxlen=5)
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True,
                              bufsize=1, env={**os.environ, "PYTHONUNBUFFERED": "1"}) as process:
            assert process.stdout is not None
            for line in process.stdout:
                print(line, end="", flush=True)
                if line.strip():
                    tail.append(line.strip())
            status = process.wait()
        minutes = (time.monotonic() - started) / 60
        results = read_results(results_file) if results_file.exists() else []
    for result in results:
        result.database = result.database or label
    if status != 0 and not any(r.status == "crashed" for r in results):
        why = f"exit status {status}" + (f": {tail[-1]}" if tail else "")
        results.append(Result(benchmark=path.stem, case="(whole benchmark)", database=label, status="crashed",
                              detail=why[:300]))
    print(f"=== {path.stem} on {label}: {minutes:.1f} min ===", flush=True)
    return results


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--database", action="append", default=[],
                        help="sqlite, or a PostgreSQL URL (repeatable; default: sqlite)")
    parser.add_argument("--sizes", default="5000,100000", help="demo sizes in managers")
    parser.add_argument("--only", default="", help="benchmark names, comma-separated (default: all)")
    parser.add_argument("--no-record", action="store_true", help="do not append to docs/benchmarks.md")
    args = parser.parse_args()
    databases = args.database or ["sqlite"]
    found, other = benchmarks()
    if args.only:
        wanted = {name.strip() for name in args.only.split(",")}
        found = [path for path in found if path.stem in wanted]
    results: list[Result] = []
    for path in found:
        for database in databases:
            results += run_one(path, database, args)
    print("\n=== Summary ===")
    print(summary_table(results))
    if other:
        print("\nNot benchmarks (no bench_main, not run): " + ", ".join(path.name for path in other))
    crashed = [r for r in results if r.status == "crashed"]
    missed = [r for r in results if r.met is False]
    print(f"\n{len(results)} figures; {len(missed)} targets missed; {len(crashed)} crashed."
          + ("" if args.no_record else " Recorded in docs/benchmarks.md."))
    return 1 if crashed else 0


if __name__ == "__main__":
    sys.exit(main())
