import hashlib
import os
import re
import subprocess
import sys
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.core.validators import validate_email

from casspath.analytics.tenure import completed_years
from casspath.competency.models import CompetencyModel
from casspath.core.demo import DEMO_TODAY
from casspath.core.models import AuditEvent, User
from casspath.org import demo as org_demo
from casspath.org.defaults import ensure_positions, ensure_value_lists
from casspath.org.demo import plan_demo
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment, Stage
from casspath.org.queries import stage_of
from casspath.org.tree import path_for

PASSWORD = settings.CASSPATH["DEMO_PASSWORD"]


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def log_in(client, username: str) -> bool:
    """Through the login page, as a person would (django-axes needs the request)."""
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


def dump() -> dict:
    """Every row the demo writes, by natural keys (ids differ between databases)."""
    return {
        "units": sorted(OrgUnit.objects.values_list("code", "name", "kind", "parent__code", "depth")),
        "employees": list(Employee.objects.order_by("employee_no").values_list(
            "employee_no", "name", "phone", "email", "org_unit__code", "position__code", "hire_date",
            "grade__code", "status", "user__username")),
        "users": list(User.objects.order_by("username").values_list(
            "username", "first_name", "last_name", "email", "password", "is_active", "is_staff",
            "is_superuser", "must_change_password", "date_joined", "last_login")),
        "roles": sorted(RoleAssignment.objects.values_list("user__username", "role", "org_unit__code")),
        "models": sorted(CompetencyModel.objects.values_list("family", "version", "status",
                                                             "org_unit__code")),
    }


def test_it_builds_the_org_tree_and_the_roster(db):
    output = demo("--managers", "120", "--seed", "3")
    kinds = Counter(OrgUnit.objects.values_list("kind", flat=True))
    assert kinds["province"] == 1 and kinds["department"] == 2 and kinds["city"] == 3
    assert kinds["national"] == 0 and OrgUnit.objects.get(parent=None).code == "GD"
    departments = set(OrgUnit.objects.filter(kind="department").values_list("name", flat=True))
    assert departments == {"集团客户部", "培训学院"}
    for city in OrgUnit.objects.filter(kind="city"):
        assert city.children.count() >= 1
    for district in OrgUnit.objects.filter(kind="district"):
        assert district.parent is not None
        assert district.parent.kind == "city" and district.children.count() >= 1
        assert (district.path, district.depth) == path_for(district, district.parent) and district.depth == 2
    # About 8-15 account managers a team, and its lead.
    for team in OrgUnit.objects.filter(kind="team"):
        assert 8 <= team.employees.exclude(position__code="team_lead").count() <= 15, team.code
    teams = OrgUnit.objects.filter(kind="team")
    sales = Employee.objects.exclude(position__code="team_lead")
    assert sales.count() == 120
    assert Employee.objects.count() == 120 + teams.count()
    for team in teams:
        assert team.employees.filter(position__code="team_lead").count() == 1
        assert RoleAssignment.objects.filter(role=Role.TEAM_LEAD, org_unit=team).count() == 1
    assert Counter(sales.values_list("position__code", flat=True)).most_common(1)[0][0] in {
        "account_manager", "enterprise_account_manager"}
    assert set(sales.values_list("position__code", flat=True)) <= {
        "account_manager", "enterprise_account_manager", "industry_manager"}
    emails = list(Employee.objects.values_list("email", flat=True))
    assert len(set(emails)) == len(emails)
    for employee in Employee.objects.all():
        assert re.fullmatch(r"1[3-9]\d{9}", employee.phone)
        assert re.fullmatch(r"[\u4e00-\u9fff]{2,4}", employee.name)
        validate_email(employee.email)
        assert employee.user is not None and employee.user.username == employee.employee_no
        assert employee.hire_date <= DEMO_TODAY
    assert "GD00001" in output and PASSWORD in output


