"""The demo at every size: the default 400 managers as a new user first sees them, a
province of 5,000, a national company of 100,000 (built small here by making a province
smaller: `PROVINCE_MANAGERS`), the same logins at every size, rows as valid as a form makes
them, and a build that says where it is when it takes a while."""

import hashlib
import re
from collections import Counter
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import call_command

from casspath.competency.models import CompetencyModel
from casspath.core import bulk
from casspath.core import demo as core_demo
from casspath.core.models import User
from casspath.org import demo as org_demo
from casspath.org.demo import CITIES, DISTRICT_NAMES, PROVINCES, TEAM_NAMES, plan_demo
from casspath.org.models import Employee, OrgUnit, Role, RoleAssignment
from casspath.site.tests.test_demo import dump

PASSWORD = settings.CASSPATH["DEMO_PASSWORD"]
NAMED = {"admin", "gzadmin", "fsadmin", "dgadmin", "consultant", "analyst"}


def demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


def log_in(client, username: str) -> bool:
    response = client.post("/accounts/login/", {"username": username, "password": PASSWORD})
    return response.status_code == 302 and "_auth_user_id" in client.session


@pytest.fixture
def small_provinces(monkeypatch):
    """Provinces of 40 managers: 200 managers make a national company of 5 provinces."""
    monkeypatch.setattr(org_demo, "PROVINCE_MANAGERS", 40)
    org_demo._plan.cache_clear()
    yield
    org_demo._plan.cache_clear()


def test_it_keeps_the_default_demo_one_province_of_three_cities(db):
    demo("--managers", "400", "--seed", "1")
    root = OrgUnit.objects.get(parent=None)
    assert (root.code, root.name, root.kind) == ("GD", "广东公司", "province")
    cities = {code: name for code, name, *_ in CITIES[:3]}
    assert dict(OrgUnit.objects.filter(kind="city").values_list("code", "name")) == cities
    districts = {f"{code}-{short}": name for code, _, _, _, rows in CITIES[:3] for short, name in rows}
    for code, name in OrgUnit.objects.filter(kind="district").values_list("code", "name"):
        assert districts[code] == name
    for name in OrgUnit.objects.filter(kind="team").values_list("name", flat=True):
        assert name in TEAM_NAMES or re.fullmatch(r"(政企|商客)[三四五六七八九十]+班", name), name
    teams = OrgUnit.objects.filter(kind="team").count()
    assert 27 <= teams <= 50  # 400 managers in teams of about 8-15
    assert Employee.objects.exclude(position__code="team_lead").count() == 400


def test_it_a_province_of_five_thousand_has_all_its_cities_and_about_435_teams():
    # The plan alone (no database): what `casspath demo --managers 5000` builds.
    plan = plan_demo(5000, 1)
    kinds = Counter(unit.kind for unit in plan.units)
    assert kinds["national"] == 0 and kinds["province"] == 1 and kinds["city"] == len(CITIES)
    assert 380 <= kinds["team"] <= 500 and kinds["district"] >= 60
    assert len(set(plan.unit_codes())) == len(plan.units)


@pytest.mark.slow
def test_it_a_hundred_thousand_managers_are_a_national_company_of_about_8700_teams():
    plan = plan_demo(100_000, 1)
    kinds = Counter(unit.kind for unit in plan.units)
    assert kinds["national"] == 1 and kinds["province"] == 20 and kinds["department"] == 40
    assert 7500 <= kinds["team"] <= 10_000 and 1000 <= kinds["district"] <= 3000
    assert len(set(plan.unit_codes())) == len(plan.units)
    sizes = Counter(p.unit_code for p in plan.people if p.position_code != "team_lead")
    assert sum(sizes.values()) == 100_000
    assert sum(8 <= size <= 15 for size in sizes.values()) >= 0.99 * len(sizes)
    numbers = [p.employee_no for p in plan.people]
    assert len(set(numbers)) == len(numbers) and numbers[0] == "GD00001"
    assert [login.username for login in plan.showcase][:7] == ["hqadmin", "admin", "gzadmin", "fsadmin",
                                                                "dgadmin", "consultant", "analyst"]


