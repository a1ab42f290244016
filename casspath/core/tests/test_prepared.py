"""core/prepared.py: a query compiled once per process gives what its queryset gives."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from casspath.api.models import ApiToken
from casspath.core.prepared import PreparedQuery, execute_planned
from casspath.org.models import Employee, OrgUnit, RoleAssignment

by_no = PreparedQuery(
    lambda no: Employee.objects.select_related("org_unit", "position", "grade", "user")
    .filter(employee_no=no).order_by("pk")[:1], str)
bindings = PreparedQuery(
    lambda user_id: RoleAssignment.objects.filter(user_id=user_id).select_related("org_unit").order_by("pk"),
    int)


def fields(obj):
    return {key: value for key, value in vars(obj).items() if key != "_state"}


def test_it_builds_what_the_queryset_builds_related_rows_included(world):
    for no in ("E0001", "E0002", "T0001"):  # with a login and a position; without either
        prepared = by_no.first(no)
        assert prepared is not None
        plain = Employee.objects.select_related("org_unit", "position", "grade", "user").get(employee_no=no)
        assert fields(prepared) == fields(plain)
        assert fields(prepared.org_unit) == fields(plain.org_unit)
        for related in ("position", "grade", "user"):
            mine, theirs = getattr(prepared, related), getattr(plain, related)
            assert (mine and fields(mine)) == (theirs and fields(theirs))
    assert by_no.first("E9999") is None
    RoleAssignment.objects.create(user=world.city_admin_a, role="consultant", org_unit=world.city_b)
    rows = bindings(world.city_admin_a.pk)
    assert [fields(row) for row in rows] == [
        fields(row) for row in RoleAssignment.objects.filter(user=world.city_admin_a).order_by("pk")]
    assert [row.org_unit.code for row in rows] == ["GZ", "SZ"]
    assert bindings(world.outsider.pk) == []


def test_it_applies_the_database_converters(world):
    """Datetimes come back aware, as the ORM gives them (SQLite stores them as text)."""
    from django.utils import timezone

    token = ApiToken.objects.create(user=world.city_admin_a, name="t", prefix="cpt_x", secret_hash="h" * 64,
                                    expires_at=timezone.now())
    prepared = PreparedQuery(lambda h: ApiToken.objects.filter(secret_hash=h).select_related("user"), str)
    row = prepared.first("h" * 64)
    assert row is not None
    assert row.created_at == ApiToken.objects.get(pk=token.pk).created_at
    assert row.created_at.tzinfo is not None and row.user.date_joined.tzinfo is not None


def test_it_refuses_a_value_the_lookup_changes(world):
    prepared = PreparedQuery(lambda path: OrgUnit.objects.filter(path__startswith=path), str)
    with pytest.raises(ValueError, match="unchanged"):
        prepared("/")
    with pytest.raises(TypeError):
        bindings()


def test_it_plans_a_statement_once_a_connection_and_runs_it_with_each_call_s_values(world):
    sql = (
        "SELECT u.code FROM org_orgunit u WHERE u.code LIKE %s AND u.id = ANY(%s) ORDER BY u.code"
        if connection.vendor == "postgresql"
        else "SELECT u.code FROM org_orgunit u WHERE u.code LIKE %s AND u.id IN (%s, %s) ORDER BY u.code"
    )
    ids = list(OrgUnit.objects.filter(code__in=["GZ", "SZ"]).values_list("pk", flat=True))

    def run(pattern):
        params = [pattern, ids] if connection.vendor == "postgresql" else [pattern, *ids]
        with connection.cursor() as cursor:
            execute_planned(cursor, sql, params)
            return [row[0] for row in cursor.fetchall()]

    with CaptureQueriesContext(connection) as first:
        assert run("%Z%") == ["GZ", "SZ"]
    try:
        with transaction.atomic():
            assert run("G%") == ["GZ"]
            raise RuntimeError("roll back")
    except RuntimeError:
        pass
    with CaptureQueriesContext(connection) as later:
        assert run("S%") == ["SZ"]  # a rollback keeps what was prepared
    if connection.vendor == "postgresql":
        assert [q["sql"].split()[0] for q in first.captured_queries] == ["PREPARE", "EXECUTE"]
        assert "$1" in first.captured_queries[0]["sql"] and "%" not in first.captured_queries[0]["sql"]
        assert [q["sql"].split()[0] for q in later.captured_queries] == ["EXECUTE"]
    else:
        assert [q["sql"].split()[0] for q in later.captured_queries] == ["SELECT"]
