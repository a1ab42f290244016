"""A big roster load takes its own path (SQLite: indexes built once; PostgreSQL: COPY text
built column by column, foreign keys checked once, set-based): the employees it writes are
the same as a small load's, backslashes, tabs and line breaks in names included."""

from datetime import date

import pytest
from django.db import connection

from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes, roster_rows
from casspath.org.models import Employee


@pytest.fixture
def big_load_from_one_row(monkeypatch):
    monkeypatch.setattr("casspath.org.importers.writes.BIG_LOAD", 1)
    monkeypatch.setattr("casspath.org.importers.writes.SQLITE_REBUILD_INDEXES_FROM", 1)
    monkeypatch.setattr("casspath.core.bulk.ROWS_A_STATEMENT", 1)  # SQLite: no row left over


def test_it_writes_a_big_load_as_a_small_one(world, big_load_from_one_row):
    rows = roster_rows()
    rows[1][1] = "钱\\新\t人\n二"  # COPY's own escape, separator and line end, inside a name
    rows[2][5] = ""  # no position: NULL
    report = run_import(registry.get("roster"), csv_bytes(rows), "roster.csv", acting_user=SystemActor.cli(),
                        dry_run=False)
    assert report.ok and report.created == 2, report.as_dict()
    first = Employee.objects.get(employee_no="E0003")
    second = Employee.objects.get(employee_no="E0004")
    assert (first.name, first.phone, first.email, first.org_unit, first.hire_date) == (
        "钱\\新\t人\n二", "13800138001", "qian@example.com", world.team_a, date(2023, 5, 6))
    assert first.position is not None and first.position.code == "account_manager"
    assert (second.email, second.position, second.grade and second.grade.code) == ("", None, "senior")
    if connection.vendor == "postgresql":
        # The row-by-row foreign-key triggers are on again once the COPY is done.
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


def test_it_a_big_load_refuses_a_file_with_a_number_taken_and_writes_nothing(world, big_load_from_one_row):
    rows = roster_rows()
    rows[2][0] = "E0003"
    report = run_import(registry.get("roster"), csv_bytes(rows), "roster.csv", acting_user=SystemActor.cli(),
                        dry_run=False)
    assert not report.ok and [e.row for e in report.errors] == [3]
    assert not Employee.objects.filter(employee_no__in=["E0003", "E0004"]).exists()
