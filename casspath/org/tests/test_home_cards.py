"""org's home cards count with the database: the figures are those the per-person
functions of casspath.analytics give over everyone's row (the reference, as the card
computed them before), in queries that do not grow with the company."""

import random
from datetime import date, timedelta

import pytest
from django.urls import reverse

from casspath.analytics.charts import bar_chart, hbar_chart
from casspath.analytics.roster import headcount_by, rollup_under, stage_counts, tenure_histogram, top_counts
from casspath.core.models import User
from casspath.org import home, scopes
from casspath.org import queries as org_queries
from casspath.org.models import Employee, Grade, OrgUnit, Position, Role, RoleAssignment
from casspath.org.scopes import Perm
from casspath.testing import make_employee, make_unit


def reference_roster(user, today):
    """The roster card as it was computed before: every active row loaded, counted in Python."""
    from django.utils.translation import gettext as _

    lookup = org_queries.StageLookup(today)
    visible = scopes.employees_for(user, Perm.VIEW_EMPLOYEES)
    rows = list(visible.filter(status=Employee.Status.ACTIVE)
                .values_list("hire_date", "grade_id", "position_id", "org_unit__path"))
    hires = [row[0] for row in rows]
    counts = stage_counts(hires, today, lookup.bounds)
    labels = [lookup.name(code) for code in counts]
    grades = {grade.pk: grade.local_name for grade in Grade.objects.all()}
    by_grade = [(grades.get(key, _("No grade")) if key else _("No grade"), n)
                for key, n in headcount_by((row[1] for row in rows), order=list(grades))]
    positions = {position.pk: position.local_name for position in Position.objects.all()}
    by_position = [(positions.get(key, "") if key else _("No position"), n)
                   for key, n in headcount_by((row[2] for row in rows), order=list(positions)) if n]
    roots = list(org_queries.root_units()) if scopes.is_unrestricted(user) else scopes.scope_roots(
        user, Perm.VIEW_EMPLOYEES)
    paths = [row[3] for row in rows]
    per_unit: dict[str, int] = {}
    if len(roots) == 1:
        per_unit = rollup_under(paths, roots[0].path)
    else:
        for root in roots:
            total = sum(rollup_under(paths, root.path).values())
            if total:
                per_unit[root.path] = total
    top, rest = top_counts(per_unit, home.TOP_UNITS)
    units = org_queries.units_by_path(path for path, _n in top)
    by_unit = [(units[path], n) for path, n in top if path in units]
    histogram = tenure_histogram(hires, today)
    headcount = _("Headcount")
    return {
        "active": len(rows),
        "left": visible.filter(status=Employee.Status.LEFT).count(),
        "units": scopes.units_for(user, Perm.VIEW_EMPLOYEES).count(),
        "by_stage": list(zip(labels, counts.values(), strict=True)),
        "stage_chart": bar_chart(labels, list(counts.values()), series_name=headcount),
        "by_grade": by_grade,
        "grade_chart": bar_chart([label for label, _n in by_grade], [n for _label, n in by_grade],
                                 series_name=headcount),
        "by_position": by_position,
        "by_unit": by_unit,
        "other_units": rest,
        "unit_chart": hbar_chart([unit.name for unit, _n in by_unit], [n for _unit, n in by_unit],
                                 series_name=headcount) if by_unit else None,
        "tenure_chart": bar_chart([_("%(years)s y") % {"years": year} for year in histogram],
                                  list(histogram.values()), series_name=headcount) if histogram else None,
    }


TODAYS = [date(2025, 2, 28), date(2024, 2, 29), date(2024, 2, 28), date(2026, 6, 30), date(2027, 3, 1)]


