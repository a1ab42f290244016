"""Login benchmark (run by `make bench`).

Logins per second through the real login page, in one process per core: each login GETs the
form (its CSRF cookie) and POSTs the username and password, which runs django-axes' checks,
the Argon2 verification, a new session, the last-login write and axes' access log. Beside it,
in the same run and the same number of processes, the baseline: the Argon2 verification
alone at the project's parameters (PASSWORD_HASHERS[0]). The ratio of the two says what the
rest of a login (page, form, axes, session, writes) costs, and the CPU per login gives the
rate the cores allow when nothing else runs (printed beside the measured rate, with the load
average the run started with: a shared machine lowers the rates). For comparison the run also
measures the verification at Django's default Argon2 parameters (what the project used
before: 100 MiB, p=8), and the first login of users whose hash still has them (verified,
then rehashed with the project's parameters, once per user). Target: >= 30 logins/s.

    python benchmarks/login.py [--seconds 10] [--processes N] [--database-url postgres://...]

Without --database-url a fresh SQLite file in a temporary directory is used. With a
PostgreSQL URL the named database is dropped and created afresh (never point it at data you
want to keep). The figures are printed and appended to docs/benchmarks.md.
"""

import argparse
import multiprocessing
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Result, bench_main, database_label, django_in_scratch, machine  # noqa: E402 - after the path

TARGET = 30  # logins/s
PASSWORD = "bench-login-password-2026"  # noqa: S105 (the benchmark users' password)
USERS = 4000  # enough that no process logs one user in twice in a short run
OLD_USERS = 60  # users whose hash has Django's default parameters (the upgrade)


def make_users() -> None:
    from django.contrib.auth.hashers import Argon2PasswordHasher, make_password

    from casspath.core.models import User

    current = make_password(PASSWORD)  # one hash for all: Argon2 per user is slow, salts do not matter here
    django_default = Argon2PasswordHasher()
    User.objects.bulk_create([User(username=f"B{i:06d}", password=current) for i in range(USERS)])
    User.objects.bulk_create([
        User(username=f"OLD{i:04d}", password=django_default.encode(PASSWORD, django_default.salt()))
        for i in range(OLD_USERS)
    ])


# --- what each process runs ----------------------------------------------------------------

_clients: list = []


def log_in(username: str) -> None:
    """One login, as a browser with no cookie for the site makes it."""
    from http.cookies import SimpleCookie

    from django.test import Client

    if not _clients:  # one per process: a Client loads the middleware (whitenoise scans its files)
        _clients.append(Client(enforce_csrf_checks=True))
    client = _clients[0]
    client.cookies = SimpleCookie()
    assert client.get("/accounts/login/").status_code == 200
    response = client.post("/accounts/login/", {
        "username": username, "password": PASSWORD,
        "csrfmiddlewaretoken": client.cookies["csrftoken"].value,
    })
    assert response.status_code == 302, (username, response.status_code)


def verify(encoded: str) -> None:
    from django.contrib.auth.hashers import check_password

    assert check_password(PASSWORD, encoded)


def worker(job: tuple) -> tuple[int, float]:
    """Runs one kind of work until the deadline (or through its list); (calls, CPU seconds)."""
    kind, items, start_at, deadline = job
    from django.db import connections

    connections.close_all()  # never share the parent's connection
    while time.time() < start_at:
        time.sleep(0.001)
    cpu0 = time.process_time()
    done = 0
    for item in items:
        if deadline and time.time() >= deadline:
            break
        if kind == "login":
            log_in(item)
        else:
            verify(item)
        done += 1
    connections.close_all()
    return done, time.process_time() - cpu0


def measure(pool, kind: str, per_process: list[list], seconds: float | None) -> tuple[float, float, int]:
    """(calls per second over all processes, CPU ms per call, calls)."""
    start_at = time.time() + 0.5  # every process starts then
    deadline = start_at + seconds if seconds else 0.0
    results = pool.map(worker, [(kind, items, start_at, deadline) for items in per_process])
    elapsed = time.time() - start_at  # the last process to finish ends the figure
    calls = sum(done for done, _cpu in results)
    cpu = sum(cpu for _done, cpu in results)
    return calls / elapsed, cpu / calls * 1000, calls


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--seconds", type=float, default=float(os.environ.get("BENCH_DURATION", 10)),
                        help="measuring time of each figure")
    parser.add_argument("--processes", type=int, default=os.cpu_count() or 1)


