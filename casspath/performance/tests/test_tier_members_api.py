"""GET /api/v1/performance/diagnoses/{id}/tiers/{tier}/members: a tier's people as the tier's
page lists them (the same query, the same scope), highest output first, paged by a signed
cursor; phones masked unless the caller may read personal data; refused outside the scope,
to a manager, for an unknown tier and a forged cursor."""

import pytest

from casspath.org.models import Employee
from casspath.performance.actions import do_diagnose, do_queue_diagnosis
from casspath.performance.diagnosis import parse_period
from casspath.performance.models import DiagnosisMember
from casspath.testing import ApiCaller

PERIOD = ("2026-01", "2026-05")


@pytest.fixture
def snapshot(world, diagnosable):
    return do_diagnose(world.city_a, parse_period(world.city_a, *PERIOD), acting_user=world.city_admin_a)


def _url(snapshot, tier: str) -> str:
    return f"/performance/diagnoses/{snapshot.pk}/tiers/{tier}/members"


def test_it_lists_a_tier_highest_output_first(client, world, snapshot):
    body = ApiCaller(client, world.city_admin_a, bearer=True).get(_url(snapshot, "middle")).json()
    stored = list(DiagnosisMember.objects.filter(snapshot=snapshot, tier="middle").order_by("id")
                  .values_list("employee__employee_no", "period_output"))
    assert [(item["employee_no"], item["period_output"]) for item in body["items"]] == stored
    outputs = [item["period_output"] for item in body["items"]]
    assert outputs == sorted(outputs, reverse=True)
    assert body["count"] == len(stored) == 7 and body["count_exact"] is True
    assert body["next_cursor"] is None and body["previous_cursor"] is None
    assert {item["tier"] for item in body["items"]} == {"middle"}


def test_it_pages_by_cursor_both_ways(client, world, snapshot):
    api = ApiCaller(client, world.city_admin_a)
    first = api.get(f"{_url(snapshot, 'middle')}?page_size=3").json()
    assert len(first["items"]) == 3 and first["next_cursor"] and first["previous_cursor"] is None
    seen = [item["employee_no"] for item in first["items"]]
    cursor = first["next_cursor"]
    while cursor:
        page = api.get(f"{_url(snapshot, 'middle')}?page_size=3&cursor={cursor}").json()
        seen += [item["employee_no"] for item in page["items"]]
        last, cursor = page, page["next_cursor"]
    assert len(seen) == len(set(seen)) == 7
    back = api.get(f"{_url(snapshot, 'middle')}?page_size=3&cursor={last['previous_cursor']}").json()
    assert [item["employee_no"] for item in back["items"]] == seen[3:6]


def test_it_masks_phones_for_a_consultant_and_not_for_the_admin(client, world, snapshot):
    tier = DiagnosisMember.objects.get(snapshot=snapshot, employee=world.manager_employee).tier

    def phone(user):
        items = ApiCaller(client, user).get(_url(snapshot, tier)).json()["items"]
        return next(item for item in items if item["employee_no"] == world.manager_employee.employee_no)

    admin = phone(world.city_admin_a)
    assert admin["phone"] == "13912345678" and admin["personal_data_masked"] is False
    consultant = phone(world.consultant_a)
    assert consultant["phone"] == "139****5678" and consultant["personal_data_masked"] is True


def test_it_leaves_out_who_has_moved_out_of_the_callers_scope(client, world, snapshot):
    tier = DiagnosisMember.objects.get(snapshot=snapshot, employee=world.colleague).tier
    Employee.objects.filter(pk=world.colleague.pk).update(org_unit=world.team_b)
    body = ApiCaller(client, world.city_admin_a).get(_url(snapshot, tier)).json()
    assert world.colleague.employee_no not in [item["employee_no"] for item in body["items"]]


def test_it_refuses_another_citys_admin_and_a_manager(client, world, snapshot):
    other = ApiCaller(client, world.city_admin_b).get(_url(snapshot, "low"))
    assert other.status_code == 404 and other.json()["detail_en"] == "No such diagnosis"
    manager = ApiCaller(client, world.manager).get(_url(snapshot, "low"))
    assert manager.status_code == 403 and manager.json()["detail_zh"]


def test_it_refuses_an_unknown_tier_and_a_forged_cursor(client, world, snapshot):
    api = ApiCaller(client, world.city_admin_a)
    unknown = api.get(_url(snapshot, "top"))
    assert unknown.status_code == 404 and "high, middle or low" in unknown.json()["detail_en"]
    forged = api.get(f"{_url(snapshot, 'low')}?cursor=eyJhIjoiMSJ9:forged")
    assert forged.status_code == 400 and forged.json()["detail_zh"]


def test_it_refuses_a_diagnosis_that_has_not_succeeded(client, world, diagnosable):
    queued = do_queue_diagnosis(world.city_a, parse_period(world.city_a, *PERIOD),
                                acting_user=world.city_admin_a)  # queued, not run
    refused = ApiCaller(client, world.city_admin_a).get(_url(queued, "low"))
    assert refused.status_code == 409 and refused.json()["detail_en"]