@pytest.fixture
def company(world):
    """A few hundred people over a wider tree, with the hire dates where tenure turns: 29
    February, anniversaries on and around each day of TODAYS, people not yet started;
    some without grade or position, some gone."""
    rng = random.Random(6)  # noqa: S311 (test data, not secrets)
    teams = [world.team_a, world.team_b]
    for c in range(3):
        city = make_unit(f"C{c}", f"城市{c}", OrgUnit.Kind.CITY, world.province)
        for d in range(2):
            district = make_unit(f"C{c}-{d}", f"区{c}{d}", OrgUnit.Kind.DISTRICT, city)
            teams += [make_unit(f"C{c}-{d}-{t}", f"班{t}", OrgUnit.Kind.TEAM, district) for t in range(2)]
    teams += [world.city_a, world.province]  # people directly in a city and in the province
    special = [date(2020, 2, 29), date(2016, 2, 29), date(1996, 2, 29), date(2028, 2, 29)]
    for today in TODAYS:
        for years in (0, 1, 2, 4, 5, 7, 30):
            for shift in (-1, 0, 1):
                try:
                    day = today.replace(year=today.year - years)
                except ValueError:
                    day = date(today.year - years, 2, 28)
                special.append(day + timedelta(days=shift))
    grades = [*Grade.objects.all(), None]
    positions = [*Position.objects.all(), None]
    people = []
    for n in range(320):
        hire = special[n] if n < len(special) else date(1992, 1, 1) + timedelta(days=rng.randrange(13500))
        people.append(Employee(
            employee_no=f"R{n:04d}", name=f"员工{n}", org_unit=rng.choice(teams), hire_date=hire,
            grade=rng.choice(grades), position=rng.choice(positions),
            status=Employee.Status.LEFT if rng.random() < 0.1 else Employee.Status.ACTIVE))
    Employee.objects.bulk_create(people)
    return world


def _as_data(figures):
    return {key: [(getattr(label, "code", label), n) for label, n in value] if key == "by_unit" else value
            for key, value in figures.items()}


@pytest.mark.parametrize("today", TODAYS)
def test_it_gives_the_figures_the_per_person_count_gives(company, today):
    analyst = User.objects.create_user("two_roots")
    RoleAssignment.objects.create(user=analyst, role=Role.ANALYST, org_unit=company.city_b)
    RoleAssignment.objects.create(user=analyst, role=Role.ANALYST, org_unit=OrgUnit.objects.get(code="C1"))
    superuser = User.objects.create_superuser("root", password="x-y-z-w-v")
    make_unit("HN", "海南公司", OrgUnit.Kind.PROVINCE)  # a second root, for the superuser
    for user in (company.province_admin, company.city_admin_a, company.team_lead, analyst, superuser):
        assert _as_data(home.roster(user, today)) == _as_data(reference_roster(user, today)), user


def test_it_counts_the_figures_of_the_province_from_every_row(company):
    today = date(2026, 6, 30)
    figures = home.roster(company.province_admin, today)
    assert figures is not None
    active = Employee.objects.filter(status=Employee.Status.ACTIVE)
    assert figures["active"] == active.count() and figures["left"] == 320 + 4 - active.count()
    started = active.filter(hire_date__lte=today).count()
    assert sum(n for _label, n in figures["by_stage"]) == started < figures["active"]


def test_it_reads_the_roster_in_queries_that_do_not_grow(client, world, django_assert_max_num_queries):
    for user in (world.province_admin, world.city_admin_a, world.team_lead, world.analyst_a):
        client.force_login(user)
        with django_assert_max_num_queries(40) as before:
            client.get(reverse("home"))
        counts = len(before.captured_queries)
        city = make_unit(f"N{user.pk}", "新城", OrgUnit.Kind.CITY, world.province)
        for n in range(15):
            team = make_unit(f"N{user.pk}-{n}", f"新班{n}", OrgUnit.Kind.TEAM,
                             world.district_a if n % 2 else city)
            for m in range(4):
                make_employee(f"N{user.pk}-{n}-{m}", "新人", world.team_a if m == 0 else team,
                              hire_date=date(2000 + n, 1 + m, 1))
        with django_assert_max_num_queries(counts):
            response = client.get(reverse("home"))
        assert response.status_code == 200 and "roster" in response.context


