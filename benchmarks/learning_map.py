"""Learning map benchmark (run by `make bench`): the learning map's pages and API for a big
CASS map, in process, against a bare Django page in the same run.

Builds, in a scratch database, one province with a team, a training admin and an account
manager, the default competency model (18 dimensions, requirements for 3 stages and 4
grades), and a CASS map first small (10 work items, 30 actions, 100 resources), then grown
with bulk inserts to the issue's size (--work-items 500, --actions 3,000, --resources 20,000;
each action needs 1–3 dimensions, each resource teaches 1–2, nine in ten published). At each
size it calls Django's WSGI handler in a loop, as a server worker does (the helpers of
benchmarks/profile_request.py): the whole learning map page (the admin, one stage), the
manager's own map, the API's learning map (one stage; and every view at once) and the API's
own map, beside a bare Django JSON view (no middleware, one URL) called the same way in the
same process. It reports wall and CPU milliseconds per request (best of seven rounds), the
ratio to the bare view, and the queries per request, which must be the same for the small
and the big map (the derivation reads a fixed number of queries; a page shows the first few
work items and resources of each dimension, the counts of all).

In process, the bare view costs a fraction of what it costs through a real server (HTTP
parsing, the socket): the ratios here are larger than those benchmarks/pages.py measures
through gunicorn and wrk. The queries per request and their constancy are what this measures
first; the milliseconds tell what the map's size costs the server.

    python benchmarks/learning_map.py [--database-url postgres://.../h_lmap] [--seconds 3]
                                      [--work-items 500 --actions 3000 --resources 20000]
"""

import argparse
import random
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "benchmarks"))

from _common import Result, bench_main, check, database_label, django_in_scratch, machine  # noqa: E402

# The same in-process machinery as the request profiler: a bare handler, a caller, the rounds.
from profile_request import Caller, bare_handlers, bearer_token, captured_queries, measure  # noqa: E402

DIMENSIONS = [f"D{n:02d}" for n in range(1, 19)]
KINDS = ["article", "case", "qa_card", "product_card", "quiz", "course", "work_guide"]
MODES = ["pre_shift", "on_the_way", "leisure", "classroom", "team", "action"]
DEVICES = ["phone", "pc", "print"]


