"""The demo's performance and skill evidence (performance/demo.py, assess/demo.py): the CASS
article's figures, and bottlenecks planted so that the diagnosis finds them again, seed
after seed. The many-seed checks run the parts' pure generators (what the database would
hold: the last test checks that the database readers give the same arrays)."""

import json
from io import StringIO
from pathlib import Path

import numpy as np
import pytest
from django.core.management import call_command
from scipy import stats

from casspath.analytics.diagnosis import Diagnosis, diagnose
from casspath.assess import demo as assess_demo
from casspath.assess.models import Evidence
from casspath.assess.queries import unit_current_levels
from casspath.core.demo import DEMO_TODAY
from casspath.core.models import User
from casspath.org.demo import plan_demo
from casspath.org.models import Employee, OrgUnit
from casspath.performance import demo as performance_demo
from casspath.performance.models import PerformanceRecord
from casspath.performance.queries import unit_months

MODEL_FILE = Path(assess_demo.__file__).parent.parent / "competency" / "data" / "default_model.json"
TABLE = assess_demo.default_requirement_table(json.loads(MODEL_FILE.read_text())["requirements"])
PLANTED = {"low": {"D01", "D03"}, "middle": {"D05", "D06"}, "high": {"D09"}}
SEEDS = range(1, 21)
MANAGERS = 600


def generated(managers: int, seed: int, *, supervisors: bool = True):
    """What the demo parts would write for this company, as the diagnosis takes it."""
    people = assess_demo.planned_managers(plan_demo(managers, seed))
    skills = assess_demo.planted_skills(people, TABLE, seed)
    observed = assess_demo.observed_evidence(skills, seed)
    levels = assess_demo.current_levels_of(observed, supervisors=supervisors)
    output = performance_demo.planted_output(people, skills, seed)
    return people, skills, levels, output


def diagnosed(managers: int, seed: int, *, supervisors: bool = True) -> Diagnosis:
    _people, skills, levels, output = generated(managers, seed, supervisors=supervisors)
    return diagnose(output.regular + output.big_deals, output.big_deals, output.employed, levels,
                    assess_demo.CODES, requirement=skills.requirement, regression=False)


# With supervisors' ratings beside the survey (up to SUPERVISOR_RATINGS_UP_TO managers) and without.
@pytest.mark.parametrize("supervisors", [True, False])
def test_it_plants_each_tiers_bottleneck_where_the_diagnosis_ranks_it_first(supervisors):
    first = {tier: 0 for tier in PLANTED}
    for seed in SEEDS:
        for found in diagnosed(MANAGERS, seed, supervisors=supervisors).tier_bottlenecks:
            code = found.tier.code
            first[code] += bool(found.bottlenecks) and found.bottlenecks[0] in PLANTED[code]
    for code, count in first.items():
        assert count >= 0.95 * len(SEEDS), (code, count)


def test_it_plants_the_link_at_a_realistic_strength():
    rho = {c.dimension: c.rho for c in diagnosed(MANAGERS, 1).correlations}
    for code in ("D01", "D03", "D05", "D06"):
        assert 0.1 <= rho[code] <= 0.45, (code, rho[code])
    assert abs(rho["D09"]) < 0.2  # negotiation lags the requirement, not the output
    assert max(rho.values()) < 0.5


def test_it_reproduces_the_articles_figures():
    _people, _skills, _levels, output = generated(2000, 1)
    figures = diagnosed(2000, 1)
    assert 0.15 <= figures.zero_share <= 0.22  # the article: about 18% at zero
    assert figures.below_500_share > 0.5
    assert figures.output_per_head.excluding_big_deals.mean < 2000
    # A few big deals, each a line item past the 50,000 threshold; they lift the mean.
    deals = output.big_deals[output.big_deals > 0]
    assert 0 < deals.size < 0.01 * output.employed.sum() and deals.min() >= 50_000
    assert figures.output_per_head.all.mean > figures.output_per_head.excluding_big_deals.mean
    # Output follows the planted skills, not a fixed table: a Spearman test of its own.
    counted = output.employed.any(axis=1)  # not those hired after the period
    period = output.regular[counted].sum(axis=1) / output.employed[counted].sum(axis=1)
    d05 = assess_demo.CODES.index("D05")
    assert stats.spearmanr(_skills.aptitude[counted, d05], period).statistic > 0.1


