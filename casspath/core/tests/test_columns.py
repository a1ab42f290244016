"""core/columns.py, the one reader of many rows of numbers: a query's columns as numpy
arrays, the same on both databases (PostgreSQL's binary COPY stream, SQLite's batches)."""

import numpy as np
import pytest

from casspath.core import columns

# Rows made by the database itself, so that the test needs no table: n, n / 4, −n, 2^40 + n.
SERIES = {
    "postgresql": "SELECT n, n / 4.0, -n, 1099511627776 + n FROM generate_series(1, %s) AS s(n)",
    "sqlite": ("WITH RECURSIVE s(n) AS (SELECT 0 UNION ALL SELECT n + 1 FROM s WHERE n < %s) "
               "SELECT n, n / 4.0, -n, 1099511627776 + n FROM s WHERE n > 0"),
}
TYPES = [np.int64, np.float64, np.int32, np.int64]


def _series(rows: int) -> list[np.ndarray]:
    from django.db import connection

    return columns.read_columns(SERIES[connection.vendor], [rows], TYPES)


@pytest.mark.django_db
def test_it_reads_each_column_as_an_array_of_its_type():
    n, quarter, negative, large = _series(5)
    assert [a.dtype for a in (n, quarter, negative, large)] == [np.dtype(t) for t in TYPES]
    assert n.tolist() == [1, 2, 3, 4, 5]
    assert quarter.tolist() == [0.25, 0.5, 0.75, 1.0, 1.25]
    assert negative.tolist() == [-1, -2, -3, -4, -5]
    assert large.tolist() == [2**40 + i for i in range(1, 6)]


@pytest.mark.django_db
def test_it_reads_no_rows_as_empty_arrays():
    assert [a.tolist() for a in _series(0)] == [[], [], [], []]


@pytest.mark.django_db
def test_it_reads_a_stream_longer_than_its_block_whole(monkeypatch):
    # Blocks of a few rows' bytes: rows cut across the driver's chunks are joined again.
    monkeypatch.setattr(columns, "BLOCK_BYTES", 100)
    monkeypatch.setattr(columns, "FETCH_BATCH", 7)
    n, quarter, negative, large = _series(10_000)
    assert n.tolist() == list(range(1, 10_001))
    assert np.array_equal(quarter, np.arange(1, 10_001) / 4)
    assert np.array_equal(negative, -np.arange(1, 10_001))
    assert np.array_equal(large, 2**40 + np.arange(1, 10_001))


@pytest.mark.django_db
@pytest.mark.parametrize("sql", [
    "SELECT 1, NULL", "SELECT 1, 2.5 UNION ALL SELECT 2, NULL UNION ALL SELECT 3, 4.5"])
def test_it_refuses_a_null_rather_than_reading_a_number(sql):
    with pytest.raises(ValueError, match="NULL"):
        columns.read_columns(sql, [], [np.int64, np.float64])


def test_it_refuses_a_type_it_cannot_read():
    with pytest.raises(ValueError, match="int64, int32, int16 and float64"):
        columns.read_columns("SELECT 'a'", [], [np.str_])


@pytest.mark.django_db
def test_it_reads_rows_sharing_their_first_column_every_one():
    # PostgreSQL packs the rows of one first-column value together: 7 packs of ~143 rows
    # (%% is the modulo escaped from the parameter style, as Django writes it).
    from django.db import connection

    sql = SERIES[connection.vendor].replace("SELECT n, n / 4.0", "SELECT n %% 7, n / 4.0")
    key, quarter, negative, _large = columns.read_columns(sql, [1000], TYPES)
    assert sorted(zip((-negative).tolist(), key.tolist(), quarter.tolist(), strict=True)) == [
        (n, n % 7, n / 4) for n in range(1, 1001)]


@pytest.mark.django_db
def test_it_hands_over_blocks_holding_every_row_of_their_first_column_values(monkeypatch):
    # Blocks of a few packs' bytes: 7 values of the first column, each of ~143 rows, never
    # cut across two blocks (a reader folding per value relies on it).
    from django.db import connection

    monkeypatch.setattr(columns, "BLOCK_BYTES", 3000)
    sql = SERIES[connection.vendor].replace("SELECT n, n / 4.0", "SELECT n %% 7, n / 4.0")
    blocks: list[list[np.ndarray]] = []
    columns.read_column_blocks(sql, [1000], TYPES, blocks.append)
    keys = [set(block[0].tolist()) for block in blocks]
    assert sorted(k for block in keys for k in block) == list(range(7))  # each value in one block
    assert sum(len(block[0]) for block in blocks) == 1000
    assert all(len(block[0]) for block in blocks)
    assert [a.dtype for a in blocks[0]] == [np.dtype(t) for t in TYPES]
    if connection.vendor == "postgresql":
        assert len(blocks) > 1


@pytest.mark.django_db
def test_it_reads_a_single_column_and_small_integers():
    from django.db import connection

    sql = SERIES[connection.vendor].replace("SELECT n, n / 4.0, -n, 1099511627776 + n", "SELECT n %% 3, -n")
    key, negative = columns.read_columns(sql, [10], [np.int32, np.int16])
    pairs = sorted(zip(key.tolist(), negative.tolist(), strict=True))
    assert pairs == sorted((n % 3, -n) for n in range(1, 11))
    (alone,) = columns.read_columns(sql.replace(", -n", ""), [10], [np.int64])
    assert sorted(alone.tolist()) == sorted(n % 3 for n in range(1, 11))
