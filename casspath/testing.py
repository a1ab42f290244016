"""The shared test world: a small org tree and a user for every role, each with a twin
bound to the other city (the one who may, and the one who may not), built with the
product's own models; and helpers to act as any of them on the pages, in a real browser and
through the API (session or bearer token); and imports held under their lock in another
thread, for the tests of what waits for one (PostgreSQL).

It sits above every app (it builds org's people and api's tokens) and is used by the tests
of all of them; the layer contract exempts tests (pyproject.toml, [tool.importlinter])."""

import threading
import time
from dataclasses import dataclass
from datetime import date

from django.db import connection

from casspath.api.actions import do_create_token
from casspath.core.actors import SystemActor
from casspath.core.models import User
from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.models import ImportRun
from casspath.org.defaults import ensure_positions, ensure_value_lists
from casspath.org.importers.roster import RosterImporter
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment, Stage
from casspath.org.tree import path_for

PASSWORD = "correct-horse-battery"


def make_unit(code: str, name: str, kind: str, parent: OrgUnit | None = None) -> OrgUnit:
    unit = OrgUnit.objects.create(code=code, name=name, kind=kind, parent=parent)
    unit.path, unit.depth = path_for(unit, parent)
    unit.save(update_fields=["path", "depth"])
    return unit


def make_user(username: str, *, role: str | None = None, unit: OrgUnit | None = None,
              name: str = "") -> User:
    user = User.objects.create_user(username=username, password=PASSWORD, first_name=name)
    if role:
        assert unit is not None  # a role is bound to a unit
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    return user


def make_employee(no: str, name: str, unit: OrgUnit, *, user: User | None = None,
                  hire_date: date = date(2022, 3, 1), phone: str = "13800138000",
                  position: Position | None = None, grade: Grade | None = None) -> Employee:
    return Employee.objects.create(
        employee_no=no, name=name, org_unit=unit, user=user, hire_date=hire_date, phone=phone,
        position=position or Position.objects.get(code="account_manager"), grade=grade,
    )


@dataclass
class World:
    province: OrgUnit
    city_a: OrgUnit
    city_b: OrgUnit
    district_a: OrgUnit
    team_a: OrgUnit
    team_b: OrgUnit
    province_admin: User
    city_admin_a: User
    city_admin_b: User
    team_lead: User
    manager: User
    outsider: User
    manager_employee: Employee
    colleague: Employee
    city_b_employee: Employee
    # The other roles, each bound in city A and its twin in city B (no employee records, so
    # the roster's counts stay those above).
    team_lead_b: User
    manager_b: User
    consultant_a: User
    consultant_b: User
    lecturer_a: User
    lecturer_b: User
    analyst_a: User
    analyst_b: User

    def roles(self) -> dict[str, User]:
        """Every named user of the world, by field name: for tests that try them all."""
        return {name: value for name, value in vars(self).items() if isinstance(value, User)}


def seed_value_lists() -> None:
    """The migrations' default value lists, again after a flush (TransactionTestCase)."""
    ensure_value_lists(Stage, Grade)
    ensure_positions(Position)


def build_world() -> World:
    seed_value_lists()
    province = make_unit("GD", "广东公司", OrgUnit.Kind.PROVINCE)
    city_a = make_unit("GZ", "广州分公司", OrgUnit.Kind.CITY, province)
    city_b = make_unit("SZ", "深圳分公司", OrgUnit.Kind.CITY, province)
    district_a = make_unit("GZ-TH", "天河区", OrgUnit.Kind.DISTRICT, city_a)
    team_a = make_unit("GZ-TH-01", "政企一班", OrgUnit.Kind.TEAM, district_a)
    district_b = make_unit("SZ-NS", "南山区", OrgUnit.Kind.DISTRICT, city_b)
    team_b = make_unit("SZ-NS-01", "政企二班", OrgUnit.Kind.TEAM, district_b)
    province_admin = make_user("padmin", role=Role.TRAINING_ADMIN, unit=province, name="省管理员")
    city_admin_a = make_user("gzadmin", role=Role.TRAINING_ADMIN, unit=city_a, name="广州管理员")
    city_admin_b = make_user("szadmin", role=Role.TRAINING_ADMIN, unit=city_b, name="深圳管理员")
    team_lead = make_user("T0001", role=Role.TEAM_LEAD, unit=team_a, name="李班长")
    manager = make_user("E0001", role=Role.ACCOUNT_MANAGER, unit=team_a, name="王经理")
    outsider = make_user("outsider", name="外人")
    make_employee("T0001", "李班长", team_a, user=team_lead,
                  position=Position.objects.get(code="team_lead"))
    manager_employee = make_employee("E0001", "王经理", team_a, user=manager, phone="13912345678")
    colleague = make_employee("E0002", "赵同事", team_a, phone="13700001111")
    city_b_employee = make_employee("E0100", "深圳员工", team_b, phone="13600002222")
    return World(
        province, city_a, city_b, district_a, team_a, team_b, province_admin,
        city_admin_a, city_admin_b, team_lead, manager, outsider, manager_employee,
        colleague, city_b_employee,
        team_lead_b=make_user("T0100", role=Role.TEAM_LEAD, unit=team_b, name="深圳班长"),
        manager_b=make_user("E0101", role=Role.ACCOUNT_MANAGER, unit=team_b, name="深圳经理"),
        consultant_a=make_user("consultant_a", role=Role.CONSULTANT, unit=city_a, name="广州顾问"),
        consultant_b=make_user("consultant_b", role=Role.CONSULTANT, unit=city_b, name="深圳顾问"),
        lecturer_a=make_user("lecturer_a", role=Role.LECTURER, unit=city_a, name="广州讲师"),
        lecturer_b=make_user("lecturer_b", role=Role.LECTURER, unit=city_b, name="深圳讲师"),
        analyst_a=make_user("analyst_a", role=Role.ANALYST, unit=city_a, name="广州分析员"),
        analyst_b=make_user("analyst_b", role=Role.ANALYST, unit=city_b, name="深圳分析员"),
    )


