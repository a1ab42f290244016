"""/performance/diagnoses/: a unit's diagnoses and the form that queues a new one (a job the
tests' worker runs at once); the period defaults to the last 12 months with data; refused
outside the user's scope and to those who may not see reports."""

import io

from casspath.core import jobs
from casspath.core.models import AuditEvent
from casspath.performance.audit_verbs import PerformanceVerb
from casspath.performance.models import DiagnosisSnapshot
from casspath.testing import log_in

URL = "/performance/diagnoses/"


def test_it_offers_the_first_unit_of_the_scope_with_the_last_twelve_months(client, world, diagnosable):
    page = log_in(client, world.city_admin_a).get(URL)
    assert page.status_code == 200
    form = page.context["form"]
    assert form.initial == {"unit": "GZ", "first": "2026-01", "last": "2026-05"}
    assert page.context["unit"] == world.city_a and not page.context["snapshots"]


def test_it_queues_a_diagnosis_and_lists_it_on_the_units_page(client, world, diagnosable):
    log_in(client, world.city_admin_a)
    done = client.post(URL, {"unit": "GZ-TH-01", "first": "2026-01", "last": "2026-05"})
    snapshot = DiagnosisSnapshot.objects.get()
    assert done.status_code == 302 and done["Location"] == f"/performance/diagnoses/{snapshot.pk}/"
    assert snapshot.org_unit == world.team_a and snapshot.status == "succeeded"
    queued = AuditEvent.objects.filter(verb=PerformanceVerb.QUEUE_DIAGNOSIS, object_id=str(snapshot.pk))
    assert queued.exists()
    listed = client.get(URL, {"unit": "GZ-TH-01"})
    assert [s.pk for s in listed.context["snapshots"]] == [snapshot.pk]
    assert f'href="/performance/diagnoses/{snapshot.pk}/"' in listed.content.decode()


def test_it_lists_a_running_diagnosis_with_its_badge(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    log_in(client, world.consultant_a)
    client.post(URL, {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    listed = client.get(URL, {"unit": "GZ"})
    (snapshot,) = listed.context["snapshots"]
    assert snapshot.status == "queued" and "text-bg-secondary" in listed.content.decode()


def test_it_says_what_is_wrong_with_the_months_in_both_languages(client, world, diagnosable):
    log_in(client, world.city_admin_a)
    page = client.post(URL, {"unit": "GZ", "first": "2026-05", "last": "2026-01"})
    assert page.status_code == 200
    errors = " ".join(page.context["form"].non_field_errors())
    assert "晚于" in errors and "after the last month" in errors
    assert not DiagnosisSnapshot.objects.exists()


def test_it_refuses_a_unit_outside_the_scope(client, world, diagnosable):
    log_in(client, world.city_admin_b)
    assert client.get(URL, {"unit": "GZ"}).status_code == 404
    page = client.post(URL, {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    assert page.status_code == 200 and page.context["form"].errors["unit"]
    assert not DiagnosisSnapshot.objects.exists()


def test_it_refuses_a_manager_and_a_lecturer(client, world, diagnosable):
    for user in (world.manager, world.lecturer_a):
        log_in(client, user)
        assert client.get(URL).status_code == 403
        queued = client.post(URL, {"unit": "GZ-TH-01", "first": "2026-01", "last": "2026-05"})
        assert queued.status_code == 403
    assert not DiagnosisSnapshot.objects.exists()


def test_it_searches_units_for_the_picker_within_the_report_scope(client, world, diagnosable):
    log_in(client, world.team_lead)
    found = client.get("/org/unit-choices/", {"perm": "see_reports", "q": "政企"})
    assert found.status_code == 200
    assert [c.code for c in found.context["choices"]] == ["GZ-TH-01"]


def test_it_queues_the_same_request_sent_twice_once(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # still queued at the second
    log_in(client, world.consultant_a)
    first = client.post(URL, {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    again = client.post(URL, {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    (snapshot,) = DiagnosisSnapshot.objects.all()
    assert first["Location"] == again["Location"] == f"/performance/diagnoses/{snapshot.pk}/"
    assert AuditEvent.objects.filter(verb=PerformanceVerb.QUEUE_DIAGNOSIS).count() == 1
    # Another period, or another person asking, is a run of its own.
    client.post(URL, {"unit": "GZ", "first": "2026-02", "last": "2026-05"})
    log_in(client, world.city_admin_a).post(URL, {"unit": "GZ", "first": "2026-01", "last": "2026-05"})
    assert DiagnosisSnapshot.objects.count() == 3


def _run(client, user, code):
    log_in(client, user)
    client.post(URL, {"unit": code, "first": "2026-01", "last": "2026-05"})
    return DiagnosisSnapshot.objects.latest("pk")


def test_it_lists_the_diagnoses_of_the_sub_units_too_naming_each_unit(client, world, diagnosable):
    team = _run(client, world.province_admin, "GZ-TH-01")
    province = _run(client, world.province_admin, "GD")
    listed = client.get(URL, {"unit": "GD"})
    assert [s.pk for s, _p, _w in listed.context["rows"]] == [province.pk, team.pk]  # newest first
    page = listed.content.decode()
    assert "包括其下级单位" in page or "Including its sub-units" in page
    (_s, team_path, _w) = listed.context["rows"][1]
    assert team_path.endswith("政企一班") and "广州分公司" in team_path
    # Below the city the province's diagnosis is not listed, nor to one of the city's scope.
    log_in(client, world.city_admin_a)
    listed = client.get(URL, {"unit": "GZ"})
    assert [s.pk for s, _p, _w in listed.context["rows"]] == [team.pk]
    assert "政企一班" in listed.content.decode()


def test_it_pages_the_list_by_key_newest_first(client, world, diagnosable, monkeypatch):
    from casspath.performance import views
    monkeypatch.setattr(views, "LIST_PAGE_SIZE", 1)
    older = _run(client, world.province_admin, "GZ-TH-01")
    newer = _run(client, world.province_admin, "GZ")
    first = client.get(URL, {"unit": "GZ"})
    assert [s.pk for s in first.context["snapshots"]] == [newer.pk]
    assert first.context["next_query"] and not first.context["previous_query"]
    second = client.get(f"{URL}?{first.context['next_query']}")
    assert [s.pk for s in second.context["snapshots"]] == [older.pk]
    assert not second.context["next_query"] and second.context["previous_query"]
    back = client.get(f"{URL}?{second.context['previous_query']}")
    assert [s.pk for s in back.context["snapshots"]] == [newer.pk]


def test_it_names_who_ran_each_diagnosis_as_its_page_does(client, world, diagnosable, tmp_path):
    from django.core.management import call_command
    call_command("diagnose", "--org", "GZ-TH-01", "--out", str(tmp_path / "d.json"), stdout=io.StringIO())
    ran = _run(client, world.city_admin_a, "GZ")
    listed = client.get(URL, {"unit": "GZ"})
    who = {s.pk: name for s, _p, name in listed.context["rows"]}
    assert who[ran.pk] == "广州管理员" and set(who.values()) == {"广州管理员", "命令行"}
    page = listed.content.decode()
    assert "cli:" not in page and ">gzadmin<" not in page
    assert ("执行人", "广州管理员") in client.get(f"{URL}{ran.pk}/").context["facts"]
