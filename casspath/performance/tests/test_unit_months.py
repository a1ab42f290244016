"""`queries.unit_months`: a unit's people × months as the diagnosis statistics take them,
reached through access.py."""

from datetime import date

import numpy as np
import pytest
from django.http import Http404

from casspath.analytics.output import output_per_head
from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes
from casspath.performance.access import access_unit_performance
from casspath.performance.queries import unit_months
from casspath.testing import make_employee


def _import(rows):
    report = run_import(registry.get("performance"), csv_bytes(rows), "p.csv", acting_user=SystemActor.cli(),
                        dry_run=False)
    assert report.ok, report.as_dict()


def test_it_gives_output_big_deals_and_employed_months_of_a_units_people(world):
    late = make_employee("E0300", "新人", world.team_a, hire_date=date(2026, 2, 10))
    gone = make_employee("E0301", "离职", world.team_a, hire_date=date(2020, 1, 1))
    gone.status = "left"
    gone.save()
    never = make_employee("E0302", "离职无记录", world.team_a, hire_date=date(2020, 1, 1))
    never.status = "left"
    never.save()
    _import([["工号", "月份", "贡献", "大单金额"], ["E0001", "2026-01", "100", ""],
             ["E0001", "2026-03", "70000", "60000"], ["E0300", "2026-02", "5", ""],
             ["E0301", "2026-01", "9", ""], ["E0100", "2026-01", "1000", ""],
             ["E0001", "2025-12", "1", ""]])
    _import([["工号", "日期", "金额"], ["E0002", "2026-02-01", "50000"], ["E0002", "2026-02-03", "20"]])

    unit = access_unit_performance(world.city_admin_a, "GZ")
    got = unit_months(unit, date(2026, 1, 1), date(2026, 3, 31))
    order = {pk: i for i, pk in enumerate(got.employee_ids)}
    team_lead = next(pk for pk in got.employee_ids if pk not in {
        world.manager_employee.pk, world.colleague.pk, late.pk, gone.pk, never.pk})
    assert got.months == [date(2026, 1, 1), date(2026, 2, 1), date(2026, 3, 1)]
    assert len(got.employee_ids) == 6  # city A's: the team lead, E0001, E0002 and the three above
    assert world.city_b_employee.pk not in order

    def row(employee_pk):
        i = order[employee_pk]
        return got.total[i].tolist(), got.big_deals[i].tolist(), got.employed[i].tolist()

    assert row(world.manager_employee.pk) == ([100, 0, 70000], [0, 0, 60000], [True, True, True])
    assert row(world.colleague.pk) == ([0, 50020, 0], [0, 50000, 0], [True, True, True])
    assert row(late.pk) == ([0, 5, 0], [0, 0, 0], [False, True, True])
    assert row(gone.pk) == ([9, 0, 0], [0, 0, 0], [True, False, False])
    assert row(never.pk) == ([0, 0, 0], [0, 0, 0], [False, False, False])
    assert row(team_lead) == ([0, 0, 0], [0, 0, 0], [True, True, True])
    # The arrays go straight into the statistics.
    figures = output_per_head(got.total, got.big_deals, got.employed)
    assert figures is not None


def test_it_a_unit_outside_his_scope_or_a_manager_gets_404(world):
    with pytest.raises(Http404):
        access_unit_performance(world.city_admin_a, "SZ")
    with pytest.raises(Http404):
        access_unit_performance(world.manager, "GZ-TH-01")
    assert access_unit_performance(world.team_lead, "GZ-TH-01") == world.team_a


def test_it_a_unit_without_records_gives_zeros_in_its_employed_months(world):
    got = unit_months(world.team_b, date(2026, 1, 1), date(2026, 2, 1))
    assert got.total.shape == (1, 2) and not got.total.any()
    assert np.array_equal(got.employed, [[True, True]])
