"""How SQLite reads a scope (org/tree.py subtree_q): a unit's subtree as a range of the path
index, except the top unit's, whose range would be the whole company sorted for one page."""

import pytest
from django.db import connection

from casspath.org import queries


def _plan(user) -> str:
    filters, _errors = queries.parse_employee_filters(user, {})
    queryset = queries.employees_visible(user, filters).order_by("employee_no")[:51]
    sql, params = queryset.query.sql_with_params()
    with connection.cursor() as cursor:
        cursor.execute("EXPLAIN QUERY PLAN " + sql, params)
        return "\n".join(str(row[-1]) for row in cursor.fetchall())


@pytest.fixture(autouse=True)
def _sqlite_only():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's planner (PostgreSQL reads the subtree by its pattern index)")


def test_it_walks_the_employee_numbers_for_the_whole_companys_admin(world):
    assert world.province.parent_id is None
    plan = _plan(world.province_admin)
    assert "TEMP B-TREE FOR ORDER BY" not in plan, plan


def test_it_reads_a_citys_units_as_a_range_of_the_path_index(world):
    plan = _plan(world.city_admin_a)
    assert "path>? AND path<?" in plan, plan
