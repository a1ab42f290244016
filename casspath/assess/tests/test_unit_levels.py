"""The current levels of a whole unit at once (what the diagnosis reads), within the
reader's reports scope."""

from datetime import date

import numpy as np
import pytest

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
