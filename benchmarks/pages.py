"""Page benchmark (run by `make bench`): the pages people open most, served by gunicorn.

For each size (--sizes, managers; default 5,000 and 100,000) the demo company is built in a
scratch database (a SQLite file; on PostgreSQL the database <name>_pages, casspath_bench_pages
by default, dropped and created), gunicorn serves it on the loopback with 3 sync workers (as
production would: docs/operations.md), the demo users log in through the login page, and wrk
loads each page with 32 connections: req/s, latency p50/p95/p99, and CPU per request (the
workers' CPU time from /proc before and after, over the requests served). The baseline is a
bare Django JSON view served by the same server in the same run (benchmarks/_pages_server.py,
no middleware; it is not part of the product); each page's rate is a share of the bare view's
rate measured on the same server right after the page (BARE_SECONDS), because the load of a
shared machine drifts over the minutes a run takes and a baseline taken once at the start
would carry that drift into every share.

Who asks for what: the province admin (admin) and an account manager their home page; the
admin of the whole company (admin up to one province, hqadmin for a national company) the
employee list, its search, the org tree and the API's employee list (bearer token), the
pages whose cost could grow with the company; the province admin an employee's page.

Targets (issue 6): employee detail and the API's employee list ≥ 10% of bare, a manager's
home ≥ 15%; every page at the largest size within noise of the smallest, as a share of bare
in its own run (≥ 0.8 of it).

    python benchmarks/pages.py [--database-url postgres://.../casspath_bench] [--sizes 5000,100000]
                               [--duration 10] [--pages home_manager,employee_detail] [--no-cache]

The demo of a size is built once and kept in benchmarks/out/cache (a SQLite file, or a
pg_dump restored in seconds), keyed by size, seed and a digest of what makes its data (the
migrations, the demo parts, the models and actions they call, settings): a change to any of
those builds it again. Each run works on a copy, so what a run writes (sessions, a token)
never reaches the cache. Needs wrk (`make bench` installs Debian's package when missing).
"""

import argparse
import hashlib
import json
import math
import os
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from http.cookiejar import CookieJar
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import (  # noqa: E402 - after the path
    OUT,
    Result,
    bench_main,
    check,
    database_label,
    fresh_postgres,
    machine,
    read_results,
    scratch_url,
    sizes,
)

BIN = Path(sys.executable).parent
CACHE = OUT / "cache"
SEARCH = "陈伟"  # a common name in the demo (陈 is Guangdong's most common surname)
BARE = "bare"
# key, what is measured, who asks ("admin", "top": the whole company's admin, "manager",
# "lead", "token": the top admin's bearer token), path, target.
PAGES = [
    (BARE, "bare Django JSON view (baseline)", None, "/bench/bare", ""),
    ("home_admin", "home, province admin", "admin", "/", ""),
    ("home_top", "home, whole-company admin", "top", "/", ""),
    ("home_manager", "home, account manager", "manager", "/", "≥ 15%"),
    ("home_lead", "home, team lead", "lead", "/", ""),
    ("employee_list", "employee list, first page", "top", "/org/employees/", ""),
    ("employee_search", f"employee list, search {SEARCH}", "top",
     "/org/employees/?" + urllib.parse.urlencode({"q": SEARCH}), ""),
    ("employee_detail", "employee detail", "admin", "/org/employees/{employee}/", "≥ 10%"),
    ("org_tree", "org tree", "top", "/org/", ""),
    ("api_employees", "API employee list (bearer token)", "token", "/api/v1/org/employees", "≥ 10%"),
]
SAME_AT_ANY_SIZE = "≥ 0.8"
BARE_SECONDS = 3  # the bare view's run beside each page
MIN_REQUESTS = 30  # a slow page is loaded for longer (up to --max-duration), to serve about these
WRK_REPORT = """
done = function(summary, latency, requests)
  local e = summary.errors
  io.write(string.format('BENCHJSON {"requests": %d, "duration_us": %d, "bytes": %d, "connect": %d, '
    .. '"read": %d, "write": %d, "status": %d, "timeout": %d, "p50": %d, "p95": %d, "p99": %d}\\n',
    summary.requests, summary.duration, summary.bytes, e.connect, e.read, e.write, e.status, e.timeout,
    latency:percentile(50), latency:percentile(95), latency:percentile(99)))
end
"""


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--duration", type=float, default=float(os.environ.get("BENCH_DURATION", 10)),
                        help="seconds of load per page (after a 2 s warm-up); default 10")
    parser.add_argument("--max-duration", type=float, default=60,
                        help="seconds of load for a slow page, to serve about 30 requests; default 60")
    parser.add_argument("--connections", type=int, default=32)
    parser.add_argument("--workers", type=int, default=3, help="gunicorn sync workers")
    parser.add_argument("--pages", default="", help="page keys, comma-separated (default: all)")
    parser.add_argument("--no-cache", action="store_true", help="build the demo afresh, do not keep it")
    parser.add_argument("--one-size", type=int, default=0, help=argparse.SUPPRESS)  # the per-size child


