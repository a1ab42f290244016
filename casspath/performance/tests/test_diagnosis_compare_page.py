"""/performance/diagnoses/compare/: two stored diagnoses of the user's scope (two periods or
two units) side by side: the key figures and each tier's leading bottlenecks, with their
differences; only diagnoses in scope are offered or shown."""

import pytest

from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.testing import log_in

URL = "/performance/diagnoses/compare/"


@pytest.fixture
def two(world, diagnosable):
    early = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-02"),
                        acting_user=world.city_admin_a)
    late = do_diagnose(world.team_a, parse_period(world.team_a, "2026-03", "2026-05"),
                       acting_user=world.city_admin_a)
    return early, late


def test_it_shows_the_key_figures_of_both_with_their_differences(client, world, two):
    early, late = two
    page = log_in(client, world.city_admin_a).get(URL, {"a": early.pk, "b": late.pk})
    assert page.status_code == 200
    figures = {figure.kind + str(i): figure for i, figure in enumerate(page.context["figures"])}
    headcount = figures["count0"]
    assert (headcount.a, headcount.b) == (early.figures["headcount"], late.figures["headcount"])
    mean = page.context["figures"][1]
    assert mean.a == early.figures["output_per_head"]["mean"]
    assert mean.difference == pytest.approx(late.figures["output_per_head"]["mean"] - mean.a)
    tiers = {tier.code: tier for tier in page.context["tiers"]}
    assert set(tiers) == {"high", "middle", "low"}
    low = next(tier for tier in early.figures["tiers"] if tier["tier"] == "low")
    assert len(tiers["low"].leading_a) == len(low["leading"])
    text = page.content.decode()
    for snapshot in (early, late):
        assert f'href="/performance/diagnoses/{snapshot.pk}/"' in text


def test_it_offers_the_diagnoses_in_scope_newest_first(client, world, two):
    early, late = two
    page = log_in(client, world.consultant_a).get(URL)
    assert [pk for pk, _label in page.context["choices"]] == [late.pk, early.pk]
    assert page.context["selected"] == (early.pk, late.pk)
    assert "figures" not in page.context


def test_it_refuses_a_diagnosis_of_another_city(client, world, two):
    early, late = two
    log_in(client, world.city_admin_b)
    assert client.get(URL).context["choices"] == []
    assert client.get(URL, {"a": early.pk, "b": late.pk}).status_code == 404


def test_it_refuses_a_manager_and_a_lecturer(client, world, two):
    early, late = two
    for user in (world.manager, world.lecturer_a):
        assert log_in(client, user).get(URL, {"a": early.pk, "b": late.pk}).status_code == 403
