"""/performance/diagnoses/ID/tiers/TIER/: the people of a tier, stored with the figures in
one transaction, highest output first, paged by key, each linked to his diagnosis; only those
the viewer may see as employees, phones masked for those who may not see personal data."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.org.models import Employee
from casspath.performance import actions, queries
from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisMember
from casspath.testing import log_in


@pytest.fixture
def snapshot(world, diagnosable):
    return do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                       acting_user=world.city_admin_a)


def _numbers(page) -> list[str]:
    return [member.employee.employee_no for member, _row in page.context["rows"]]


def test_it_stores_every_counted_manager_in_his_tier(snapshot):
    counts = {tier["tier"]: tier["count"] for tier in snapshot.figures["tiers"]}
    members = DiagnosisMember.objects.filter(snapshot=snapshot)
    assert members.count() == snapshot.figures["headcount"] == 12
    assert {tier: members.filter(tier=tier).count() for tier in counts} == counts
    assert members.get(employee__employee_no="E0200").tier == "low"  # sells nothing


def test_it_stores_no_member_when_the_figures_are_not_stored(world, diagnosable, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("disk full")
    monkeypatch.setattr(actions, "insert_rows", broken)
    failed = do_diagnose(world.city_a, parse_period(world.city_a, "2026-01", "2026-05"),
                         acting_user=world.city_admin_a)
    assert failed.status == "failed" and failed.figures is None
    assert not DiagnosisMember.objects.exists()


def test_it_lists_a_tier_highest_output_first_with_links(client, world, snapshot):
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/tiers/high/")
    assert page.status_code == 200
    outputs = [member.period_output for member, _row in page.context["rows"]]
    assert outputs == sorted(outputs, reverse=True) and len(outputs) == snapshot.figures["tiers"][0]["count"]
    first = _numbers(page)[0]
    # To his diagnosis in this snapshot (which links on to his roster page).
    assert f'href="/performance/diagnoses/{snapshot.pk}/members/{first}/"' in page.content.decode()


def test_it_pages_by_key(client, world, snapshot, monkeypatch):
    monkeypatch.setattr(queries, "MEMBER_PAGE_SIZE", 2)
    log_in(client, world.city_admin_a)
    url = f"/performance/diagnoses/{snapshot.pk}/tiers/middle/"
    first = client.get(url)
    assert len(_numbers(first)) == 2 and first.context["next_query"]
    second = client.get(f"{url}?{first.context['next_query']}")
    assert set(_numbers(second)).isdisjoint(_numbers(first)) and second.context["previous_query"]
    back = client.get(f"{url}?{second.context['previous_query']}")
    assert _numbers(back) == _numbers(first)
    everyone, query = [], ""
    while True:
        page = client.get(f"{url}?{query}")
        everyone += _numbers(page)
        query = page.context["next_query"]
        if not query:
            break
    assert len(everyone) == DiagnosisMember.objects.filter(snapshot=snapshot, tier="middle").count()


def test_it_masks_phones_for_a_consultant_and_not_for_the_admin(client, world, snapshot):
    tier = DiagnosisMember.objects.get(snapshot=snapshot, employee=world.manager_employee).tier
    url = f"/performance/diagnoses/{snapshot.pk}/tiers/{tier}/"
    assert "13912345678" in log_in(client, world.city_admin_a).get(url).content.decode()
    masked = log_in(client, world.consultant_a).get(url).content.decode()
    assert "13912345678" not in masked and "139****5678" in masked


def test_it_leaves_out_who_has_moved_out_of_the_viewers_scope(client, world, snapshot):
    tier = DiagnosisMember.objects.get(snapshot=snapshot, employee=world.colleague).tier
    Employee.objects.filter(pk=world.colleague.pk).update(org_unit=world.team_b)
    page = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/tiers/{tier}/")
    assert "E0002" not in _numbers(page)


def test_it_refuses_another_citys_admin_a_manager_a_lecturer_and_an_unknown_tier(client, world, snapshot):
    url = f"/performance/diagnoses/{snapshot.pk}/tiers/low/"
    assert log_in(client, world.city_admin_b).get(url).status_code == 404
    assert log_in(client, world.manager).get(url).status_code == 403
    assert log_in(client, world.lecturer_a).get(url).status_code == 403
    unknown = log_in(client, world.city_admin_a).get(f"/performance/diagnoses/{snapshot.pk}/tiers/top/")
    assert unknown.status_code == 404


def test_it_reads_a_page_in_as_many_queries_whatever_its_length(client, world, snapshot, monkeypatch):
    log_in(client, world.city_admin_a)
    url = f"/performance/diagnoses/{snapshot.pk}/tiers/middle/"
    counts = []
    for size in (1, 50):
        monkeypatch.setattr(queries, "MEMBER_PAGE_SIZE", size)
        client.get(url)  # the session and the user's roles, read once
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        counts.append(len(captured))
    assert counts[0] == counts[1], counts
