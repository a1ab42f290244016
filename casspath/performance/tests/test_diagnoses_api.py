"""/api/v1/performance/diagnoses: queue a diagnosis (a background job), follow it, read its
figures, list a unit's snapshots, cancel; refused outside the caller's scope."""

from urllib.parse import urlencode

from casspath.core import jobs
from casspath.performance.models import DiagnosisSnapshot
from casspath.testing import ApiCaller


def test_it_runs_a_diagnosis_in_the_background_and_gives_its_figures(client, world, diagnosable):
    api = ApiCaller(client, world.city_admin_a, bearer=True)
    queued = api.post("/performance/diagnoses", {"unit": "GZ", "from": "2026-01", "to": "2026-05"})
    assert queued.status_code == 201, queued.json()
    body = queued.json()
    assert body["unit"] == "GZ" and body["first_month"] == "2026-01-01" and body["last_month"] == "2026-05-01"
    done = api.get(f"/performance/diagnoses/{body['id']}").json()  # the tests' worker ran it at once
    assert done["status"] == "succeeded" and done["percent"] == 100 and done["phase"] == "writing"
    assert done["figures"]["headcount"] == 12
    assert done["model_version"] == diagnosable.version
    listed = api.get("/performance/diagnoses?unit=GZ").json()
    assert [d["id"] for d in listed["items"]] == [body["id"]]
    assert listed["items"][0]["headcount"] == 12 and "figures" not in listed["items"][0]


def test_it_covers_the_last_twelve_months_without_from_and_to(client, world, diagnosable):
    api = ApiCaller(client, world.consultant_a)
    body = api.post("/performance/diagnoses", {"unit": "GZ-TH-01"}).json()
    # Twelve months, but not before the unit's first records (2026-01).
    assert body["first_month"] == "2026-01-01" and body["last_month"] == "2026-05-01"


def test_it_refuses_another_citys_unit_and_diagnosis(client, world, diagnosable):
    mine = ApiCaller(client, world.city_admin_a).post("/performance/diagnoses", {"unit": "GZ"}).json()
    api = ApiCaller(client, world.city_admin_b)
    refused = api.post("/performance/diagnoses", {"unit": "GZ"})
    assert refused.status_code == 404 and refused.json()["detail_en"] == "No such unit: GZ"
    assert api.get(f"/performance/diagnoses/{mine['id']}").status_code == 404
    assert api.get("/performance/diagnoses?unit=GZ").status_code == 404
    assert api.post(f"/performance/diagnoses/{mine['id']}/cancel").status_code == 404


def test_it_refuses_a_manager(client, world, diagnosable):
    api = ApiCaller(client, world.manager)
    refused = api.post("/performance/diagnoses", {"unit": "GZ-TH-01"})
    assert refused.status_code == 403
    assert refused.json()["detail_zh"] and refused.json()["detail_en"]
    assert not DiagnosisSnapshot.objects.exists()


def test_it_refuses_bad_months_in_both_languages(client, world, diagnosable):
    api = ApiCaller(client, world.city_admin_a)
    for body, en in (({"unit": "GZ", "from": "2026-13", "to": "2026-05"}, "from month"),
                     ({"unit": "GZ", "from": "2026-05", "to": "2026-01"}, "after"),
                     ({"unit": "GZ", "to": "2026-01"}, "both")):
        refused = api.post("/performance/diagnoses", body)
        assert refused.status_code == 422, refused.json()
        assert en in refused.json()["detail_en"] and refused.json()["detail_zh"]
    assert not DiagnosisSnapshot.objects.exists()


def test_it_refuses_months_outside_the_units_data_and_overlong_periods(client, world, diagnosable):
    api = ApiCaller(client, world.city_admin_a)
    for first, last in (("2024-01", "2024-02"), ("2026-01", "2026-12"), ("1900-01", "2999-12")):
        refused = api.post("/performance/diagnoses", {"unit": "GZ", "from": first, "to": last})
        assert refused.status_code == 422, (first, last)
        assert "2026-01 to 2026-05 only" in refused.json()["detail_en"]
        assert "只有 2026-01 至 2026-05" in refused.json()["detail_zh"]
    assert not DiagnosisSnapshot.objects.exists()