def log_in(client, user: User):
    """The Django test client, logged in as `user` (a session, as on the pages)."""
    client.force_login(user)
    return client


def log_in_page(page, live_server, user: User) -> None:
    """A Playwright page logged in as `user` through the login form, as a person would."""
    page.goto(f"{live_server.url}/accounts/login/")
    page.fill("#id_username", user.get_username())
    page.fill("#id_password", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{live_server.url}/")


def click_menu(page, label: str, group: str = "") -> None:
    """Click the menu's entry `label` as a person would: on a phone open the collapsed menu
    first, then the drop-down `group` holds it in (a key of the site's MENU_GROUPS)."""
    if page.locator(".navbar-toggler").is_visible():
        page.click(".navbar-toggler")
    if group:
        page.click(f"#nav-group-{group}")
    page.locator("#nav-main").get_by_role("link", name=label, exact=True).click()


def bearer_header(user: User, name: str = "tests") -> dict[str, str]:
    """Request headers that call the API with a new token of `user`."""
    _token, secret = do_create_token(user, name, acting_user=SystemActor.cli())
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


class ApiCaller:
    """Calls /api/v1/ as one user, by session or by bearer token: `api.get("/me")`."""

    def __init__(self, client, user: User, *, bearer: bool = False):
        self.client = client
        if bearer:
            client.logout()
            self.headers = bearer_header(user)
        else:
            client.force_login(user)
            self.headers = {}

    def _call(self, method: str, path: str, body=None):
        send = getattr(self.client, method)
        if body is None:
            return send(f"/api/v1{path}", **self.headers)
        return send(f"/api/v1{path}", body, content_type="application/json", **self.headers)

    def get(self, path: str):
        return self._call("get", path)

    def post(self, path: str, body=None):
        return self._call("post", path, body if body is not None else {})

    def put(self, path: str, body):
        return self._call("put", path, body)

    def patch(self, path: str, body):
        return self._call("patch", path, body)

    def delete(self, path: str):
        return self._call("delete", path)


# ---------------------------------------------------------------- imports held under their lock

# Bounds every wait of the lock tests (a thread that never arrives), never asserted on.
LOCK_DEADLINE = 30


def in_thread(target, *args) -> threading.Thread:
    """`target(*args)` started in a thread of its own, on its own database connection (closed
    when it ends); the tests that need two writers at once run on PostgreSQL
    (`transaction=True`: a thread does not see the test's transaction)."""
    def run():
        try:
            target(*args)
        finally:
            connection.close()

    thread = threading.Thread(target=run)
    thread.start()
    return thread


def queued_roster(user, data: bytes, *, options=None) -> ImportRun:
    """A real (not dry) roster import of `data` by `user`, queued."""
    return do_create_import_run("roster", "roster.csv", data, dry_run=False, options=options,
                                acting_user=user)


def pause_roster_plans(monkeypatch, user, *, until: threading.Event) -> threading.Event:
    """The real (not dry) roster imports of `user` stop in their plan, under the lock, until
    `until` is set; the event returned says one got there."""
    arrived = threading.Event()
    plan = RosterImporter.plan

    def paused_plan(self, ctx, table, report):
        if not ctx.dry_run and getattr(ctx.acting_user, "pk", None) == user.pk:
            arrived.set()
            until.wait(timeout=LOCK_DEADLINE)
        return plan(self, ctx, table, report)

    monkeypatch.setattr(RosterImporter, "plan", paused_plan)
    return arrived


class PausedImport:
    """A roster import of `data` by `user`, running in another thread and stopped in its plan,
    holding the import lock of `user`'s scope, until `finish()`. Any later real roster import
    by `user` (the employee batch API is one) passes through the plan once released."""

    def __init__(self, monkeypatch, user, data: bytes, *, options=None):
        self.run = queued_roster(user, data, options=options)
        self.release = threading.Event()
        arrived = pause_roster_plans(monkeypatch, user, until=self.release)
        self.thread = in_thread(do_execute_import_run, self.run.pk)
        assert arrived.wait(timeout=LOCK_DEADLINE), "the import never reached its plan"

    def finish(self) -> ImportRun:
        """Let it go on, wait for it to end, and give its run as it ended."""
        self.release.set()
        self.thread.join()
        self.run.refresh_from_db()
        return self.run


def eventually(condition, *, every: float = 0.05) -> bool:
    """Poll `condition` until it holds or LOCK_DEADLINE passes; whether it held."""
    deadline = time.monotonic() + LOCK_DEADLINE
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(every)
    return False


def waits_for_the_lock_or_ends(thread: threading.Thread) -> None:
    """Until `thread` waits for an advisory lock (PostgreSQL lists it, not granted) or has
    ended (a writer that takes no lock): bounded by LOCK_DEADLINE, never asserted on."""

    def waiting() -> bool:
        with connection.cursor() as cursor:
            cursor.execute("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND NOT granted")
            return bool(cursor.fetchone()[0])

    eventually(lambda: not thread.is_alive() or waiting())


def wait_js(page, expression: str, timeout: float = 15.0) -> None:
    """Wait until `expression` holds in a Playwright page (polled with evaluate:
    wait_for_function's string predicates need eval, which the content security policy
    refuses)."""
    deadline = time.monotonic() + timeout
    while not page.evaluate(expression):
        if time.monotonic() > deadline:
            raise AssertionError(f"still false after {timeout} s: {expression}")
        page.wait_for_timeout(100)
