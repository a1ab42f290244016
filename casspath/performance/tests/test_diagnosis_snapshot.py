"""The diagnosis action: a dated snapshot of a unit's figures, audited, readable by those who
may see the unit's reports (performance/access.py), refused elsewhere."""

from datetime import date

import pytest
from django.http import Http404

from casspath.core.models import AuditEvent
from casspath.org.scopes import ScopeRefused
from casspath.performance.access import access_diagnosis, unit_diagnoses
from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import DiagnosisError, Period, parse_period


def test_it_stores_a_dated_snapshot_of_the_units_figures(world, diagnosable):
    period = Period(date(2026, 1, 1), date(2026, 5, 1))
    snapshot = do_diagnose(world.city_a, period, acting_user=world.city_admin_a)
    assert snapshot.status == "succeeded", (snapshot.error_en, snapshot.phase)
    figures = snapshot.figures
    assert figures is not None
    # City A: E0001, E0002 and the ten managers; not the team lead (not a sales position, no
    # records), nor city B's record.
    assert figures["headcount"] == 12
    assert figures["period"] == {"from": "2026-01", "to": "2026-05", "months": 5}
    assert figures["unit"]["code"] == "GZ"
    assert figures["model"]["version"] == diagnosable.version == snapshot.model_version
    # Period outputs excluding big deals: 100·k for k = 0..11 (E0200, k = 2, sells nothing),
    # E0001 (k = 0) has 60,000 in one month of five: 12,000 a month.
    outputs = [100 * k for k in range(12) if k != 2] + [0]
    assert figures["output_per_head"]["mean_excluding_big_deals"] == pytest.approx(sum(outputs) / 12)
    assert figures["output_per_head"]["mean"] == pytest.approx((sum(outputs) + 12000) / 12)
    assert figures["distribution"]["zero_share"] == pytest.approx(2 / 12)
    assert figures["distribution"]["below_500_share"] == pytest.approx(5 / 12)  # 0, 0, 100, 300, 400
    assert [t["tier"] for t in figures["tiers"]] == ["high", "middle", "low"]
    assert sum(t["count"] for t in figures["tiers"]) == 12
    # The top tier is measured against its stages' effective requirements (the default
    # model requires every dimension), the others against the tier above.
    assert [t["reference"] for t in figures["tiers"]] == ["requirement", "tier_above", "tier_above"]
    assert set(figures["tiers"][0]["bottlenecks"]) <= {"D01", "D03"}  # the rated ones only
    assert figures["tiers"][2]["bottlenecks"][0] == "D01"  # what separates low from middle
    by_code = {c["dimension"]: c for c in figures["correlations"]}
    assert len(by_code) == 18 and by_code["D01"]["name"] == "目标客户寻找"
    assert by_code["D01"]["rho"] > 0.8
    assert by_code["D09"]["rho"] is None  # nobody rated: NaN stored as null
    assert figures["method_notes"]
    rows = AuditEvent.objects.filter(object_type="performance.diagnosissnapshot", object_id=str(snapshot.pk))
    verbs = list(rows.values_list("verb", flat=True))
    assert sorted(verbs) == ["performance.diagnose", "performance.queue_diagnosis"]


def test_it_stores_what_the_charts_and_the_findings_draw(world, diagnosable):
    period = Period(date(2026, 1, 1), date(2026, 5, 1))
    snapshot = do_diagnose(world.city_a, period, acting_user=world.city_admin_a)
    figures = snapshot.figures
    assert figures is not None
    assert figures["trend"]["months"] == ["2026-01", "2026-02", "2026-03", "2026-04", "2026-05"]
    assert len(figures["trend"]["per_head"]) == 5 == len(figures["trend"]["headcount"])
    histogram = figures["histogram"]
    assert len(histogram["edges"]) == len(histogram["counts"]) + 1
    assert sum(histogram["counts"]) + histogram["above"] + histogram["below"] == 12
    lorenz = figures["lorenz"]
    assert lorenz["people"][0] == 0 and lorenz["people"][-1] == 1 and lorenz["output"][-1] == pytest.approx(1)
    low = figures["tiers"][2]
    assert low["finding"]["zh"].startswith(f"绩差客户经理（{low['count']} 人）")
    assert low["finding"]["en"].startswith(f"Low performers ({low['count']})")
    assert [gap["dimension"] for gap in low["ranking"]][:1] == low["bottlenecks"][:1]
    assert low["ranking"][0]["name"] == "目标客户寻找" and low["ranking"][0]["ci_low"] is not None
    assert len(low["profile"]["mean"]) == 18 == len(low["profile"]["dimensions"])
    assert figures["tiers"][0]["versus_requirement"] is not None
    regression = figures["regression"]
    assert regression["cov_type"] == "HC3" and regression["terms"][0]["name"] == "const"
    assert {"dimension": "D09", "reason": "unrated"} in regression["dropped"]
    assert "partial_rho" in figures["correlations"][0]


def test_it_lists_and_reads_snapshots_only_within_the_readers_scope(world, diagnosable):
    period = Period(date(2026, 1, 1), date(2026, 5, 1))
    snapshot = do_diagnose(world.city_a, period, acting_user=world.province_admin)
    assert access_diagnosis(world.city_admin_a, snapshot.pk) == snapshot
    assert access_diagnosis(world.consultant_a, snapshot.pk) == snapshot
    assert list(unit_diagnoses(world.city_admin_a, world.city_a)) == [snapshot]
    for stranger in (world.city_admin_b, world.manager, world.team_lead, world.lecturer_a):
        with pytest.raises(Http404):
            access_diagnosis(stranger, snapshot.pk)
    with pytest.raises(Http404):
        unit_diagnoses(world.city_admin_b, world.city_a)


def test_it_refuses_a_unit_outside_the_actors_scope(world, diagnosable):
    with pytest.raises(ScopeRefused):
        do_diagnose(world.city_a, Period(date(2026, 1, 1), date(2026, 5, 1)), acting_user=world.city_admin_b)


def test_it_covers_the_last_twelve_months_with_data_by_default(world, diagnosable):
    period = parse_period(world.city_a, None, None)  # the records run from 2026-01 to 2026-05
    assert (period.first, period.last) == (date(2026, 1, 1), date(2026, 5, 1))


def test_it_refuses_bad_months_in_both_languages(world, diagnosable):
    with pytest.raises(DiagnosisError) as bad:
        parse_period(world.city_a, "2026-13", "2026-05")
    assert "月" in bad.value.message_zh and "month" in bad.value.message_en
    with pytest.raises(DiagnosisError, match="after"):
        parse_period(world.city_a, "2026-05", "2026-01")
    with pytest.raises(DiagnosisError, match="both"):
        parse_period(world.city_a, "2026-05", None)


def test_it_fails_a_period_without_data_with_the_reason(world, diagnosable):
    period = Period(date(2024, 1, 1), date(2024, 3, 1))
    snapshot = do_diagnose(world.city_a, period, acting_user=world.city_admin_a)
    assert snapshot.status == "failed" and snapshot.figures is None
    assert "没有绩效数据" in snapshot.error_zh and "no performance data" in snapshot.error_en