def run(args: argparse.Namespace) -> list[Result]:
    if args.one_size:
        return measure(args, args.one_size)
    if not shutil.which("wrk"):
        raise SystemExit("wrk is missing: apt-get install wrk (make bench installs it)")
    # Each size in its own process: Django is set up once per process, on one database.
    results: list[Result] = []
    for size in sizes(args):
        with tempfile.TemporaryDirectory(prefix="casspath-pages-") as tmp:
            out = Path(tmp) / "results.json"
            command = [sys.executable, __file__, "--one-size", str(size), "--results", str(out),
                       "--no-record", "--no-table", "--database-url", args.database_url,
                       "--seed", str(args.seed), "--duration", str(args.duration),
                       "--max-duration", str(args.max_duration), "--connections", str(args.connections),
                       "--workers", str(args.workers), "--pages", args.pages]
            if args.no_cache:
                command.append("--no-cache")
            status = subprocess.run(command, cwd=ROOT, check=False).returncode
            found = read_results(out) if out.exists() else []
            if status != 0 and not any(r.status == "crashed" for r in found):
                found.append(Result(benchmark="Pages", case="(all pages)", status="crashed",
                                    detail=f"exit status {status}"))
            for result in found:
                result.size = result.size or f"{size:,} managers"
                result.benchmark = "Pages"
            results += found
    return results + across_sizes(results)


def across_sizes(results: list[Result]) -> list[Result]:
    """Each page at the largest size against the smallest, as shares of bare in their own runs."""
    measured = [r for r in results if r.status == "ok" and r.value is not None]
    by_size = sorted({_managers(r.size) for r in measured})
    if len(by_size) < 2:
        return []
    small, big = by_size[0], by_size[-1]
    rows = []
    for _key, case, _who, _path, _target in PAGES:
        pair = {_managers(r.size): r for r in measured if r.case == case}
        if case.startswith("bare") or small not in pair or big not in pair:
            continue
        before, after = pair[small], pair[big]
        if not before.ratio or after.ratio is None:
            continue
        ratio = after.ratio / before.ratio
        rows.append(Result(
            benchmark="Pages", case=case, database=after.database, size=f"{big:,} vs {small:,}",
            figure=f"{after.ratio_text} vs {before.ratio_text} of bare ({after.value:,.1f} vs "
                   f"{before.value:,.1f} req/s)" + _cpu_pair(after, before),
            value=ratio, baseline="its share of bare at the smaller size", ratio=ratio,
            target=SAME_AT_ANY_SIZE, met=check(ratio, SAME_AT_ANY_SIZE), machine=after.machine))
    return rows


