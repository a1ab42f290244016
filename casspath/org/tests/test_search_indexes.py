"""The employee search's indexes (migration org 0011, `org/search.py`): they exist after every
migration, the queries read them, and the SQLite name index follows every way a row is
written (its triggers): the roster import, its big-load path, the edit form, the API, the ORM."""

import json

import pytest
from django.db import connection
from django.urls import reverse

from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org import queries
from casspath.org.models import Employee
from casspath.testing import make_employee

URL = reverse("org:employee_list")

SQLITE_OBJECTS = {
    ("table", "org_employee_name_fts"),
    ("trigger", "org_employee_name_fts_insert"),
    ("trigger", "org_employee_name_fts_update"),
    ("trigger", "org_employee_name_fts_delete"),
    ("index", "org_employee_name_nocase"),
    ("index", "org_employee_no_nocase"),
    ("index", "org_employee_phone_nocase"),
}
POSTGRES_INDEXES = {"org_employee_name_trgm", "org_employee_no_prefix", "org_employee_phone_prefix"}


def found(client, q) -> list[str]:
    return [row.employee.employee_no for row in client.get(URL, {"q": q}).context["rows"]]


def _roster(*rows) -> bytes:
    cells = ["", "", "GZ-TH-01", "客户经理", "2023-05-06", "初级", "在职"]
    return csv_bytes([ROSTER_HEADERS_ZH, *[[no, name, *cells] for no, name in rows]])


def _import(data: bytes):
    report = run_import(registry.get("roster"), data, "roster.csv", acting_user=SystemActor.cli(),
                        dry_run=False, options={})
    assert report.ok, report.as_dict()
    return report


@pytest.mark.django_db
def test_it_has_the_search_indexes_after_every_migration():
    """A later migration that makes SQLite copy the employee table into a new one drops what
    Django does not know: it must create these again (see migration org 0011)."""
    _assert_indexes()


def _assert_indexes() -> None:
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute("SELECT type, name FROM sqlite_master WHERE name LIKE 'org_employee_%'")
            assert SQLITE_OBJECTS <= set(cursor.fetchall())
        else:
            cursor.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'org_employee'")
            assert POSTGRES_INDEXES <= {name for (name,) in cursor.fetchall()}
            cursor.execute("SELECT show_trgm('陈伟明')")
            (trigrams,) = cursor.fetchone()
            assert len(trigrams) == 4, "trigrams of Chinese need a UTF-8 LC_CTYPE (not C)"


def test_it_reads_the_indexes_for_each_kind_of_text(world):
    """The plan of each kind of search names its index (SQLite plans the same whatever the
    table's size; PostgreSQL's plans at scale are in docs/benchmarks.md)."""
    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL picks by statistics: checked at 100,000 rows by hand")
    admin = world.province_admin
    for q, index in (("陈伟明", "org_employee_name_fts VIRTUAL TABLE INDEX"),
                     ("陈伟", "INDEX org_employee_name_nocase"),
                     ("GD0999", "INDEX org_employee_no_nocase"),
                     ("1574767", "INDEX org_employee_phone_nocase")):
        plan = queries.employees_visible(admin, queries.EmployeeFilters(q=q))[:51].explain()
        assert index in plan, (q, plan)
        assert "SCAN org_employee " not in plan + " ", (q, plan)


def test_it_finds_whom_the_roster_import_creates_and_renames(client, world):
    _import(_roster(("G0001", "欧阳建国"), ("G0002", "司马光明")))
    client.force_login(world.city_admin_a)
    assert found(client, "阳建国") == ["G0001"]
    _import(_roster(("G0001", "欧阳振华"), ("G0002", "司马光明")))
    assert found(client, "阳建国") == []
    assert found(client, "阳振华") == ["G0001"]


