"""/performance/diagnoses/ID/members/NO/: one member of a diagnosis: his tier, his output
month by month over the period (big deals apart, months he was not employed in left out),
his level per dimension against his tier's mean and his requirement; phones masked for those
who may not read personal data; refused outside the scope, to a manager and a lecturer, and
for one who is not a member."""

from datetime import date

import pytest

from casspath.competency.queries import effective_requirements
from casspath.org.models import Employee
from casspath.org.queries import StageLookup
from casspath.performance.actions import do_diagnose, do_queue_diagnosis
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisMember
from casspath.performance.tests.conftest import run_performance
from casspath.testing import log_in, make_employee

PERIOD_END = date(2026, 5, 31)


@pytest.fixture
def snapshot(world, diagnosable):
    # Hired in March: January and February are not his months.
    make_employee("E0300", "新人", world.team_a, hire_date=date(2026, 3, 1))
    run_performance([["工号", "月份", "贡献"], ["E0300", "2026-03", "300"], ["E0300", "2026-05", "600"]])
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def _url(snapshot, no: str) -> str:
    return f"/performance/diagnoses/{snapshot.pk}/members/{no}/"


def test_it_gives_his_tier_and_his_months_big_deals_apart(client, world, snapshot):
    page = log_in(client, world.city_admin_a).get(_url(snapshot, "E0001"))
    assert page.status_code == 200
    member = DiagnosisMember.objects.get(snapshot=snapshot, employee__employee_no="E0001")
    assert page.context["member"].tier == member.tier
    view = page.context["view"]
    # E0001 sells nothing but one big deal of 60,000 in March (conftest).
    assert [m.total for m in view.months] == [0, 0, 60000, 0, 0]
    assert [m.big_deals for m in view.months] == [0, 0, 60000, 0, 0]
    assert view.period_output == pytest.approx(12000) and view.period_output_excluding == pytest.approx(0)
    assert view.period_output_excluding == pytest.approx(member.period_output)
    text = page.content.decode()
    assert 'data-chart="member-months-chart"' in text and 'id="member-months-chart"' in text
    assert 'href="/org/employees/E0001/"' in text


def test_it_leaves_out_the_months_before_he_was_hired(client, world, snapshot):
    view = log_in(client, world.city_admin_a).get(_url(snapshot, "E0300")).context["view"]
    assert [m.employed for m in view.months] == [False, False, True, True, True]
    assert [m.total for m in view.months] == [None, None, 300, 0, 600]
    assert view.period_output == pytest.approx(300)  # (300 + 0 + 600) / 3 months employed


def test_it_sets_his_levels_against_his_tiers_mean_and_his_requirement(client, world, snapshot):
    page = log_in(client, world.city_admin_a).get(_url(snapshot, "E0205"))
    member = page.context["member"]
    tier = next(t for t in snapshot.figures["tiers"] if t["tier"] == member.tier)
    means = dict(zip(tier["profile"]["dimensions"], tier["profile"]["mean"], strict=True))
    employee = Employee.objects.get(employee_no="E0205")
    stage, _years = StageLookup(PERIOD_END).stage(employee.hire_date)
    required = {r.code: r.level for r in effective_requirements(snapshot.model, stage, None)}
    rows = {row.label.split()[0]: row for row in page.context["view"].dimensions}
    # E0205 is the 8th of 12 (k = 7): D01 level 1 + 7·4 // 12 = 3, D03 1 + 49 % 5 = 5 (conftest).
    d01, d03 = rows["D01"], rows["D03"]
    assert (d01.level, d03.level) == (3.0, 5.0) and d01.evidence == 1
    assert d01.tier_mean == means["D01"]
    assert d01.versus_tier == pytest.approx(round(3.0 - round(means["D01"], 1), 1), abs=1e-9)
    assert d01.requirement == required["D01"]
    assert d01.versus_requirement == pytest.approx(3.0 - required["D01"], abs=1e-9)
    assert d01.short == (3.0 < required["D01"])
    assert rows["D02"].level is None and rows["D02"].versus_requirement is None  # never rated
    assert 'id="member-levels-chart"' in page.content.decode()


def test_it_masks_his_phone_for_a_consultant_and_not_for_the_admin(client, world, snapshot):
    assert "13912345678" in log_in(client, world.city_admin_a).get(_url(snapshot, "E0001")).content.decode()
    masked = log_in(client, world.consultant_a).get(_url(snapshot, "E0001")).content.decode()
    assert "13912345678" not in masked and "139****5678" in masked


def test_it_cautions_that_the_unit_and_his_tier_are_small(client, world, snapshot):
    text = log_in(client, world.city_admin_a).get(_url(snapshot, "E0001")).content.decode()
    assert 'id="small-sample"' in text and "tier-caution" in text


def test_it_refuses_another_citys_admin_a_manager_and_a_lecturer(client, world, snapshot):
    url = _url(snapshot, "E0001")
    assert log_in(client, world.city_admin_b).get(url).status_code == 404
    assert log_in(client, world.manager).get(url).status_code == 403
    assert log_in(client, world.lecturer_a).get(url).status_code == 403


def test_it_refuses_one_who_is_not_a_member_or_has_moved_out_of_scope(client, world, snapshot):
    log_in(client, world.city_admin_a)
    make_employee("E0400", "后来者", world.team_a)  # hired into the unit after the diagnosis
    assert client.get(_url(snapshot, "E0400")).status_code == 404
    assert client.get(_url(snapshot, "E0100")).status_code == 404  # city B's
    assert client.get(_url(snapshot, "NOBODY")).status_code == 404
    Employee.objects.filter(employee_no="E0002").update(org_unit=world.team_b)
    assert client.get(_url(snapshot, "E0002")).status_code == 404


def test_it_refuses_a_diagnosis_that_has_not_succeeded(client, world, diagnosable):
    queued = do_queue_diagnosis(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                                acting_user=world.city_admin_a)
    assert log_in(client, world.city_admin_a).get(_url(queued, "E0001")).status_code == 404


def test_it_says_a_member_has_left_since_the_diagnosis(client, world, snapshot):
    log_in(client, world.city_admin_a)
    assert 'id="member-left"' not in client.get(_url(snapshot, "E0300")).content.decode()
    Employee.objects.filter(employee_no="E0300").update(status=Employee.Status.LEFT)
    page = client.get(_url(snapshot, "E0300"))
    assert page.status_code == 200  # still a member of that diagnosis, as its figures say
    text = page.content.decode()
    assert 'id="member-left"' in text and "离职" in text


def test_it_says_when_his_records_changed_since_the_diagnosis(client, world, snapshot):
    # The months below are read from today's records; his tier from the stored diagnosis.
    log_in(client, world.city_admin_a)
    assert 'id="member-records-changed"' not in client.get(_url(snapshot, "E0300")).content.decode()
    run_performance([["工号", "月份", "贡献"], ["E0300", "2026-05", "-90000"]])  # re-imported since
    page = client.get(_url(snapshot, "E0300"))
    text = page.content.decode()
    assert 'id="member-records-changed"' in text and "诊断之后" in text
    member = DiagnosisMember.objects.get(snapshot=snapshot, employee__employee_no="E0300")
    assert member.period_output == pytest.approx(300)  # (300 + 0 + 600) / 3 months, as stored
    assert "300" in text[text.index('id="member-records-changed"'):][:400]
