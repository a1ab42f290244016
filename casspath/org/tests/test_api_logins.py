import io

from openpyxl import load_workbook

from casspath.api.actions import do_create_token
from casspath.core.models import AuditEvent, User
from casspath.org.actions.logins import do_queue_issue_logins
from casspath.org.models import LoginBatch

API = "/api/v1/org"


def bearer(user):
    _token, secret = do_create_token(user, "test", acting_user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def test_it_issues_logins_by_api_and_hands_the_file_over_once(client, world):
    headers = bearer(world.city_admin_a)
    response = client.post(f"{API}/units/GZ-TH-01/logins", {"reissue": False},
                           content_type="application/json", **headers)
    assert response.status_code == 202
    batch = response.json()
    # Huey runs immediately in tests: the job has finished by the time the call returns.
    assert batch["status"] == "succeeded" and batch["count"] == 1 and batch["file_available"]
    assert User.objects.get(username="E0002").employee.employee_no == "E0002"

    status = client.get(f"{API}/logins/{batch['id']}", **headers).json()
    assert (status["progress_done"], status["progress_total"]) == (1, 1)

    file = client.post(f"{API}/logins/{batch['id']}/file", **headers)
    assert file.status_code == 200 and "no-store" in file["Cache-Control"]
    rows = list(load_workbook(io.BytesIO(file.content)).active.iter_rows(values_only=True))
    assert any("E0002" in row for row in rows)
    again = client.post(f"{API}/logins/{batch['id']}/file", **headers)
    assert again.status_code == 410 and "downloaded already" in again.json()["detail_en"]


def test_it_refuses_a_unit_outside_the_admins_city(client, world):
    response = client.post(f"{API}/units/SZ-NS-01/logins", {}, content_type="application/json",
                           **bearer(world.city_admin_a))
    assert response.status_code == 404
    assert not User.objects.filter(username="E0100").exists()


def test_it_refuses_roles_that_may_not_issue_logins(client, world):
    for user in (world.team_lead, world.manager, world.outsider):
        response = client.post(f"{API}/units/GZ-TH-01/logins", {}, content_type="application/json",
                               **bearer(user))
        assert response.status_code == 404, user
    assert client.post(f"{API}/units/GZ-TH-01/logins", {}, content_type="application/json").status_code == 401


def test_it_shows_a_batch_only_to_the_admin_who_issued_it(client, world):
    issued = client.post(f"{API}/units/GZ-TH-01/logins", {}, content_type="application/json",
                         **bearer(world.city_admin_a)).json()
    other = bearer(world.province_admin)
    assert client.get(f"{API}/logins/{issued['id']}", **other).status_code == 404
    assert client.post(f"{API}/logins/{issued['id']}/file", **other).status_code == 404


def test_it_hands_nothing_over_and_deletes_nothing_on_a_get(client, world):
    # A GET (a link prefetch, a crawler, a retried proxy call) must not destroy the file.
    headers = bearer(world.city_admin_a)
    batch = client.post(f"{API}/units/GZ-TH-01/logins", {}, content_type="application/json", **headers).json()
    response = client.get(f"{API}/logins/{batch['id']}/file", **headers)
    assert response.status_code == 405 and response["Content-Type"].startswith("application/json")
    assert "detail_zh" in response.json()
    assert client.get(f"{API}/logins/{batch['id']}", **headers).json()["file_available"]
    assert client.post(f"{API}/logins/{batch['id']}/file", **headers).status_code == 200


def test_it_answers_a_batch_not_finished_with_not_ready(client, world):
    from casspath.org.models import LoginBatch

    headers = bearer(world.city_admin_a)
    # Queued and not yet run by a worker, as on a busy site.
    batch = LoginBatch.objects.create(org_unit=world.team_a, created_by=world.city_admin_a,
                                      created_by_label="gzadmin")
    response = client.post(f"{API}/logins/{batch.pk}/file", **headers)
    assert response.status_code == 409 and "not written yet" in response.json()["detail_en"]


def test_it_answers_a_second_call_with_the_batch_still_queued(client, world):
    queued = do_queue_issue_logins(world.team_a, acting_user=world.city_admin_a)  # not run yet
    headers = bearer(world.city_admin_a)
    response = client.post(f"{API}/units/GZ-TH-01/logins", {"reissue": False},
                           content_type="application/json", **headers)
    assert response.status_code == 200
    body = response.json()
    assert (body["id"], body["status"], body["already_queued"]) == (queued.pk, "queued", True)
    assert LoginBatch.objects.count() == 1
    assert AuditEvent.objects.filter(verb="org.queue_logins").count() == 1
    # With other options it is another batch, queued (and, in tests, run at once).
    other = client.post(f"{API}/units/GZ-TH-01/logins", {"reissue": True},
                        content_type="application/json", **headers)
    assert other.status_code == 202 and not other.json()["already_queued"]
    # Still refused outside his scope, however many batches he has queued.
    refused = client.post(f"{API}/units/SZ-NS-01/logins", {}, content_type="application/json", **headers)
    assert refused.status_code == 404