def test_it_finds_whom_a_big_import_writes_with_the_indexes_dropped_and_rebuilt(client, world, monkeypatch):
    monkeypatch.setattr("casspath.org.importers.writes.SQLITE_REBUILD_INDEXES_FROM", 1)
    _import(_roster(*[(f"G{n:04d}", f"诸葛{n}号") for n in range(30)]))
    client.force_login(world.city_admin_a)
    assert found(client, "诸葛12") == ["G0012"]
    assert found(client, "g001") == [f"G{n:04d}" for n in range(10, 20)]
    _assert_indexes()  # dropped for the load, built again


def test_it_finds_whom_the_edit_form_renames(client, world):
    client.force_login(world.city_admin_a)
    colleague = world.colleague
    response = client.post(reverse("org:employee_edit", args=["E0002"]), {
        "name": "赵钱孙", "phone": colleague.phone, "email": "", "org_unit": "GZ-TH-01",
        "position": "account_manager", "hire_date": colleague.hire_date.isoformat(), "grade": "",
        "status": "active"})
    assert response.status_code == 302
    assert found(client, "赵钱孙") == ["E0002"]
    assert found(client, "赵同事") == []


def test_it_finds_whom_the_api_creates_renames_and_writes_in_batches(client, world):
    client.force_login(world.city_admin_a)
    body = {"name": "上官婉儿", "org_unit": "GZ-TH-01", "hire_date": "2024-07-01"}
    assert client.put("/api/v1/org/employees/G0001", data=json.dumps(body),
                      content_type="application/json").status_code == 201
    assert found(client, "官婉儿") == ["G0001"]
    assert client.put("/api/v1/org/employees/G0001", data=json.dumps({"name": "上官飞燕"}),
                      content_type="application/json").status_code == 200
    assert found(client, "官婉儿") == [] and found(client, "官飞燕") == ["G0001"]
    batch = {"employees": [{"employee_no": "G0002", "name": "东方不败", "org_unit": "GZ-TH-01",
                            "hire_date": "2024-07-01"}]}
    assert client.post("/api/v1/org/employees:batch", data=json.dumps(batch),
                       content_type="application/json").status_code == 200
    assert found(client, "方不败") == ["G0002"]


def test_it_follows_updates_and_deletes_made_directly(client, world):
    make_employee("G0001", "慕容复兴", world.team_a)
    client.force_login(world.city_admin_a)
    assert found(client, "容复兴") == ["G0001"]
    Employee.objects.filter(employee_no="G0001").update(name="慕容博远")
    assert found(client, "容复兴") == [] and found(client, "容博远") == ["G0001"]
    Employee.objects.filter(employee_no="G0001").update(phone="13912340000")  # not the name: kept
    assert found(client, "容博远") == ["G0001"]
    Employee.objects.filter(employee_no="G0001").delete()
    assert found(client, "容博远") == []
    make_employee("G0009", "慕容博远", world.team_a)  # a new row may take the freed id's place
    assert found(client, "容博远") == ["G0009"]


def test_it_puts_the_name_trigger_back_when_a_big_load_fails(world):
    from django.db import transaction

    from casspath.org import search

    if connection.vendor != "sqlite":
        pytest.skip("PostgreSQL's index needs no trigger")
    with pytest.raises(RuntimeError), transaction.atomic(), connection.cursor() as cursor:
        with search.sqlite_names_indexed_after(cursor):
            raise RuntimeError("the load failed")
    _assert_indexes()
    make_employee("G0001", "令狐冲天", world.team_a)
    assert queries.employees_visible(world.province_admin, queries.EmployeeFilters(q="狐冲天")).count() == 1


def test_it_reads_full_text_syntax_as_plain_characters(client, world):
    make_employee("G0001", "Tom OR Li", world.team_a)
    client.force_login(world.city_admin_a)
    for q in ('"""', "*:^", "NEAR(a b)", "a OR b", "%_%", "\\", "Li*", "name:Tom"):
        assert client.get(URL, {"q": q}).status_code == 200, q
        assert client.get("/api/v1/org/employees", {"q": q}).status_code == 200, q
    assert found(client, "m OR L") == ["G0001"]
    assert found(client, "Li*") == []
