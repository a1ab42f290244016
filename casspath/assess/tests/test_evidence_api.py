"""GET /api/v1/assess/evidence?employee=: one employee's evidence and current levels."""

from datetime import date

import pytest

from casspath.assess.tests.conftest import run_ratings
from casspath.imports.tests.helpers import csv_bytes
from casspath.testing import ApiCaller

URL = "/assess/evidence"


@pytest.fixture
def rated(world, model):
    report = run_ratings(csv_bytes([
        ["工号", "维度编码", "等级", "分数", "来源", "日期"],
        ["E0001", "D01", "4", "", "调研", "2026-03-01"],
        ["E0001", "D01", "2", "", "自评", "2025-03-01"],
        ["E0001", "D05", "", "50", "上级", "2026-01-10"],
        ["E0100", "D01", "3", "", "调研", "2026-03-01"],
    ]))
    assert report.ok, report.as_dict()


def test_it_shows_a_manager_his_own_evidence_and_current_levels(client, world, rated):
    response = ApiCaller(client, world.manager).get(f"{URL}?employee=E0001&as_of=2026-03-01")
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["employee"] == "E0001" and len(body["records"]) == 3
    current = {row["dimension"]: row for row in body["current"]}
    assert len(current) == 18  # every dimension of the model that applies to him
    # D01: a survey today at 4 (weight 1), a self-rating a year before at 2 (0.4 · 2^(−365/365)).
    w_self = 0.4 * 2 ** (-365 / 365)
    assert current["D01"]["level"] == pytest.approx((4 + 2 * w_self) / (1 + w_self))
    assert current["D01"]["count"] == 2 and current["D01"]["newest"] == "2026-03-01"
    assert current["D05"]["level"] == pytest.approx(3.0)
    assert current["D02"]["level"] is None and current["D02"]["confidence"] == 0
    assert {r["model_version"] for r in body["records"]} == {1}


def test_it_leaves_out_evidence_dated_after_the_day_asked(client, world, rated):
    body = ApiCaller(client, world.manager).get(f"{URL}?employee=E0001&as_of=2025-12-31").json()
    current = {row["dimension"]: row for row in body["current"]}
    assert current["D01"]["level"] == 2.0 and current["D05"]["level"] is None
    assert date.fromisoformat(body["as_of"]) == date(2025, 12, 31)


@pytest.mark.parametrize("who", ["team_lead", "city_admin_a", "consultant_a", "analyst_a", "province_admin"])
def test_it_shows_the_evidence_to_those_who_see_the_employee(client, world, rated, who):
    assert ApiCaller(client, getattr(world, who)).get(f"{URL}?employee=E0001").status_code == 200


@pytest.mark.parametrize("who", ["manager", "team_lead", "city_admin_a", "analyst_a", "consultant_a",
                                 "outsider"])
def test_it_answers_404_for_an_employee_out_of_sight_as_for_an_unknown_one(client, world, rated, who):
    caller = ApiCaller(client, getattr(world, who))
    assert caller.get(f"{URL}?employee=E0100").status_code == 404
    assert caller.get(f"{URL}?employee=E9999").status_code == 404


def test_it_is_refused_without_a_login(client, world, rated):
    assert client.get(f"/api/v1{URL}?employee=E0001").status_code == 401
