"""Where a request's time goes, in process (no web server, no network).

Builds the demo company in a scratch database (or uses the configured one with --existing),
then calls Django's WSGI handler in a loop, as a gunicorn worker does, for a few pages, each
as one logged-in user, beside a bare Django JSON view (no middleware, one URL) called the same
way in the same process. For each page it prints wall and CPU milliseconds per request (the
best of seven rounds: the machine may be shared), the CPU the PostgreSQL server spent on it
(when it runs on this machine), the number of queries (--sql prints them), and its rate as a
share of the bare view's. Two rows isolate the fixed costs: the bare view behind casspath's
whole middleware stack, anonymous (stack_anon) and logged in (stack_user: the session and the
user are loaded).

With --profile each page then runs under pyinstrument (a sampling profiler; wall time, so a
wait for the database shows as time in the driver) and the script prints its own time grouped
by area (templates, ORM compiler, querysets, database driver, middleware, menu, scopes, ...)
and the call tree; --cprofile uses cProfile with a CPU clock instead, with the top functions
(--top, sorted by PROFILE_SORT=cumulative|tottime). Both profilers slow the request down
(pyinstrument about 3x, cProfile 8x): read the shares, not the milliseconds.

In process, the bare view costs about a tenth of what it costs through gunicorn (which parses
HTTP and writes the socket for every request): the shares printed here are therefore much
lower than the ratios benchmarks/pages.py measures through gunicorn and wrk, and it is those
the issue's targets are about. This is the tool for finding where the time goes.

    python benchmarks/profile_request.py [--managers 5000] [--database-url postgres://...]
                                         [--existing] [--pages employee,home_manager]
                                         [--profile | --cprofile] [--sql 200]

Without --database-url a fresh SQLite file in a temporary directory is used; with a
PostgreSQL URL the named database is dropped and created afresh (never point it at data you
want to keep), unless --existing says to use the configured database (DATABASE_URL,
CASSPATH_VAR_DIR) and its demo as they are. Nothing is recorded: benchmarks/pages.py records
page figures in docs/benchmarks.md.
"""

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from collections import defaultdict
from pathlib import Path
from types import ModuleType

SORT = os.environ.get("PROFILE_SORT", "cumulative")
ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import django_in_scratch  # noqa: E402 - after the path

# Who asks for what: (name, username or a demo role to pick, path).
PAGES = {
    "bare": (None, "/bare/"),
    # The bare view behind casspath's whole middleware stack, anonymous and logged in (the
    # middleware reads request.user: the session and the user are loaded).
    "stack_anon": (None, "/bare/"),
    "stack_user": ("gzadmin", "/bare/"),
    "login_page": (None, "/accounts/login/"),
    "home_manager": ("manager", "/"),
    "home_admin": ("gzadmin", "/"),
    "employee": ("gzadmin", "/org/employees/{employee_no}/"),
    "api_employees": ("gzadmin", "/api/v1/org/employees?limit=20"),
    # As benchmarks/pages.py loads it: a bearer token (no session), the default page of 50.
    "api_token": ("token:gzadmin", "/api/v1/org/employees"),
    "api_me": ("manager", "/api/v1/me"),
}
DEFAULT_PAGES = "stack_anon,stack_user,login_page,home_manager,employee,api_employees,api_token,api_me"

