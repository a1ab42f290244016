import pytest

from casspath.analytics.product_matrix import product_matrix


def test_it_counts_distinct_cases_per_cell_and_total():
    triples = [(1, "P1", "I1"), (1, "P1", "I2"), (2, "P1", "I1"), (2, "P2", "I1")]
    m = product_matrix(["P1", "P2", "P3"], ["I1", "I2"], triples)
    assert m.cells == [[2, 1], [1, 0], [0, 0]]
    assert m.row_totals == [2, 1, 0]
    assert m.column_totals == [2, 1]
    assert m.total == 2
    assert m.shares[0] == [1.0, 0.5]
    assert m.shares[2] == [0.0, 0.0]


def test_it_leaves_out_rows_and_columns_not_asked_for():
    m = product_matrix(["P1"], ["I1"], [(1, "P1", "I9"), (2, "P9", "I1"), (3, "P1", "I1")])
    assert m.cells == [[1]] and m.total == 1


def test_it_matches_a_brute_force_count():
    import random

    rng = random.Random(7)  # noqa: S311 (test data)
    triples = {(rng.randrange(30), f"P{rng.randrange(5)}", f"I{rng.randrange(4)}") for _ in range(200)}
    rows, columns = [f"P{i}" for i in range(5)], [f"I{j}" for j in range(4)]
    m = product_matrix(rows, columns, sorted(triples))
    for i, p in enumerate(rows):
        for j, c in enumerate(columns):
            assert m.cells[i][j] == len({case for case, pp, cc in triples if pp == p and cc == c})
        assert m.row_totals[i] == len({case for case, pp, _ in triples if pp == p})
    assert m.total == len({case for case, _, _ in triples})


def test_it_refuses_repeated_keys():
    with pytest.raises(ValueError):
        product_matrix(["P1", "P1"], [], [])