def configure(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--work-items", type=int, default=500)
    parser.add_argument("--actions", type=int, default=3000)
    parser.add_argument("--resources", type=int, default=20000)
    parser.add_argument("--seconds", type=float, default=3.0, help="measuring time per page and size")


def grow(cass_map, *, items: int, actions: int, resources: int, start: int, rng: random.Random) -> None:
    """Add `items` work items with `actions` actions among them and `resources` resources to
    the map, by bulk inserts (a benchmark's data, valid by construction)."""
    from casspath.cass.models import ActionSkill, KeyAction, Resource, ResourceSkill, WorkItem
    from casspath.org.models import Stage

    stage_ids = list(Stage.objects.values_list("id", flat=True))
    new_items = WorkItem.objects.bulk_create([
        WorkItem(cass_map=cass_map, code=f"W{start + i:05d}", name=f"工作内容{start + i}",
                 importance=rng.randint(1, 5), frequency=rng.randint(1, 5))
        for i in range(items)], batch_size=2000)
    through = WorkItem.stages.through
    through.objects.bulk_create([  # a third for every stage (none listed), the others for one or two
        through(workitem_id=item.pk, stage_id=stage) for item in new_items if rng.random() > 1 / 3
        for stage in rng.sample(stage_ids, rng.randint(1, 2))], batch_size=5000)
    new_actions = KeyAction.objects.bulk_create([
        KeyAction(cass_map=cass_map, work_item=new_items[i % items], code=f"A{start + i:06d}",
                  order=1 + i // items,
                  name=f"关键动作{start + i}", standard="按标准完成", study_modes=rng.sample(MODES, 2))
        for i in range(actions)], batch_size=2000)
    ActionSkill.objects.bulk_create([
        ActionSkill(action=action, dimension_code=code, level=rng.randint(1, 5))
        for action in new_actions for code in rng.sample(DIMENSIONS, rng.randint(1, 3))], batch_size=5000)
    for offset in range(0, resources, 5000):
        chunk = Resource.objects.bulk_create([
            Resource(cass_map=cass_map, code=f"R{start + i:06d}", kind=rng.choice(KINDS),
                     title=f"学习资源{start + i}", duration_minutes=rng.choice([3, 5, 8, 15, 30]),
                     devices=rng.sample(DEVICES, 2), study_modes=rng.sample(MODES, 2),
                     status="published" if rng.random() < 0.9 else rng.choice(["draft", "retired"]))
            for i in range(offset, min(resources, offset + 5000))], batch_size=2000)
        ResourceSkill.objects.bulk_create([
            ResourceSkill(resource=resource, dimension_code=code, level=rng.randint(1, 5))
            for resource in chunk for code in rng.sample(DIMENSIONS, rng.randint(1, 2))], batch_size=5000)


def run(args: argparse.Namespace) -> list[Result]:
    info = machine()
    django_in_scratch(args.database_url, "casspath-bench-lmap-")
    from django.conf import settings
    from django.core.handlers.wsgi import WSGIHandler
    from django.db import connection
    from django.test import Client

    from casspath.cass.actions.maps import do_create_map
    from casspath.cass.models import ActionSkill, Resource, ResourceSkill
    from casspath.competency.actions.loading import do_load_default_model
    from casspath.core.actors import SystemActor
    from casspath.org.models import OrgUnit, Role
    from casspath.testing import make_employee, make_unit, make_user

    actor = SystemActor.cli()
    province = make_unit("GD", "广东公司", OrgUnit.Kind.PROVINCE)
    team = make_unit("GD-T1", "政企一班", OrgUnit.Kind.TEAM, province)
    make_user("gdadmin", role=Role.TRAINING_ADMIN, unit=province, name="省管理员")
    manager = make_user("E0001", role=Role.ACCOUNT_MANAGER, unit=team, name="王经理")
    make_employee("E0001", "王经理", team, user=manager, hire_date=date(2022, 3, 1))
    do_load_default_model(org_unit=province, acting_user=actor)
    cass_map = do_create_map(org_unit=province, model_family="default", name="广东 CASS 地图",
                             acting_user=actor)
    rng = random.Random(20261202)

    def session(username: str) -> str:
        from casspath.core.models import User

        client = Client()
        client.force_login(User.objects.get(username=username))
        return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"

    app = WSGIHandler()
    bare_app, _stack = bare_handlers()
    engine = database_label(connection)
    info["database"] = engine
    token = bearer_token("gdadmin")
    cookies = {"admin": session("gdadmin"), "manager": session("E0001")}
    page, api = f"/cass/maps/{cass_map.pk}/learning-map/", f"/api/v1/cass/maps/{cass_map.pk}/learning-map"
    pages = [
        ("whole learning map page, one stage (admin)", "admin", f"{page}?stage=development"),
        ("my learning map page (manager)", "manager", "/cass/my-learning-map/"),
        ("API learning map, one stage (admin, token)", "token", f"{api}?stage=development"),
        ("API learning map, every stage and grade (admin, token)", "token", api),
        ("API my learning map (manager)", "manager", "/api/v1/cass/my-learning-map"),
    ]
    results: list[Result] = []
    queries: dict[tuple[str, str], int] = {}
    sizes = [("small", 10, 30, 100), ("big", args.work_items, args.actions, args.resources)]
    built = 0
    for label, items, actions, resources in sizes:
        started = time.perf_counter()
        grow(cass_map, items=items - built, actions=actions - (30 if built else 0),
             resources=resources - (100 if built else 0), start=built * 1000, rng=rng)
        built = items
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        grown = time.perf_counter() - started
        size = (f"{items:,} work items, {ActionSkill.objects.filter(action__cass_map=cass_map).count():,} "
                f"action skills of {actions:,} actions, {resources:,} resources "
                f"({ResourceSkill.objects.filter(resource__cass_map=cass_map).count():,} resource skills, "
                f"{Resource.objects.filter(cass_map=cass_map, status='published').count():,} published)")
        print(f"{label} map: {size} (built in {grown:.1f} s)", flush=True)
        bare = Caller(bare_app, "/bare/", "")
        bare_wall, bare_cpu, _server, _n = measure(bare, 1.0)
        for case, who, path in pages:
            by_token = who == "token"
            call = Caller(app, path, "" if by_token else cookies[who], token=token if by_token else "")
            length = call()
            if not call.status.startswith("200"):
                results.append(Result(benchmark="Learning map", case=case, database=engine, size=size,
                                      status="failed", detail=f"{path} answered {call.status}", machine=info))
                continue
            count = len(captured_queries(call))
            queries[(case, label)] = count
            wall, cpu, server, n = measure(call, args.seconds)
            if server is not None and server <= 0:
                server = None  # the server's CPU ticks (10 ms) over a few calls, or a new backend: unknown
            server_text = f" + {server:.1f} ms DB server" if server is not None else ""
            ratio = wall / bare_wall
            results.append(Result(
                benchmark="Learning map", case=f"{case}, {label} map", database=engine, size=size,
                figure=f"{wall:.1f} ms wall · {cpu:.1f} ms CPU{server_text} · {count} queries · "
                       f"{length / 1024:,.0f} KB", value=wall,
                baseline=f"bare Django view {bare_wall:.3f} ms in process", ratio=ratio, machine=info,
                detail=f"{n} calls",
                numbers={"wall_ms": wall, "cpu_ms": cpu, "queries": count, "bare_ms": bare_wall,
                         "bare_cpu_ms": bare_cpu, "bytes": length}))
            print(f"  {case}: {wall:.1f} ms wall, {cpu:.1f} ms CPU{server_text}, {count} queries, "
                  f"{ratio:.0f}x bare", flush=True)
    for case, _who, _path in pages:
        small, big = queries.get((case, "small")), queries.get((case, "big"))
        if small is None or big is None:
            continue
        ratio = big / small
        results.append(Result(
            benchmark="Learning map", case=f"{case}: queries per request, big vs small map", database=engine,
            size=f"{args.work_items:,} vs 10 work items", figure=f"{big} vs {small} queries", value=big,
            baseline="the small map's queries", ratio=ratio, target="≤ 1×", met=check(ratio, "≤ 1×"),
            machine=info))
    return results


if __name__ == "__main__":
    sys.exit(bench_main(run, __doc__, configure))