def test_it_gives_another_company_for_another_seed():
    _p, _s, levels_1, output_1 = generated(200, 1)
    _p, _s, levels_2, output_2 = generated(200, 2)
    _p, _s, levels_again, output_again = generated(200, 1)
    assert np.array_equal(output_1.regular, output_again.regular) and np.array_equal(levels_1, levels_again)
    assert not np.array_equal(levels_1, levels_2)


@pytest.mark.django_db
def test_it_writes_what_the_generators_give_and_the_readers_read_it_back():
    call_command("demo", "--managers", "60", "--seed", "5", stdout=StringIO())
    people, _skills, levels, output = generated(60, 5)
    employees = len(people)
    assert Evidence.objects.count() == employees * 18 * 2  # the survey and a supervisor's rating
    assert PerformanceRecord.objects.filter(kind="month").count() == output.employed.sum()
    assert PerformanceRecord.objects.filter(kind="item").count() == np.count_nonzero(output.big_deals)
    root = OrgUnit.objects.get(parent=None)
    months = unit_months(root, performance_demo.DEMO_MONTHS[0], performance_demo.DEMO_MONTHS[-1])
    admin = User.objects.get(username="admin")
    read = unit_current_levels(admin, root, assess_demo.CODES, as_of=DEMO_TODAY)
    by_no = dict(zip((p.employee_no for p in people), range(employees), strict=True))
    numbers = dict(Employee.objects.values_list("id", "employee_no"))
    rows = [i for i, pk in enumerate(months.employee_ids) if numbers[int(pk)] in by_no]
    order = [by_no[numbers[int(months.employee_ids[i])]] for i in rows]
    assert len(rows) == employees
    np.testing.assert_allclose(months.total[rows], (output.regular + output.big_deals)[order])
    np.testing.assert_allclose(months.big_deals[rows], output.big_deals[order])
    assert np.array_equal(months.employed[rows], output.employed[order])
    level_rows = [read.employee_ids.index(int(months.employee_ids[i])) for i in rows]
    np.testing.assert_allclose(read.current.level[level_rows], levels[order])
    # Built again, the same seed adds nothing.
    call_command("demo", "--managers", "60", "--seed", "5", stdout=StringIO())
    assert Evidence.objects.count() == employees * 18 * 2


@pytest.mark.django_db
def test_it_rates_a_national_company_by_the_survey_alone(monkeypatch):
    monkeypatch.setattr(assess_demo, "SUPERVISOR_RATINGS_UP_TO", 50)
    call_command("demo", "--managers", "60", "--seed", "5", stdout=StringIO())
    people = assess_demo.planned_managers(plan_demo(60, 5))
    assert set(Evidence.objects.values_list("source", flat=True)) == {"survey"}
    assert Evidence.objects.count() == len(people) * 18


def test_it_names_the_planted_bottlenecks_in_each_tiers_finding():
    from casspath.analytics.bottlenecks import leading

    first = {tier: 0 for tier in PLANTED}
    every = {tier: 0 for tier in PLANTED}
    for seed in SEEDS:
        for found in diagnosed(MANAGERS, seed).tier_bottlenecks:
            named = [gap.dimension for gap in leading(found.ranking)]
            code = found.tier.code
            first[code] += bool(named) and named[0] in PLANTED[code]
            every[code] += PLANTED[code] <= set(named)
    for code in PLANTED:
        assert first[code] >= 0.95 * len(SEEDS), (code, first[code])
        assert every[code] >= 0.8 * len(SEEDS), (code, every[code])