def run(args: argparse.Namespace) -> list[Result]:
    load_before = os.getloadavg()[0]  # other work on the machine slows every figure alike
    os.environ["ALLOWED_HOSTS"] = "testserver"
    workdir = django_in_scratch(args.database_url, "casspath-bench-login-")
    from django.conf import settings
    from django.contrib.auth.hashers import Argon2PasswordHasher, get_hasher, make_password
    from django.db import connection, connections

    from casspath.core.models import User

    make_users()
    hasher = get_hasher()
    params = (f"m={hasher.memory_cost // 1024} MiB, t={hasher.time_cost}, "  # type: ignore[attr-defined]
              f"p={hasher.parallelism}")  # type: ignore[attr-defined]
    current = make_password(PASSWORD)
    django_default = Argon2PasswordHasher()
    old = django_default.encode(PASSWORD, django_default.salt())
    engine = database_label(connection)
    connections.close_all()

    n = args.processes
    usernames = [f"B{i:06d}" for i in range(USERS)]
    olds = [f"OLD{i:04d}" for i in range(OLD_USERS)]
    many = 10**6  # verifications run until the deadline
    with multiprocessing.get_context("fork").Pool(n) as pool:
        measure(pool, "login", [usernames[-n * 5:][i::n] for i in range(n)], None)  # warm: imports, templates
        print(f"{n} processes, {args.seconds:.0f} s per figure ...", flush=True)
        verify_rate, verify_cpu, _ = measure(pool, "verify", [[current] * many] * n, args.seconds)
        per_login = [usernames[i::n] for i in range(n)]
        login_rate, login_cpu, logins = measure(pool, "login", per_login, args.seconds)
        old_rate, old_cpu, _ = measure(pool, "verify", [[old] * many] * n, args.seconds / 2)
        upgrade_rate, upgrade_cpu, upgraded = measure(pool, "login", [olds[i::n] for i in range(n)], None)

    prefix = current.rsplit("$", 2)[0] + "$"  # argon2$argon2id$v=19$m=...,t=...,p=...$
    rehashed = User.objects.filter(username__in=olds, password__startswith=prefix).count()
    assert rehashed == upgraded == OLD_USERS, (rehashed, upgraded)
    ratio = login_rate / verify_rate
    cores = os.cpu_count() or 1
    capacity = min(n, cores) / login_cpu * 1000  # logins/s the cores allow, were they ours alone
    print(f"(work dir {workdir}; {logins} logins; sessions last {settings.SESSION_COOKIE_AGE // 3600} h; "
          f"load average {load_before:.1f} before the run)")
    common = {"benchmark": "Login", "database": engine, "machine": machine(database=engine),
              "size": f"{n} processes, {args.seconds:.0f} s a figure"}
    baseline = (f"the Argon2id verification alone ({params}): {verify_rate:.1f}/s, "
                f"{verify_cpu:.1f} ms CPU each")
    return [
        Result(case="logins through the login page (form, axes, verification, session, writes)",
               figure=(f"{login_rate:.1f} logins/s, {login_cpu:.1f} ms CPU each "
                       f"({login_cpu - verify_cpu:.1f} ms beside the hash); the cores allow {capacity:.0f}/s "
                       "at that CPU when nothing else runs"),
               value=login_rate, baseline=baseline, ratio=ratio, target=f"≥ {TARGET} logins/s",
               met=login_rate >= TARGET, numbers={"cpu_ms": login_cpu, "capacity": capacity}, **common),
        Result(case="before: Django's default Argon2 (m=100 MiB, t=2, p=8), the verification alone",
               figure=f"{old_rate:.1f}/s, {old_cpu:.1f} ms CPU each", value=old_rate, **common),
        Result(case=f"first login of a user with an old hash (verified, rehashed to {params}), once per user",
               figure=f"{upgrade_rate:.1f}/s, {upgrade_cpu:.1f} ms CPU each ({upgraded} users, all rehashed)",
               value=upgrade_rate, **common),
    ]


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