def test_it_caps_a_team_leads_list_and_counts_all_his_people(client, world, django_assert_max_num_queries):
    client.force_login(world.team_lead)
    with django_assert_max_num_queries(40) as before:
        client.get(reverse("home"))
    Employee.objects.bulk_create([
        Employee(employee_no=f"M{n:03d}", name=f"组员{n}", org_unit=world.team_a, hire_date=date(2020, 1, 1))
        for n in range(home.TEAM_LIST_LIMIT + 10)])
    with django_assert_max_num_queries(len(before.captured_queries)):
        team = client.get(reverse("home")).context["team"]
    assert len(team["rows"]) == home.TEAM_LIST_LIMIT and team["count"] == 3 + home.TEAM_LIST_LIMIT + 10


def _roster_on_home(client, user) -> dict:
    client.force_login(user)
    response = client.get(reverse("home"))
    assert response.status_code == 200
    return response.context["roster"]


def _counts_people(queries) -> bool:
    return any('GROUP BY' in q["sql"] and '"org_employee"' in q["sql"] for q in queries)


def test_it_keeps_the_figures_while_nothing_changes(client, world, django_assert_max_num_queries):
    client.force_login(world.province_admin)
    with django_assert_max_num_queries(40) as first:
        client.get(reverse("home"))
    with django_assert_max_num_queries(40) as again:
        client.get(reverse("home"))
    assert _counts_people(first.captured_queries) and not _counts_people(again.captured_queries)
    assert len(again.captured_queries) < len(first.captured_queries)


def test_it_counts_a_hire_at_once_in_his_city_only(client, world):
    from casspath.org.actions.employees import do_upsert_employee

    province, city_a, city_b = (_roster_on_home(client, user)["active"] for user in
                                (world.province_admin, world.city_admin_a, world.city_admin_b))
    do_upsert_employee({"employee_no": "E0200", "name": "新同事", "org_unit": world.team_a,
                        "hire_date": date(2024, 3, 1)}, acting_user=world.city_admin_a)
    assert _roster_on_home(client, world.province_admin)["active"] == province + 1
    assert _roster_on_home(client, world.city_admin_a)["active"] == city_a + 1
    assert _roster_on_home(client, world.city_admin_b)["active"] == city_b


def test_it_counts_a_transfer_at_once_in_both_cities(client, world):
    from casspath.org.actions.employees import do_update_employee

    before_a = _roster_on_home(client, world.city_admin_a)
    before_b = _roster_on_home(client, world.city_admin_b)
    do_update_employee(world.colleague, {"org_unit": world.team_b}, acting_user=world.province_admin)
    after_a = _roster_on_home(client, world.city_admin_a)
    after_b = _roster_on_home(client, world.city_admin_b)
    assert (after_a["active"], after_b["active"]) == (before_a["active"] - 1, before_b["active"] + 1)
    assert [(unit.code, n) for unit, n in after_b["by_unit"]] == [("SZ-NS", before_b["active"] + 1)]


def test_it_counts_an_import_at_once(client, world):
    from casspath.core.actors import SystemActor
    from casspath.imports import registry
    from casspath.imports.framework import run_import
    from casspath.imports.tests.helpers import csv_bytes, roster_rows

    before = _roster_on_home(client, world.city_admin_a)
    report = run_import(registry.get("roster"), csv_bytes(roster_rows()), "roster.csv",
                        acting_user=SystemActor.cli(), dry_run=False, options={})
    assert report.ok and report.created == 2
    after = _roster_on_home(client, world.city_admin_a)
    assert after["active"] == before["active"] + 2
    assert after["by_stage"] != before["by_stage"]


def test_it_counts_a_new_unit_at_once(client, world):
    from casspath.org.actions.units import do_create_unit

    before = _roster_on_home(client, world.city_admin_a)
    do_create_unit(code="GZ-YX", name="越秀区", kind=OrgUnit.Kind.DISTRICT, parent=world.city_a,
                   acting_user=world.city_admin_a)
    assert _roster_on_home(client, world.city_admin_a)["units"] == before["units"] + 1
