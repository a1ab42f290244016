"""Issue 8's pages on an existing demo, in process, as four people (a tool, run by hand).

Calls Django's WSGI handler in a loop for the CASS pages (the learning maps, their Excel
export, the CASS maps, the resource library, a video's page, the Q&A cards, the work guides
and the cass API), each as an account manager, a team lead, a city's training admin and the
consultant, beside a bare Django JSON view called the same way in the same process (the
machinery of benchmarks/profile_request.py). For each it prints the status, wall and CPU
milliseconds per request (best of the rounds), the queries, the most times one statement
ran in a request (an N+1 shows as a count that grows with the data), and the ratio to the
bare view. A person's 403 or 404 is shown, not measured.

It measures the database as it is (DATABASE_URL, e.g. the demo of 100,000 managers built
with `casspath demo --managers 100000`): nothing is built or dropped. A session and nothing
else is written (force_login). Figures go to docs/benchmarks.md by hand.

    DATABASE_URL=postgres://.../h_play python benchmarks/issue8_pages.py \
        [--people GD00099,GD01497,gzadmin,consultant] [--pages my_map,library] [--seconds 1] [--sql]
"""

import argparse
import os
import re
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import machine  # noqa: E402 - after the path
from profile_request import Caller, bare_handlers, measure, session_cookie  # noqa: E402

# key, path ({map}: the first CASS map, {video}: a published micro-video of it, {guide}: a
# work guide with two steps or more).
PAGES = [
    ("my_map", "/cass/my-learning-map/"),
    ("lm_index", "/cass/learning-map/"),
    ("lm_whole", "/cass/maps/{map}/learning-map/"),
    ("lm_growth", "/cass/maps/{map}/learning-map/?stage=growth"),
    ("lm_development", "/cass/maps/{map}/learning-map/?stage=development"),
    ("lm_maturity", "/cass/maps/{map}/learning-map/?stage=maturity&grade=senior"),
    ("lm_xlsx", "/cass/maps/{map}/learning-map.xlsx"),
    ("map_list", "/cass/maps/"),
    ("map_detail", "/cass/maps/{map}/"),
    ("library_home", "/cass/resources/"),
    ("library", "/cass/maps/{map}/resources/"),
    ("library_deep", "/cass/maps/{map}/resources/?page=6"),
    ("library_filtered", "/cass/maps/{map}/resources/?kind=qa_card&device=phone&mode=on_the_way&page=3"),
    ("library_dimension", "/cass/maps/{map}/resources/?dimension=D05"),
    ("video", "/cass/resources/{video}/"),
    ("cards_home", "/cass/cards/"),
    ("cards", "/cass/maps/{map}/cards/"),
    ("cards_deep", "/cass/maps/{map}/cards/?page=3"),
    ("cards_search", "/cass/maps/{map}/cards/?q=专线&dimension=D07"),
    ("guides", "/knowledge/guides/"),
    ("guide", "/knowledge/guides/{guide}/"),
    ("guide_step", "/knowledge/guides/{guide}/steps/2/"),
    ("api_maps", "/api/v1/cass/maps"),
    ("api_map", "/api/v1/cass/maps/{map}"),
    ("api_lm_stage", "/api/v1/cass/maps/{map}/learning-map?stage=development"),
    ("api_lm_all", "/api/v1/cass/maps/{map}/learning-map"),
    ("api_my_map", "/api/v1/cass/my-learning-map"),
]
PEOPLE = "GD00099,GD01497,gzadmin,consultant"


def repeated(statements: list[str]) -> int:
    """The most times one statement (its literals blanked) ran: 1 or 2 for a page that reads
    a fixed number of queries, the row count for an N+1."""
    shapes = Counter(re.sub(r"'[^']*'|\b\d+\b", "?", sql) for sql in statements)
    return max(shapes.values(), default=0)


def timed_queries(call) -> tuple[list[str], list[tuple[str, str]]]:
    """One call's statements, and each with the time it took."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as captured:
        call()
    return ([q["sql"] for q in captured.captured_queries],
            [(q["time"], q["sql"]) for q in captured.captured_queries])


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--people", default=PEOPLE)
    parser.add_argument("--pages", default="", help=f"of {', '.join(key for key, _ in PAGES)} (default: all)")
    parser.add_argument("--seconds", type=float, default=1.0, help="measuring time per page and person")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--sql", action="store_true", help="print each page's queries")
    args = parser.parse_args()
    os.environ["DJANGO_SETTINGS_MODULE"] = "casspath.settings"
    os.environ.setdefault("SECURE_COOKIES", "0")
    import django

    django.setup()
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection

    from casspath.cass.models import CassMap, Resource
    from casspath.knowledge.models import WorkGuide
    from casspath.org.models import Employee

    cass_map = CassMap.objects.order_by("pk").first()
    video = (Resource.objects.filter(cass_map=cass_map, kind="micro_video", status="published")
             .order_by("pk").first())
    guide = min(WorkGuide.objects.all(), key=lambda g: (g.steps.count() < 2, g.pk))
    if cass_map is None or video is None:
        raise SystemExit("no CASS map or published micro-video: build the demo first")
    values = {"map": cass_map.pk, "video": video.pk, "guide": guide.pk}
    info = machine()
    print(f"{connection.vendor} · CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']} · "
          f"{Employee.objects.count():,} employees · {Resource.objects.count():,} resources · "
          f"commit {info.get('commit', '?')} · load {os.getloadavg()[0]:.1f}", flush=True)
    app = WSGIHandler()
    bare_app, _stack = bare_handlers()
    bare = Caller(bare_app, "/bare/", "")
    bare_wall, _cpu, _server, _n = measure(bare, 1.0, args.rounds)
    print(f"bare Django view: {bare_wall:.3f} ms in process\n", flush=True)
    wanted = {key.strip() for key in args.pages.split(",") if key.strip()}
    print("| page | person | status | wall ms | CPU ms | queries | most repeated | × bare |")
    print("|---|---|---|---:|---:|---:|---:|---:|")
    for username in args.people.split(","):
        cookie = session_cookie(username)
        for key, path in PAGES:
            if wanted and key not in wanted:
                continue
            call = Caller(app, path.format(**values), cookie)
            call()
            status = call.status.split(" ")[0]
            if status != "200":
                print(f"| {key} | {username} | {status} | | | | | |", flush=True)
                continue
            sql, timed = timed_queries(call)
            wall, cpu, _server, _n = measure(call, args.seconds, args.rounds)
            print(f"| {key} | {username} | 200 | {wall:,.1f} | {cpu:,.1f} | {len(sql)} | {repeated(sql)} | "
                  f"{wall / bare_wall:,.0f}× |", flush=True)
            if args.sql:
                for seconds, statement in timed:
                    print(f"    {float(seconds) * 1000:7.2f} ms  {statement[:300]}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