def _cpu_pair(after: Result, before: Result) -> str:
    # CPU a request moves less than req/s on a shared machine (the database server's not counted).
    cpu = after.numbers.get("cpu_ms"), before.numbers.get("cpu_ms")
    return f"; CPU {cpu[0]:,.1f} vs {cpu[1]:,.1f} ms/req" if None not in cpu else ""


def _managers(size: str) -> int:
    return int(size.split()[0].replace(",", ""))


# The demo's data comes from these: a change to any of them builds the cached demo again.
DATA_SOURCES = ["casspath/*/migrations/*.py", "casspath/*/demo.py", "casspath/*/defaults.py",
                "casspath/*/models.py", "casspath/*/actions.py", "casspath/*/actions/*.py",
                "casspath/*/tree.py", "casspath/*/data/**/*", "casspath/settings.py", "uv.lock"]


def cache_key(size: int, seed: int) -> str:
    digest = hashlib.sha256(f"{size}:{seed}".encode())
    for pattern in DATA_SOURCES:
        for path in sorted(ROOT.glob(pattern)):
            if path.is_file() and "__pycache__" not in path.parts:
                digest.update(str(path.relative_to(ROOT)).encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def casspath_command(*arguments: str, env: dict[str, str]) -> None:
    subprocess.run([str(BIN / "casspath"), *arguments], cwd=ROOT, env=env, check=True)


def build_demo(size: int, seed: int, env: dict[str, str]) -> None:
    print(f"building the demo of {size:,} managers (seed {seed}) ...", flush=True)
    started = time.monotonic()
    casspath_command("migrate", "--no-input", "--verbosity", "0", env=env)
    casspath_command("demo", "--managers", str(size), "--seed", str(seed), env=env)
    print(f"demo built in {time.monotonic() - started:.0f} s", flush=True)


def prepare_database(args: argparse.Namespace, size: int, workdir: Path) -> dict[str, str]:
    """A database holding the demo of `size`, for this run only: its environment."""
    env = {**os.environ, "CASSPATH_VAR_DIR": str(workdir), "DJANGO_SETTINGS_MODULE": "casspath.settings",
           "SECURE_COOKIES": "0"}  # plain HTTP on the loopback, as `make demo`
    env.pop("DATABASE_URL", None)
    CACHE.mkdir(parents=True, exist_ok=True)
    key = cache_key(size, args.seed)
    if not args.database_url:
        database = workdir / "pages.sqlite3"
        cached = CACHE / f"pages-sqlite-{size}-{args.seed}-{key}.sqlite3"
        if args.no_cache or not cached.exists():
            building = workdir / "building.sqlite3"
            build_demo(size, args.seed, {**env, "DATABASE_URL": f"sqlite:///{building}"})
            with sqlite3.connect(building) as conn:  # everything in the one file, no -wal beside it
                conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            if args.no_cache:
                building.rename(database)
                return {**env, "DATABASE_URL": f"sqlite:///{database}"}
            _forget_older(f"pages-sqlite-{size}-{args.seed}-")
            shutil.move(building, cached)
        else:
            print(f"the demo of {size:,} managers from the cache ({cached.name})", flush=True)
        shutil.copyfile(cached, database)
        return {**env, "DATABASE_URL": f"sqlite:///{database}"}
    url = scratch_url(args.database_url, "_pages")
    env["DATABASE_URL"] = url
    fresh_postgres(url)
    version = _postgres_major(url)
    cached = CACHE / f"pages-pg{version}-{size}-{args.seed}-{key}.dump"
    if args.no_cache or not cached.exists():
        build_demo(size, args.seed, env)
        if not args.no_cache:
            _forget_older(f"pages-pg{version}-{size}-{args.seed}-")
            partial = cached.with_suffix(".partial")
            subprocess.run(["pg_dump", "--format=custom", "--file", str(partial), url], check=True)
            partial.rename(cached)
    else:
        print(f"the demo of {size:,} managers from the cache ({cached.name})", flush=True)
        started = time.monotonic()
        subprocess.run(["pg_restore", "--jobs=2", "--no-owner", "--no-acl", "--exit-on-error",
                        "--dbname", url, str(cached)], check=True)
        _analyze(url)  # a dump carries no planner statistics: what the demo's own ANALYZE left
        print(f"restored in {time.monotonic() - started:.0f} s", flush=True)
    return env


def _forget_older(prefix: str) -> None:
    for stale in CACHE.glob(prefix + "*"):
        stale.unlink()


def _analyze(url: str) -> None:
    import psycopg

    with psycopg.connect(url, autocommit=True) as conn:
        conn.execute("ANALYZE")


def _postgres_major(url: str) -> str:
    import psycopg

    with psycopg.connect(url) as conn:
        return str(conn.info.server_version // 10000)


class Server:
    """gunicorn on a free loopback port, its workers' CPU time read from /proc."""

    def __init__(self, env: dict[str, str], workers: int, log: Path):
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            self.port = probe.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.log = log.open("w")
        self.process = subprocess.Popen(
            [str(BIN / "gunicorn"), "_pages_server:application", "--chdir", str(ROOT / "benchmarks"),
             "--pythonpath", str(ROOT), "--bind", f"127.0.0.1:{self.port}", "--workers", str(workers),
             "--worker-class", "sync", "--timeout", "300", "--log-level", "warning"],
            cwd=ROOT, env=env, stdout=self.log, stderr=subprocess.STDOUT)
        self.workers = workers
        deadline = time.monotonic() + 120
        while True:
            try:
                with urllib.request.urlopen(self.url + "/bench/bare", timeout=5) as response:  # noqa: S310
                    if response.status == 200 and len(self.worker_pids()) == workers:
                        break
            except OSError:
                pass
            if self.process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"gunicorn did not start: see {log}")
            time.sleep(0.5)

    def worker_pids(self) -> list[int]:
        pids = []
        for stat in Path("/proc").glob("[0-9]*/stat"):
            try:
                fields = stat.read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            if int(fields[1]) == self.process.pid:
                pids.append(int(stat.parent.name))
        return sorted(pids)

    def cpu_seconds(self) -> float:
        """The workers' CPU time (user + system) so far; fixed set of workers expected."""
        ticks = 0
        for pid in self.worker_pids():
            try:
                fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
            except OSError:
                continue
            ticks += int(fields[11]) + int(fields[12])
        return ticks / os.sysconf("SC_CLK_TCK")

    def stop(self) -> None:
        """Quick shutdown (SIGQUIT): the requests still queued are dropped, not served."""
        self.process.send_signal(signal.SIGQUIT)
        try:
            self.process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        self.log.close()


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, req, fp, code, msg, headers, newurl):
        return None