def test_it_cancels_a_queued_diagnosis_and_refuses_a_finished_one(client, world, diagnosable, monkeypatch):
    api = ApiCaller(client, world.city_admin_a)
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    queued = api.post("/performance/diagnoses", {"unit": "GZ"}).json()
    assert queued["status"] == "queued"
    cancelled = api.post(f"/performance/diagnoses/{queued['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["status"] == "failed"
    again = api.post(f"/performance/diagnoses/{queued['id']}/cancel")
    assert again.status_code == 409 and again.json()["detail_zh"]


def test_it_names_who_ran_it_as_the_page_does(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)
    api = ApiCaller(client, world.city_admin_a)
    made = api.post("/performance/diagnoses", {"unit": "GZ"}).json()
    assert (made["created_by"], made["created_by_username"]) == ("广州管理员", "gzadmin")
    listed = _listed(api, unit="GZ").json()["items"][0]
    assert (listed["created_by"], listed["created_by_username"]) == ("广州管理员", "gzadmin")


def test_it_lets_only_who_ran_it_or_a_training_admin_cancel(client, world, diagnosable, monkeypatch):
    monkeypatch.setattr(jobs, "on_commit", lambda callback: None)  # no worker takes it
    admins = ApiCaller(client, world.city_admin_a).post("/performance/diagnoses", {"unit": "GZ"}).json()
    for other in (world.analyst_a, world.consultant_a):
        refused = ApiCaller(client, other).post(f"/performance/diagnoses/{admins['id']}/cancel")
        assert refused.status_code == 403, other
        body = refused.json()
        assert "training admins" in body["detail_en"] and "培训管理员" in body["detail_zh"]
    assert DiagnosisSnapshot.objects.get(pk=admins["id"]).status == "queued"
    analyst = ApiCaller(client, world.analyst_a)
    own = analyst.post("/performance/diagnoses", {"unit": "GZ"}).json()
    assert analyst.post(f"/performance/diagnoses/{own['id']}/cancel").json()["status"] == "failed"
    theirs = analyst.post("/performance/diagnoses", {"unit": "GZ"}).json()
    by_admin = ApiCaller(client, world.city_admin_a).post(f"/performance/diagnoses/{theirs['id']}/cancel")
    assert by_admin.status_code == 200 and by_admin.json()["status"] == "failed"


def _listed(api, **query):
    return api.get(f"/performance/diagnoses?{urlencode(query)}")


def test_it_lists_the_sub_units_diagnoses_too_newest_first_by_cursor(client, world, diagnosable):
    api = ApiCaller(client, world.city_admin_a)
    units = ("GZ", "GZ-TH-01", "GZ")
    made = [api.post("/performance/diagnoses", {"unit": unit}).json()["id"] for unit in units]
    first = _listed(api, unit="GZ", page_size=2).json()
    assert [d["id"] for d in first["items"]] == made[::-1][:2] and first["previous_cursor"] is None
    assert {d["unit"] for d in first["items"]} == {"GZ", "GZ-TH-01"}
    second = _listed(api, unit="GZ", page_size=2, cursor=first["next_cursor"]).json()
    assert [d["id"] for d in second["items"]] == [made[0]] and second["next_cursor"] is None
    back = _listed(api, unit="GZ", page_size=2, cursor=second["previous_cursor"]).json()
    assert [d["id"] for d in back["items"]] == [d["id"] for d in first["items"]]
    # The sub-unit's list holds its own only; a forged cursor and an absurd size are refused.
    assert [d["id"] for d in _listed(api, unit="GZ-TH-01").json()["items"]] == [made[1]]
    assert _listed(api, unit="GZ", cursor="forged").status_code == 400
    assert _listed(api, unit="GZ", page_size=1000).status_code == 422
