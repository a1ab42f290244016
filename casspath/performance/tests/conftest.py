"""A small diagnosable world: the default model published for the province, ten more
managers in city A's team, five months of monthly summaries (one big deal) and ratings."""

from datetime import date

import pytest

from casspath.assess.tests.conftest import run_ratings
from casspath.competency.actions.loading import do_load_default_model
from casspath.core.actors import SystemActor
from casspath.imports import registry
from casspath.imports.framework import run_import
from casspath.imports.tests.helpers import csv_bytes
from casspath.testing import make_employee

MONTHS = ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]


def run_performance(rows):
    report = run_import(registry.get("performance"), csv_bytes(rows), "p.csv", acting_user=SystemActor.cli(),
                        dry_run=False)
    assert report.ok, report.as_dict()


@pytest.fixture
def diagnosable(world):
    model = do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    numbers = ["E0001", "E0002"]
    for i in range(10):
        no = f"E02{i:02d}"
        make_employee(no, f"经理{i}", world.team_a, hire_date=date(2020 + i % 5, 3, 1))
        numbers.append(no)
    # Output grows with D01's level; E0001 has one big deal in March; E0200 sells nothing.
    performance = [["工号", "月份", "贡献", "大单金额"]]
    ratings = [["工号", "维度编码", "等级", "来源", "日期"]]
    for k, no in enumerate(numbers):
        for month in MONTHS:
            amount = 0 if no == "E0200" else 100 * k
            big = 60000 if (no == "E0001" and month == "2026-03") else 0
            performance.append([no, month, str(amount + big), str(big) if big else ""])
        ratings.append([no, "D01", str(1 + k * 4 // len(numbers)), "调研", "2026-04-01"])
        ratings.append([no, "D03", str(1 + (k * 7) % 5), "调研", "2026-04-01"])
    performance.append(["E0100", "2026-01", "999", ""])  # city B
    run_performance(performance)
    report = run_ratings(csv_bytes(ratings))
    assert report.ok, report.as_dict()
    return model