# Areas of the profile, by the first path fragment a function's file contains.
AREAS = [
    # pyinstrument names C functions "<built-in>:Class.method"; cProfile "~:<method ...>".
    ("CursorWrapper.execute", "database driver"),
    ("CursorWrapper.fetch", "database driver"),
    ("<built-in>:PGconn", "database driver"),
    ("SchemaSerializer", "pydantic"),
    ("SchemaValidator", "pydantic"),
    ("<built-in>", "built-ins (getattr, isinstance, ...)"),
    ("<string>", "generated code (dataclasses, namedtuples)"),
    ("casspath/core/middleware", "casspath middleware"),
    ("casspath/api/middleware", "casspath middleware"),
    ("casspath/core/nul", "casspath middleware"),
    ("casspath/core/uploads", "casspath middleware"),
    ("casspath/site/context_processors", "menu (context processor)"),
    ("casspath/site/discovery", "menu (context processor)"),
    ("casspath/org/scopes", "scopes"),
    ("casspath/", "casspath views and queries"),
    ("axes/", "axes"),
    ("csp/", "django-csp"),
    ("whitenoise/", "whitenoise"),
    ("ninja/", "django-ninja"),
    ("pydantic", "pydantic"),
    ("django/template/", "templates"),
    ("django/templatetags/", "templates"),
    ("django/db/backends/", "ORM: backend"),
    ("django/db/models/sql/", "ORM: SQL compiler"),
    ("django/db/models/", "ORM: models and querysets"),
    ("django/db/", "ORM: other"),
    ("django/contrib/sessions/", "sessions"),
    ("django/contrib/auth/", "auth"),
    ("django/contrib/messages/", "messages"),
    ("django/utils/translation/", "i18n"),
    ("django/middleware/locale", "i18n"),
    ("django/urls/", "URL resolving and reversing"),
    ("django/middleware/", "Django middleware"),
    ("django/core/handlers/", "Django request handling"),
    ("django/http/", "Django request and response"),
    ("django/core/signing", "signing (sessions, CSRF)"),
    ("django/utils/crypto", "signing (sessions, CSRF)"),
    ("django/core/signals", "signals"),
    ("django/dispatch/", "signals"),
    ("django/utils/", "django.utils"),
    ("django/", "Django, other"),
    ("psycopg", "database driver"),
    ("sqlite3", "database driver"),
    ("{method 'execute' of 'sqlite3", "database driver"),
    ("<built-in method", "built-ins (getattr, isinstance, ...)"),
    ("<method", "built-ins (getattr, isinstance, ...)"),
    ("python3.11/", "standard library"),
]


def area_of(filename: str, funcname: str) -> str:
    key = f"{filename}:{funcname}" if filename != "~" else funcname
    for fragment, area in AREAS:
        if fragment in key:
            return area
    return "other"


