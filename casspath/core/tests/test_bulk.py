"""core/bulk.py, the one bulk writer: rows written as given (escapes, NULLs, dates,
decimals, constant columns), and foreign keys enforced whichever way they are checked (row
by row, or at once after a replica-mode COPY on PostgreSQL)."""

from datetime import date
from decimal import Decimal

import pytest
from django.db import IntegrityError, connection, transaction
from django.test.utils import CaptureQueriesContext

from casspath.core import bulk
from casspath.performance.models import PerformanceRecord

FIELDS = ("employee_id", "month", "day", "kind", "amount", "product", "flagged", "big_deal_amount")


def _columns(employees: list[int]) -> list:
    # Two rows; the constant columns as bulk.Same.
    return [employees, [date(2026, 1, 1)] * 2, [date(2026, 1, 5), None], bulk.Same("item"),
            [Decimal("12.50")] * 2, ["伞\\布\t一\n号", ""], bulk.Same(True), bulk.Same(Decimal("0"))]


@pytest.mark.parametrize("at_once", [True, False])
def test_it_writes_rows_as_given(world, at_once):
    employees = [world.manager_employee.pk, world.colleague.pk]
    with CaptureQueriesContext(connection) as queries:
        assert bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), keys_at_once=at_once) == 2
    first, second = PerformanceRecord.objects.order_by("id")
    assert (first.employee, first.day, first.kind, first.amount, first.product, first.flagged) == (
        world.manager_employee, date(2026, 1, 5), "item", Decimal("12.50"), "伞\\布\t一\n号", True)
    assert (second.employee, second.day, second.product) == (world.colleague, None, "")
    if connection.vendor == "postgresql":
        # The test database's role may set session_replication_role: a big load skips the
        # row-by-row triggers, and switches them on again.
        replica = any("session_replication_role = replica" in q["sql"] for q in queries.captured_queries)
        assert replica is at_once
        with connection.cursor() as cursor:
            cursor.execute("SHOW session_replication_role")
            assert cursor.fetchone()[0] == "origin"


@pytest.mark.parametrize("at_once", [True, False])
def test_it_refuses_a_row_referring_to_no_employee_and_writes_nothing(world, at_once):
    employees = [world.manager_employee.pk, world.city_b_employee.pk + 1000]
    with pytest.raises(IntegrityError), transaction.atomic():
        bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), keys_at_once=at_once)
        connection.check_constraints()  # the deferred keys, as the commit checks them
    assert not PerformanceRecord.objects.exists()


@pytest.mark.parametrize("count", [1, 150])
def test_it_writes_rows_whose_every_column_holds_one_value(world, count):
    # One row (each of its columns is one value repeated), or rows all alike: the writer
    # must still write exactly `count` rows, however it binds the repeated columns.
    columns: list[bulk.Column] = [
        [world.manager_employee.pk] * count, [date(2026, 1, 1)] * count, [None] * count,
        ["item"] * count, [Decimal("12.50")] * count, [""] * count, [True] * count,
        bulk.Same(Decimal("0"))]
    assert bulk.insert_rows(PerformanceRecord, FIELDS, columns) == count
    assert PerformanceRecord.objects.filter(employee=world.manager_employee, amount=Decimal("12.50"),
                                            kind="item", flagged=True).count() == count


def test_it_writes_a_column_of_one_value_amid_varying_ones(world):
    # 250 rows: two full statements of a hundred and a last one of fifty (SQLite).
    count = 250
    employees = [world.manager_employee.pk, world.colleague.pk] * (count // 2)
    amounts = [Decimal(i) / 4 for i in range(count)]
    columns: list[bulk.Column] = [
        employees, [date(2026, 1, 1)] * count, bulk.Same(None), ["item"] * count, amounts,
        ["伞\t布"] * count, [False] * count, [Decimal("0.5")] * count]
    assert bulk.insert_rows(PerformanceRecord, FIELDS, columns) == count
    stored = list(PerformanceRecord.objects.order_by("id").values_list(
        "employee_id", "month", "day", "kind", "amount", "product", "flagged", "big_deal_amount"))
    assert stored == [(employee, date(2026, 1, 1), None, "item", amount, "伞\t布", False, Decimal("0.5"))
                      for employee, amount in zip(employees, amounts, strict=True)]


def test_it_reads_rows_back_as_the_orm_does(world):
    employees = [world.manager_employee.pk, world.colleague.pk]
    columns = [employees * 3, [date(2026, 1, 1), date(2026, 2, 1)] * 3, [date(2026, 1, 5), None] * 3,
               ["item", "summary", "item"] * 2,
               [Decimal("12.50"), Decimal("0"), Decimal("-3.07"), Decimal("999999999999.99"),
                Decimal("0.10"), Decimal("12.50")],
               ["伞", "", "伞", "b", "", "c"], [True, False, True, True, False, False],
               [Decimal("0")] * 5 + [Decimal("1.5")]]
    bulk.insert_rows(PerformanceRecord, FIELDS, columns)
    query = PerformanceRecord.objects.order_by("id").values_list("id", *FIELDS)
    expected = list(query)
    got = list(bulk.values_rows(query, chunk_size=4))
    assert got == expected
    # the same types too (a Decimal, not a float; a bool, not 1)
    assert [tuple(map(type, row)) for row in got] == [tuple(map(type, row)) for row in expected]
    assert list(bulk.values_rows(PerformanceRecord.objects.filter(pk__in=[]).values_list("id"))) == []


def _plain_indexes() -> list[str]:
    with connection.cursor() as cursor:
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE tablename = %s ORDER BY indexname",
                       [PerformanceRecord._meta.db_table])
        return [row[0] for row in cursor.fetchall()]