def log_in(base: str, username: str, password: str) -> str:
    """Log in through the login page, as a person would; the Cookie header of the session."""
    jar = CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), _NoRedirect)
    with opener.open(base + "/accounts/login/", timeout=60) as response:
        form = response.read().decode()
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', form)
    if token is None:
        raise RuntimeError("the login page has no CSRF token")
    data = urllib.parse.urlencode({"username": username, "password": password,
                                   "csrfmiddlewaretoken": token.group(1)}).encode()
    try:
        opener.open(urllib.request.Request(base + "/accounts/login/", data=data), timeout=60)
        raise RuntimeError(f"{username} was not logged in (no redirect)")
    except urllib.error.HTTPError as redirect:
        if redirect.code != 302:
            raise RuntimeError(f"{username} was not logged in: HTTP {redirect.code}") from None
    cookies = {cookie.name: cookie.value for cookie in jar}
    if "sessionid" not in cookies:
        raise RuntimeError(f"{username} was not logged in: no session cookie")
    return "; ".join(f"{name}={value}" for name, value in cookies.items())


def fetch(url: str, headers: dict[str, str]) -> tuple[int, int]:
    """One request, no redirect followed: its status and size."""
    opener = urllib.request.build_opener(_NoRedirect)
    try:
        with opener.open(urllib.request.Request(url, headers=headers), timeout=300) as response:
            return response.status, len(response.read())
    except urllib.error.HTTPError as error:
        return error.code, 0