def test_it_its_tenure_spreads_over_the_three_stages(db):
    demo("--managers", "400", "--seed", "11")
    managers = Employee.objects.exclude(position__code="team_lead").select_related("grade")
    stages = Counter(stage_of(e.hire_date, DEMO_TODAY) for e in managers)
    assert stages["growth"] >= 100 and stages["development"] >= 100
    assert 30 <= stages["maturity"] < stages["development"]
    veterans = sum(completed_years(e.hire_date, DEMO_TODAY) >= 8 for e in managers)
    assert 4 <= veterans <= 60
    left = managers.filter(status=Employee.Status.LEFT).count()
    assert 1 <= left <= 30
    # Grades rise with tenure: the mean grade order of each stage increases.
    order = {grade.code: grade.order for grade in Grade.objects.all()}

    def grade_order(e: Employee) -> int:
        assert e.grade is not None  # every demo manager has a grade
        return order[e.grade.code]

    mean = {stage: sum(grade_order(e) for e in managers if stage_of(e.hire_date, DEMO_TODAY) == stage)
            / stages[stage] for stage in stages}
    assert mean["growth"] < mean["development"] < mean["maturity"]


def test_it_every_role_has_a_login_that_can_log_in(client, db):
    output = demo("--managers", "60", "--seed", "4")
    logins = dict(re.findall(r"^  (\S+) .*\b(training admin|facilitator|executive|internal lecturer|"
                             r"team lead|account manager)\b", output, re.MULTILINE))
    assert set(logins.values()) == {"training admin", "facilitator", "executive", "internal lecturer",
                                    "team lead", "account manager"}
    assert {"admin", "gzadmin", "fsadmin", "dgadmin", "consultant", "analyst"} <= set(logins)
    expected = {"admin": Role.TRAINING_ADMIN, "consultant": Role.CONSULTANT, "analyst": Role.ANALYST}
    for username, role in expected.items():
        assert RoleAssignment.objects.get(user__username=username).role == role
        assert RoleAssignment.objects.get(user__username=username).org_unit.code == "GD"
    for username in logins:
        user = User.objects.get(username=username)
        assert user.password.startswith("md5$")  # the configured hasher (MD5 in tests)
        assert not user.must_change_password
        assert log_in(client, username), username
        me = client.get("/api/v1/me").json()
        assert me["username"] == username and me["roles"]
        client.logout()
    managers = [u for u, label in logins.items() if label == "account manager"]
    assert len(managers) == 2 and all(Employee.objects.filter(employee_no=u).exists() for u in managers)


def test_it_every_employee_logs_in_with_his_employee_number_unless_he_left(client, db):
    demo("--managers", "150", "--seed", "8")
    gone = Employee.objects.filter(status=Employee.Status.LEFT).first()
    assert gone is not None
    assert not log_in(client, gone.employee_no)
    someone = Employee.objects.filter(status=Employee.Status.ACTIVE).order_by("-employee_no").first()
    assert someone is not None
    assert log_in(client, someone.employee_no)
    assert len(set(User.objects.values_list("password", flat=True))) == 1  # hashed once


def test_it_loads_the_default_competency_model_for_the_province(db):
    demo("--managers", "10", "--seed", "1")
    model = CompetencyModel.objects.get()
    assert model.org_unit.code == "GD" and model.status == CompetencyModel.Status.PUBLISHED
    assert model.dimensions.count() == 18


def test_it_writes_one_audit_row(db):
    demo("--managers", "30", "--seed", "1")
    event = AuditEvent.objects.get(verb="demo.build")
    assert event.changes["seed"] == 1 and event.changes["managers"] == 30
    assert event.actor_label.startswith("cli:")


def test_it_is_idempotent(db):
    demo("--managers", "80", "--seed", "5")
    before = dump()
    events = AuditEvent.objects.count()
    output = demo("--managers", "80", "--seed", "5")
    assert "nothing changed" in output
    assert dump() == before
    assert AuditEvent.objects.count() == events


def test_it_refuses_another_seed_without_reset(db):
    demo("--managers", "40", "--seed", "1")
    before = dump()
    with pytest.raises(CommandError) as refused:
        demo("--managers", "40", "--seed", "2")
    assert "--replace" in str(refused.value) and "种子" in str(refused.value)
    with pytest.raises(CommandError):
        demo("--managers", "41", "--seed", "1")
    assert dump() == before