def _index_statements(queries) -> list[str]:
    return [q["sql"].split(" ")[0] for q in queries.captured_queries
            if q["sql"].startswith(("DROP INDEX", "CREATE INDEX"))]


postgres_only = pytest.mark.skipif("connection.vendor != 'postgresql'")


@postgres_only
def test_it_builds_a_first_loads_indexes_after_its_rows(world, monkeypatch):
    monkeypatch.setattr(bulk, "INDEXES_AFTER_FROM", 2)
    indexes = _plain_indexes()
    employees = [world.manager_employee.pk, world.colleague.pk]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), indexes_after=True,
                         keys_at_once=True)
    assert _index_statements(queries) == ["DROP", "CREATE"]
    assert _plain_indexes() == indexes  # the same indexes, as they were defined
    assert sorted(PerformanceRecord.objects.values_list("employee_id", flat=True)) == sorted(employees)


@postgres_only
def test_it_keeps_the_indexes_of_a_table_holding_more_than_the_load(world, monkeypatch):
    monkeypatch.setattr(bulk, "INDEXES_AFTER_FROM", 2)
    employees = [world.manager_employee.pk, world.colleague.pk]
    bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees))
    bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees))
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), indexes_after=True,
                         keys_at_once=True)
    assert _index_statements(queries) == []
    assert PerformanceRecord.objects.count() == 6


@postgres_only
def test_it_keeps_the_indexes_while_another_transaction_reads_the_table(world, monkeypatch):
    # Never waits for the table's lock: another reader keeps the indexes in place (and the
    # failed try does not spoil the transaction).
    import psycopg

    monkeypatch.setattr(bulk, "INDEXES_AFTER_FROM", 2)
    settings = connection.settings_dict
    other = psycopg.connect(dbname=settings["NAME"], user=settings["USER"], host=settings["HOST"],
                            port=settings["PORT"] or 5432, password=settings["PASSWORD"] or None)
    try:
        other.execute(f"LOCK TABLE {PerformanceRecord._meta.db_table} IN ACCESS SHARE MODE")
        employees = [world.manager_employee.pk, world.colleague.pk]
        with CaptureQueriesContext(connection) as queries, transaction.atomic():
            assert bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), indexes_after=True,
                                     keys_at_once=True) == 2
        assert any(q["sql"].startswith("LOCK TABLE") for q in queries.captured_queries)  # tried
        assert _index_statements(queries) == []
        assert PerformanceRecord.objects.count() == 2
    finally:
        other.close()


@postgres_only
def test_it_keeps_the_indexes_when_the_keys_are_checked_row_by_row(world, monkeypatch):
    # (the triggers' pending events would forbid building an index in the transaction)
    monkeypatch.setattr(bulk, "INDEXES_AFTER_FROM", 2)
    employees = [world.manager_employee.pk, world.colleague.pk]
    with CaptureQueriesContext(connection) as queries, transaction.atomic():
        bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), indexes_after=True,
                         keys_at_once=False)
    assert _index_statements(queries) == []
    assert PerformanceRecord.objects.count() == 2


@postgres_only
def test_it_restores_the_indexes_when_the_load_is_rolled_back(world, monkeypatch):
    monkeypatch.setattr(bulk, "INDEXES_AFTER_FROM", 2)
    indexes = _plain_indexes()
    employees = [world.manager_employee.pk, world.colleague.pk]

    class Refused(Exception):
        pass

    with pytest.raises(Refused), transaction.atomic():
        bulk.insert_rows(PerformanceRecord, FIELDS, _columns(employees), indexes_after=True,
                         keys_at_once=True)
        raise Refused
    assert _plain_indexes() == indexes
    assert not PerformanceRecord.objects.exists()