def wrk(url: str, headers: dict[str, str], seconds: float, connections: int, script: Path) -> dict:
    command = ["wrk", "--threads", "2", "--connections", str(max(2, connections)),
               "--duration", f"{math.ceil(seconds)}s", "--timeout", "120s", "--script", str(script), url]
    for name, value in headers.items():
        command[1:1] = ["--header", f"{name}: {value}"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    line = next((line for line in done.stdout.splitlines() if line.startswith("BENCHJSON ")), None)
    if done.returncode != 0 or line is None:
        raise RuntimeError(f"wrk failed ({done.returncode}): {(done.stderr or done.stdout).strip()[-300:]}")
    return json.loads(line.removeprefix("BENCHJSON "))


def demo_people(size: int, seed: int) -> dict[str, str]:
    """Usernames of the demo's logins by the parts they play here, and an employee to open."""
    from casspath.org.demo import plan_demo
    from casspath.org.models import Role

    showcase = plan_demo(size, seed).showcase
    admins = [login.username for login in showcase if login.role == Role.TRAINING_ADMIN]
    managers = [login.username for login in showcase if login.role == Role.ACCOUNT_MANAGER]
    leads = [login.username for login in showcase if login.role == Role.TEAM_LEAD]
    return {"admin": "admin", "top": admins[0], "manager": managers[0], "lead": leads[0],
            "employee": managers[-1]}


def measure(args: argparse.Namespace, size: int) -> list[Result]:
    info = machine()
    workdir = Path(tempfile.mkdtemp(prefix=f"casspath-pages-{size}-"))
    env = prepare_database(args, size, workdir)
    os.environ.update(env)

    import django

    django.setup()
    from django.conf import settings
    from django.db import connection, connections

    from casspath.api.actions import do_create_token
    from casspath.core.models import User

    people = demo_people(size, args.seed)
    top = User.objects.get(username=people["top"])
    _token, secret = do_create_token(top, "page benchmark", acting_user=top)
    engine = database_label(connection)
    connections.close_all()
    gunicorn = subprocess.run([str(BIN / "gunicorn"), "--version"], capture_output=True, text=True,
                              check=False).stdout.strip()
    wrk_version = subprocess.run(["wrk", "--version"], capture_output=True, text=True,
                                 check=False).stdout.split(" [")[0].strip()
    info.update(database=engine, server=f"{gunicorn}, {args.workers} sync workers",
                loadgen=f"{wrk_version}, {args.connections} connections, {args.duration:g} s a page",
                conn_max_age=f"CONN_MAX_AGE {settings.DATABASES['default'].get('CONN_MAX_AGE', 0)}")
    script = workdir / "report.lua"
    script.write_text(WRK_REPORT)
    wanted = {key.strip() for key in args.pages.split(",") if key.strip()}
    pages = [page for page in PAGES if not wanted or page[0] in wanted or page[0] == BARE]
    password = settings.CASSPATH["DEMO_PASSWORD"]
    server = Server(env, args.workers, workdir / "gunicorn.log")
    try:
        cookies = {role: log_in(server.url, people[role], password)
                   for role in ("admin", "top", "manager", "lead")}
    finally:
        server.stop()
    results: list[Result] = []
    bare_rate = None
    for key, case, who, path, target in pages:
        result = Result(benchmark="Pages", case=case, database=engine, size=f"{size:,} managers",
                        target=target if key != BARE else "", machine=info, ratio_unit="%")
        # A server of its own for each page: what a slow page left queued when its load
        # stopped is dropped with it, instead of being served into the next page's figures.
        server = Server(env, args.workers, workdir / f"gunicorn-{key}.log")
        try:
            headers = ({"Authorization": f"Bearer {secret}"} if who == "token"
                       else {"Cookie": cookies[who]} if who else {})
            url = server.url + path.format(employee=people["employee"])
            started = time.monotonic()
            status, length = fetch(url, headers)
            alone = time.monotonic() - started
            if status != 200:
                raise RuntimeError(f"HTTP {status} for {path}")
            wrk(url, headers, 2, args.workers, script)  # warm-up: every worker serves the page
            # Long enough for MIN_REQUESTS of a slow page (as fast as it was alone), up to a minute.
            seconds = min(args.max_duration, max(args.duration, MIN_REQUESTS * alone / parallel(args)))
            before = server.cpu_seconds()
            load = wrk(url, headers, seconds, args.connections, script)
            cpu = server.cpu_seconds() - before
            measure_page(result, load, cpu, length, people[who if who != "token" else "top"] if who else "")
            if key == BARE:
                bare_rate = result.value
            elif result.value is not None:
                beside = wrk(server.url + "/bench/bare", {}, BARE_SECONDS, args.connections, script)
                if beside["requests"] and beside["duration_us"]:
                    bare_rate = beside["requests"] / (beside["duration_us"] / 1e6)
                if bare_rate:
                    result.ratio = result.value / bare_rate
                    result.baseline = f"bare Django {bare_rate:,.0f} req/s beside it"
                    result.met = check(result.ratio, target)
            ratio = f"; {result.ratio_text} of bare" if result.ratio is not None else ""
            print(f"  {case}: {result.figure}{ratio} ({result.detail})", flush=True)
        except Exception as exc:  # noqa: BLE001 - one page failing leaves the others to measure
            result.status, result.detail = "failed", f"{type(exc).__name__}: {exc}"[:300]
            print(f"  {case}: FAILED {result.detail}", flush=True)
        finally:
            server.stop()
        results.append(result)
    if args.database_url:
        fresh_postgres(scratch_url(args.database_url, "_pages"))  # the 100,000 rows are not left behind
    shutil.rmtree(workdir, ignore_errors=True)
    return results


def measure_page(result: Result, load: dict, cpu: float, length: int, username: str) -> None:
    """The figure of one wrk run: req/s, latency percentiles, the workers' CPU a request."""
    requests = load["requests"]
    seconds = load["duration_us"] / 1e6
    errors = sum(load[kind] for kind in ("connect", "read", "write", "status", "timeout"))
    result.value = requests / seconds
    result.numbers = {"requests": requests, "seconds": seconds, "errors": errors, "bytes": length,
                      "cpu_ms": cpu * 1000 / requests if requests else None,
                      **{f"{p}_ms": load[p] / 1000 for p in ("p50", "p95", "p99")}}
    if requests:
        result.figure = (f"{result.value:,.1f} req/s · p50 {_ms(load['p50'])} · p95 {_ms(load['p95'])} · "
                         f"p99 {_ms(load['p99'])} · CPU {cpu * 1000 / requests:,.1f} ms/req")
    else:
        result.figure = f"no request done in {seconds:.0f} s (workers' CPU {cpu:.1f} s)"
    result.detail = (f"as {username}, " if username else "") + (
        f"{length / 1024:,.0f} KB, {requests:,} requests in {seconds:.0f} s")
    if errors:
        result.detail += f", {errors} errors"


def parallel(args: argparse.Namespace) -> int:
    return max(1, min(args.workers, os.cpu_count() or 1))


def _ms(microseconds: int) -> str:
    if microseconds >= 1_000_000:
        return f"{microseconds / 1e6:.1f} s"
    return f"{microseconds / 1000:,.0f} ms" if microseconds >= 10_000 else f"{microseconds / 1000:.1f} ms"


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