def test_it_reset_replaces_the_previous_demo(db):
    demo("--managers", "50", "--seed", "1")
    first = plan_demo(50, 1)
    demo("--managers", "70", "--seed", "2", "--reset")
    second = plan_demo(70, 2)
    assert sorted(Employee.objects.values_list("employee_no", "name")) == sorted(
        (p.employee_no, p.name) for p in second.people)
    assert set(OrgUnit.objects.values_list("code", flat=True)) == set(second.unit_codes())
    assert set(User.objects.values_list("username", flat=True)) == set(second.usernames())
    assert set(first.unit_codes()) != set(second.unit_codes())
    assert RoleAssignment.objects.filter(user__isnull=True).count() == 0
    # The database was emptied: one build, which says what it replaced.
    (event,) = AuditEvent.objects.filter(verb="demo.build")
    assert event.changes["replaced"] == {"seed": 1, "managers": 50}
    # The same seed and size again is a no-op, as after a first build.
    assert "nothing changed" in demo("--managers", "70", "--seed", "2")


def test_it_reset_restores_edited_demo_data(db):
    demo("--managers", "30", "--seed", "6")
    before = dump()
    Employee.objects.filter(employee_no="GD00001").update(name="改过的名字")
    demo("--managers", "30", "--seed", "6", "--reset")
    assert dump() == before


def test_it_refuses_to_mix_with_data_it_did_not_make(world):
    users = User.objects.count()
    with pytest.raises(CommandError) as refused:
        demo("--managers", "20")
    assert "GD" in str(refused.value)
    assert User.objects.count() == users
    assert not Employee.objects.filter(employee_no__startswith="GD").exists()


@pytest.mark.parametrize("managers", ["0", "-3"])
def test_it_refuses_a_bad_size(db, managers):
    with pytest.raises(CommandError):
        demo("--managers", managers)
    assert OrgUnit.objects.count() == 0


def test_it_the_same_seed_gives_identical_rows_in_fresh_databases(transactional_db):
    demo("--managers", "90", "--seed", "9")
    first = dump()
    call_command("flush", "--no-input", verbosity=0)
    ensure_value_lists(Stage, Grade)
    ensure_positions(Position)
    demo("--managers", "90", "--seed", "9")
    assert dump() == first
    call_command("flush", "--no-input", verbosity=0)
    demo("--managers", "90", "--seed", "10")
    other = dump()
    assert other["employees"] != first["employees"] and other["users"] != first["users"]


PLAN_DIGEST = """
import django, hashlib, sys
django.setup()
from casspath.org import demo
plans = [demo.plan_demo(200, int(sys.argv[1]))]
demo.PROVINCE_MANAGERS = 40  # a national company of five provinces
plans.append(demo.plan_demo(200, int(sys.argv[1])))
print(hashlib.sha256(repr(plans).encode()).hexdigest())
"""


def _plan_digest(seed: int, hash_seed: str, tmp_path) -> str:
    env = {**os.environ, "PYTHONHASHSEED": hash_seed, "DJANGO_SETTINGS_MODULE": "casspath.settings",
           "CASSPATH_VAR_DIR": str(tmp_path)}
    result = subprocess.run([sys.executable, "-c", PLAN_DIGEST, str(seed)],  # noqa: S603 (our own code)
                            env=env, capture_output=True, text=True, check=True, timeout=120)
    return result.stdout.strip()


@pytest.mark.slow
def test_it_the_plan_does_not_depend_on_the_process(tmp_path):
    # Different hash seeds would expose any iteration over a set or an unordered dict.
    plans = [plan_demo(200, 21)]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(org_demo, "PROVINCE_MANAGERS", 40)
        plans.append(org_demo.plan_demo(200, 21))
    here = hashlib.sha256(repr(plans).encode()).hexdigest()
    assert _plan_digest(21, "1", tmp_path) == here
    assert _plan_digest(21, "2", tmp_path) == here
    assert _plan_digest(22, "1", tmp_path) != here


@pytest.mark.slow
def test_it_builds_five_thousand_managers(db):
    # Past CHUNK (5000) values per lookup: the build slices its IN lists for SQLite.
    demo("--managers", "5000", "--seed", "1")
    assert Employee.objects.exclude(position__code="team_lead").count() == 5000
    assert User.objects.filter(employee__isnull=False).count() == Employee.objects.count()