def bare_handlers():
    """The baseline: a WSGI handler without middleware whose urlconf is one JSON view (a
    bare Django project, in this process); and the same view behind casspath's middleware."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.http import JsonResponse
    from django.test.utils import override_settings
    from django.urls import path

    def bare(request):
        return JsonResponse({"ok": True})

    module = ModuleType("casspath_bench_bare_urls")
    module.urlpatterns = [path("bare/", bare)]  # type: ignore[attr-defined]
    sys.modules[module.__name__] = module

    class BareHandler(WSGIHandler):
        def resolve_request(self, request):
            request.urlconf = module.__name__
            return super().resolve_request(request)

    with override_settings(MIDDLEWARE=[]):
        bare = BareHandler()
    return bare, BareHandler()


class Caller:
    """Calls a WSGI handler with a GET for one path, as one session (or none)."""

    def __init__(self, handler, path: str, cookie: str, urlconf: str | None = None, token: str = ""):
        from django.test import RequestFactory

        self.handler = handler
        self.urlconf = urlconf
        environ = RequestFactory().get(path).environ
        environ.update({"SERVER_NAME": "127.0.0.1", "HTTP_HOST": "127.0.0.1", "REMOTE_ADDR": "127.0.0.1",
                        "HTTP_ACCEPT_LANGUAGE": "zh-CN,zh;q=0.9"})
        if cookie:
            environ["HTTP_COOKIE"] = cookie
        if token:
            environ["HTTP_AUTHORIZATION"] = f"Bearer {token}"
        self.environ = environ
        self.status = ""

    def _start_response(self, status, headers, exc_info=None):
        self.status = status

    def __call__(self) -> int:
        environ = dict(self.environ)
        environ["wsgi.input"] = io.BytesIO(b"")
        response = self.handler(environ, self._start_response)
        size = sum(len(chunk) for chunk in response)
        response.close()  # request_finished: what closes (or keeps) the database connection
        return size


def session_cookie(username: str | None) -> str:
    from django.conf import settings
    from django.test import Client

    from casspath.core.models import User

    if username is None:
        return ""
    client = Client()
    client.force_login(User.objects.get(username=username))
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


def bearer_token(username: str) -> str:
    from casspath.api.actions import do_create_token
    from casspath.core.models import User

    user = User.objects.get(username=username)
    return do_create_token(user, "profile_request", acting_user=user)[1]


def database_server_cpu() -> float | None:
    """CPU seconds spent so far by the PostgreSQL server process behind this process's
    connection, when the server runs on this machine (else None; SQLite runs inside us)."""
    from django.db import connection

    if connection.vendor != "postgresql" or not connection.settings_dict.get("CONN_MAX_AGE"):
        return None  # without a kept connection each request has its own server process
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_backend_pid()")
        pid = cursor.fetchone()[0]
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return None
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def measure(call, seconds: float, rounds: int = 7) -> tuple[float, float, float | None, int]:
    """(wall ms, CPU ms, database server CPU ms or None) per request, each the best of `rounds`
    rounds over about `seconds` in all (the round least disturbed by whatever else the machine
    runs); calls made."""
    for _ in range(3):
        call()  # warm: imports, template loading, the first connection
    best_wall = best_cpu = best_server = float("inf")
    total = 0
    for _ in range(rounds):
        n = 0
        server0 = database_server_cpu()
        wall0, cpu0 = time.perf_counter(), time.process_time()
        while time.perf_counter() - wall0 < seconds / rounds or n < 5:
            call()
            n += 1
        wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
        server1 = database_server_cpu()
        best_wall, best_cpu = min(best_wall, wall / n * 1000), min(best_cpu, cpu / n * 1000)
        if server0 is not None and server1 is not None:
            best_server = min(best_server, (server1 - server0) / n * 1000)
        total += n
    return best_wall, best_cpu, (None if best_server == float("inf") else best_server), total


def captured_queries(call) -> list[str]:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return [query["sql"] for query in captured.captured_queries]


def print_areas(by_area: dict[str, float], n: int, clock: str) -> None:
    total = sum(by_area.values())
    print(f"    where {total / n * 1000:.2f} ms of {clock} per request goes under the profiler "
          f"(own time by area):")
    for area, spent in sorted(by_area.items(), key=lambda item: -item[1]):
        if spent / total >= 0.01:
            print(f"      {spent / n * 1000:6.2f} ms  {spent / total:5.1%}  {area}")


def short(text: str) -> str:
    return text.replace(str(ROOT) + "/", "").replace(sys.prefix + "/lib/python3.11/site-packages/", "")


def profile_cprofile(call, n: int, top: int) -> None:
    """cProfile with a CPU clock: waiting for the database server is not this process's CPU.
    Deterministic, but its overhead (several times the request) inflates call-heavy code."""
    profiler = cProfile.Profile(time.process_time)
    profiler.enable()
    for _ in range(n):
        call()
    profiler.disable()
    stats = pstats.Stats(profiler)
    by_area: dict[str, float] = defaultdict(float)
    for (filename, _line, funcname), row in stats.stats.items():  # type: ignore[attr-defined]
        by_area[area_of(filename, funcname)] += row[2]  # tottime: time in the function itself
    print_areas(by_area, n, "CPU")
    out = io.StringIO()
    pstats.Stats(profiler, stream=out).sort_stats(SORT).print_stats(top)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next((i for i, line in enumerate(lines) if "ncalls" in line), 0)
    print(f"    top {top} functions by cumulative time ({n} requests):")
    for line in lines[start:]:
        print("      " + short(line))


def profile_pyinstrument(call, n: int, threshold: float) -> None:
    """pyinstrument samples the stack every millisecond of wall time (little overhead): database
    waits show as time in the driver."""
    from pyinstrument import Profiler

    profiler = Profiler(interval=0.001, async_mode="disabled")
    profiler.start()
    for _ in range(n):
        call()
    profiler.stop()
    root = profiler.last_session.root_frame() if profiler.last_session else None
    if root is None:
        return
    by_area: dict[str, float] = defaultdict(float)
    stack = [root]
    while stack:
        frame = stack.pop()
        stack.extend(child for child in frame.children if not child.is_synthetic)  # counted in their parent's
        if frame.total_self_time:
            by_area[area_of(frame.file_path or "~", frame.function or "")] += frame.total_self_time
    print_areas(by_area, n, "wall time")
    text = profiler.output_text(unicode=True, processor_options={"filter_threshold": threshold})
    print(f"    call tree ({n} requests; seconds in all, frames under {threshold:.0%} left out):")
    for line in text.splitlines():
        if line.strip() and not line.startswith(("  _", "Recorded", "Samples", "Duration", "CPU", "Program")):
            print("      " + short(line))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--managers", type=int, default=5000)
    parser.add_argument("--database-url", default="", help="PostgreSQL URL; default: a fresh SQLite file")
    parser.add_argument("--existing", action="store_true", help="use the configured database and its demo")
    parser.add_argument("--pages", default=DEFAULT_PAGES, help=f"of {', '.join(PAGES)}")
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per page")
    parser.add_argument("--profile", action="store_true", help="profile each page with cProfile")
    parser.add_argument("--profile-requests", type=int, default=500)
    parser.add_argument("--sql", type=int, default=0, metavar="CHARS",
                        help="print each page's queries, cut to CHARS characters")
    parser.add_argument("--cprofile", action="store_true",
                        help="profile with cProfile (CPU clock, exact counts, heavy overhead) "
                             "instead of pyinstrument (sampling, wall clock)")
    parser.add_argument("--top", type=int, default=25, help="functions listed per cProfile profile")
    parser.add_argument("--threshold", type=float, default=0.02,
                        help="pyinstrument: leave out frames under this share of the time")
    args = parser.parse_args()

    if args.existing:
        os.environ["DJANGO_SETTINGS_MODULE"] = "casspath.settings"
        os.environ.setdefault("SECURE_COOKIES", "0")
        import django

        django.setup()
    else:
        django_in_scratch(args.database_url, "casspath-profile-")
        from django.core.management import call_command

        call_command("demo", managers=args.managers, seed=1, verbosity=0)
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from casspath.org.models import Employee, RoleAssignment

    # An account manager holding no other role.
    others = RoleAssignment.objects.exclude(role="account_manager").values("user_id")
    manager = (RoleAssignment.objects.filter(role="account_manager", user__employee__isnull=False)
               .exclude(user_id__in=others).order_by("user__username")
               .values_list("user__username", flat=True).first())
    city = RoleAssignment.objects.get(user__username="gzadmin").org_unit
    employee_no = (Employee.objects.filter(org_unit__path__startswith=city.path).order_by("employee_no")
                   .values_list("employee_no", flat=True)[100])

    app = WSGIHandler()
    bare_app, stack_app = bare_handlers()

    engine = connection.vendor
    print(f"{engine} · CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']} · "
          f"{Employee.objects.count():,} employees · DEBUG={settings.DEBUG}")
    wanted = ["bare"] + [name for name in args.pages.split(",") if name and name != "bare"]
    results = {}
    for name in wanted:
        username, path = PAGES[name]
        if username == "manager":
            username = manager
        path = path.format(employee_no=employee_no)
        token = ""
        if username and username.startswith("token:"):
            username = username.removeprefix("token:")
            token = bearer_token(username)
        cookie = "" if token else session_cookie(username)
        handler = bare_app if name == "bare" else stack_app if name.startswith("stack") else app
        call = Caller(handler, path, cookie, token=token)
        call()
        status = call.status
        if not status.startswith("200"):
            print(f"  {name}: {path} answered {status}; skipped")
            continue
        sql = captured_queries(call)
        queries = len(sql)
        wall, cpu, server, n = measure(call, args.seconds)
        results[name] = (wall, cpu)
        bare_wall, bare_cpu = results["bare"]
        server_text = f" + {server:5.2f} ms DB server" if server is not None else ""
        print(f"  {name:14} {path:34} {wall:6.2f} ms wall {cpu:6.2f} ms CPU{server_text} "
              f"{queries:3} queries · of bare: {bare_wall / wall:6.1%} wall {bare_cpu / cpu:6.1%} CPU · "
              f"{n} calls as {username or 'anonymous'}", flush=True)
        if args.sql:
            for statement in sql:
                print(f"      {statement[:args.sql]}")
        if (args.profile or args.cprofile) and name != "bare":
            if args.cprofile:
                profile_cprofile(call, args.profile_requests, args.top)
            else:
                profile_pyinstrument(call, args.profile_requests, args.threshold)
    return 0


if __name__ == "__main__":
    sys.exit(main())