def test_it_every_unit_code_of_the_biggest_demo_is_unique():
    # Every province, city and district list, as the largest demo uses them all.
    codes = ["HQ"]
    for code, _name, _weight, _admin, districts in CITIES:
        codes += [code] + [f"{code}-{short}" for short, _ in districts]
    for code, _name, _weight, cities in PROVINCES:
        codes += [code, f"{code}-JK", f"{code}-PX"]
        for short in cities.split()[::2]:
            city = f"{code}-{short}"
            codes += [city] + [f"{city}-{i:02d}" for i in range(1, len(DISTRICT_NAMES) + 1)]
    codes += ["GD-JK", "GD-PX"]
    assert len(codes) == len(set(codes))
    assert all(re.fullmatch(r"[A-Z0-9-]+", code) for code in codes)


def test_it_a_national_company_holds_its_provinces_and_the_same_logins(client, db, small_provinces):
    output = demo("--managers", "200", "--seed", "2")
    root = OrgUnit.objects.get(parent=None)
    assert (root.code, root.name, root.kind) == ("HQ", "集团公司", "national")
    provinces = OrgUnit.objects.filter(kind="province")
    assert provinces.count() == 5 and all(p.parent_id == root.pk for p in provinces)
    first = provinces.order_by("path").first()
    assert first is not None and first.code == "GD"
    for province in provinces:
        assert set(province.children.filter(kind="department").values_list("name", flat=True)) == {
            "集团客户部", "培训学院"}
        assert province.children.filter(kind="city").exists()
        prefix = province.code
        assert Employee.objects.filter(org_unit__path__startswith=province.path).exclude(
            employee_no__regex=rf"^{prefix}\d{{5}}$").count() == 0
    assert Employee.objects.exclude(position__code="team_lead").count() == 200
    # The named logins are Guangdong's at every size; hqadmin is the whole company's.
    hq = RoleAssignment.objects.get(user__username="hqadmin")
    assert (hq.role, hq.org_unit.code) == (Role.TRAINING_ADMIN, "HQ")
    for username, code in [("admin", "GD"), ("gzadmin", "GZ"), ("consultant", "GD"), ("analyst", "GD")]:
        assert RoleAssignment.objects.get(user__username=username).org_unit.code == code
    # The logins are the lines under "Logins" (the parts' descriptions come before).
    printed = set(re.findall(r"^  (\S+) ", output.split("/ Logins", 1)[1], re.MULTILINE))
    assert NAMED | {"hqadmin"} <= printed
    for username in sorted(printed):
        assert log_in(client, username), username
        client.logout()
    # The competency model applies to every province: it is the national company's.
    assert CompetencyModel.objects.get().org_unit == root


def test_it_every_row_it_writes_is_valid(db, small_provinces):
    # The build validates the first rows of each kind and writes the rest in batches: here
    # every row is validated as a form would.
    demo("--managers", "200", "--seed", "5")
    for model in (OrgUnit, User, Employee, RoleAssignment):
        for row in model.objects.all():
            row.full_clean()
    assert len(set(Employee.objects.values_list("phone", flat=True))) == Employee.objects.count()
    assert len(set(Employee.objects.values_list("email", flat=True))) == Employee.objects.count()
    assert User.objects.filter(employee__status=Employee.Status.LEFT, is_active=True).count() == 0


def test_it_the_same_seed_gives_the_same_national_company(transactional_db, small_provinces):
    demo("--managers", "150", "--seed", "9")
    first = hashlib.sha256(repr(dump()).encode()).hexdigest()
    demo("--managers", "150", "--seed", "9", "--reset")
    assert hashlib.sha256(repr(dump()).encode()).hexdigest() == first
    demo("--managers", "150", "--seed", "10", "--replace")
    assert hashlib.sha256(repr(dump()).encode()).hexdigest() != first


def test_it_a_long_build_says_where_it_is(db, monkeypatch):
    monkeypatch.setattr(core_demo, "PROGRESS_EVERY", 0.0)
    monkeypatch.setattr(bulk, "COPY_BATCH", 20)  # the bulk writer reports between batches
    monkeypatch.setattr(bulk, "WRITE_BATCH", 20)
    output = demo("--managers", "60", "--seed", "4")
    progress = [line for line in output.splitlines() if line.startswith("  … ")]
    assert any(re.fullmatch(r"  … employees \d+/6\d \(\d+ s\)", line) for line in progress), progress
    assert progress[-1].startswith("  … committing")
    assert "Demo company built" in output


def test_it_a_quick_build_prints_no_progress(db, monkeypatch):
    # Quicker than the threshold: how quick a build is depends on the machine's load, so the
    # threshold is set past any build's length rather than the build timed.
    monkeypatch.setattr(core_demo, "PROGRESS_EVERY", 3600.0)
    output = demo("--managers", "30", "--seed", "4")
    assert "  … " not in output
