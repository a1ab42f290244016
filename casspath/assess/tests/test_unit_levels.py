"""The current levels of a whole unit at once (what the diagnosis reads), within the
reader's reports scope."""

from datetime import date, timedelta

import numpy as np
import pytest

from casspath.analytics.evidence import current_levels
from casspath.assess.queries import unit_current_levels
from casspath.assess.tests.conftest import run_ratings
from casspath.imports.tests.helpers import csv_bytes

AS_OF = date(2026, 6, 1)


@pytest.fixture
def rated(world, model):
    report = run_ratings(csv_bytes([
        ["工号", "维度编码", "等级", "来源", "日期"],
        ["E0001", "D01", "4", "调研", "2026-05-01"],
        ["E0001", "D01", "2", "上级", "2025-05-01"],
        ["E0002", "D03", "5", "同事", "2026-01-01"],
        ["E0100", "D01", "1", "调研", "2026-05-01"],
        ["E0100", "D01", "5", "调研", "2026-07-01"],  # after the day asked
    ]))
    assert report.ok, report.as_dict()


def test_it_computes_every_employee_and_dimension_of_a_unit_in_one_call(world, rated):
    levels = unit_current_levels(world.province_admin, world.province, ["D01", "D03", "D09"], as_of=AS_OF)
    by_id = dict(zip(levels.employee_ids, range(len(levels.employee_ids)), strict=True))
    me, colleague, shenzhen = (by_id[e.pk] for e in (world.manager_employee, world.colleague,
                                                     world.city_b_employee))
    level = levels.current.level
    w_old = 2 ** (-(AS_OF - date(2025, 5, 1)).days / 365)
    w_new = 2 ** (-(AS_OF - date(2026, 5, 1)).days / 365)
    assert level[me, 0] == pytest.approx((4 * w_new + 2 * w_old) / (w_new + w_old))
    assert level[colleague, 1] == 5.0 and level[shenzhen, 0] == 1.0
    assert np.isnan(level[:, 2]).all() and np.isnan(level[me, 1])
    assert levels.newest_date(me, 0) == date(2026, 5, 1) and levels.newest_date(me, 2) is None


def test_it_reads_only_the_employees_whose_reports_the_user_may_see(world, rated):
    city = unit_current_levels(world.analyst_a, world.province, ["D01"], as_of=AS_OF)
    assert world.city_b_employee.pk not in city.employee_ids
    assert world.manager_employee.pk in city.employee_ids
    team = unit_current_levels(world.team_lead, world.province, ["D01"], as_of=AS_OF)
    assert set(team.employee_ids) <= {e.pk for e in world.team_a.employees.all()}
    nobody = unit_current_levels(world.manager, world.province, ["D01"], as_of=AS_OF)
    assert nobody.employee_ids == [] and nobody.current.level.shape == (0, 1)


def test_it_sums_in_the_database_what_the_rule_computes_from_each_record(world, model):
    # The database sums each group's weights (assess/queries.py); the rule
    # (analytics/evidence.py) computes the same figures from the records themselves
    # (some dated after the day asked: both leave them out).
    rng = np.random.default_rng(11)
    people = [world.manager_employee, world.colleague, world.city_b_employee]
    codes = ["D01", "D03", "D05", "D09"]
    sources = {"调研": "survey", "上级": "supervisor", "同事": "peer", "自评": "self"}
    picked: set[tuple[int, str, str, int]] = set()
    while len(picked) < 60:
        picked.add((int(rng.integers(3)), codes[int(rng.integers(4))], list(sources)[int(rng.integers(4))],
                    int(rng.integers(-20, 900))))
    rows = [[people[p].employee_no, code, str(int(rng.integers(1, 6))), label,
             (AS_OF - timedelta(days=age)).isoformat()] for p, code, label, age in sorted(picked)]
    report = run_ratings(csv_bytes([["工号", "维度编码", "等级", "来源", "日期"], *rows]))
    assert report.ok, report.as_dict()["errors"][:3]
    levels = unit_current_levels(world.province_admin, world.province, codes, as_of=AS_OF)
    at = {pk: i for i, pk in enumerate(levels.employee_ids)}
    row = [at[next(e.pk for e in people if e.employee_no == r[0])] for r in rows]
    expected = current_levels(row, [codes.index(r[1]) for r in rows], [float(r[2]) for r in rows],
                              [date.fromisoformat(r[4]).toordinal() for r in rows],
                              [sources[r[3]] for r in rows], shape=levels.current.level.shape,
                              as_of=AS_OF.toordinal())
    got = levels.current
    for name in ("level", "confidence", "weight", "effective_records"):
        np.testing.assert_allclose(getattr(got, name), getattr(expected, name), rtol=1e-9, equal_nan=True)
    np.testing.assert_allclose(got.spread, expected.spread, atol=1e-6, equal_nan=True)
    np.testing.assert_array_equal(got.count, expected.count)
    np.testing.assert_array_equal(got.newest, expected.newest)
    assert (got.count > 0).sum() > 10  # the draw rated many groups
