"""A queued or running login batch can be cancelled, by its admin (page, API) or by any
admin who may issue logins for its unit (API): none of its logins is issued, and the
cancel is audited."""

import pytest
from django.urls import reverse

from casspath.api.actions import do_create_token
from casspath.core.models import AuditEvent, User
from casspath.org.actions.logins import do_cancel_login_batch, do_queue_issue_logins, do_run_login_batch
from casspath.org.audit_verbs import OrgVerb
from casspath.org.models import LoginBatch

API = "/api/v1/org/logins"


@pytest.fixture(autouse=True)
def _private_dir(settings, tmp_path):
    settings.PRIVATE_FILES_DIR = tmp_path / "private"


def bearer(user):
    _token, secret = do_create_token(user, "test", acting_user=user)
    return {"HTTP_AUTHORIZATION": f"Bearer {secret}"}


def queued(world) -> LoginBatch:
    return do_queue_issue_logins(world.team_a, acting_user=world.city_admin_a)  # E0002 has no login


def test_it_its_admin_cancels_a_queued_batch_on_its_page_and_nothing_is_issued(client, world):
    batch = queued(world)
    client.force_login(world.city_admin_a)
    page = client.get(reverse("org:login_batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert reverse("org:login_batch_cancel", args=[batch.pk]) in page and "Cancel this batch" in page

    response = client.post(reverse("org:login_batch_cancel", args=[batch.pk]))
    assert response.status_code == 302 and response["Location"] == reverse("org:login_batch", args=[batch.pk])
    batch.refresh_from_db()
    assert (batch.status, batch.retryable) == ("failed", False)
    assert batch.error_en.startswith("Cancelled by gzadmin") and batch.error_zh.startswith("已由 gzadmin")
    event = AuditEvent.objects.get(verb=OrgVerb.CANCEL_LOGINS)
    assert (event.actor, event.object_id) == (world.city_admin_a, str(batch.pk))

    assert do_run_login_batch(batch.pk) is None  # its task, arriving late, does nothing
    assert not User.objects.filter(username="E0002").exists()
    page = client.get(reverse("org:login_batch", args=[batch.pk]), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Cancelled by gzadmin" in page and reverse("org:login_batch_cancel", args=[batch.pk]) not in page
    # Cancelled reads as cancelled, not as a red failure.
    assert "text-bg-secondary\">cancelled<" in page
    assert "text-bg-danger" not in page and "alert-danger" not in page


def test_it_a_running_batch_cancelled_meanwhile_stops_and_issues_nothing(world):
    batch = queued(world)

    def cancelled_while_hashing(done, total):
        do_cancel_login_batch(LoginBatch.objects.get(pk=batch.pk), acting_user=world.city_admin_a)

    assert do_run_login_batch(batch.pk, progress=cancelled_while_hashing) is None
    batch.refresh_from_db()
    assert batch.status == "failed" and batch.error_en.startswith("Cancelled by")
    assert not User.objects.filter(username="E0002").exists()
    assert not AuditEvent.objects.filter(verb=OrgVerb.ISSUE_LOGINS).exists()


def test_it_a_finished_batch_cannot_be_cancelled(client, world):
    batch = queued(world)
    do_run_login_batch(batch.pk)
    client.force_login(world.city_admin_a)
    response = client.post(reverse("org:login_batch_cancel", args=[batch.pk]), follow=True,
                           HTTP_ACCEPT_LANGUAGE="en")
    assert "finished already" in response.content.decode()
    by_api = client.post(f"{API}/{batch.pk}/cancel", **bearer(world.city_admin_a))
    assert by_api.status_code == 409 and "cannot be cancelled" in by_api.json()["detail_en"]
    batch.refresh_from_db()
    assert batch.status == "succeeded"
    assert not AuditEvent.objects.filter(verb=OrgVerb.CANCEL_LOGINS).exists()


def test_it_an_admin_in_scope_cancels_another_admins_batch_by_api(client, world):
    batch = queued(world)
    response = client.post(f"{API}/{batch.pk}/cancel", **bearer(world.province_admin))
    assert response.status_code == 200
    answer = response.json()
    assert answer["status"] == "failed" and answer["error_en"].startswith("Cancelled by padmin")


def test_it_refuses_the_cancel_to_those_outside_the_units_scope(client, world):
    batch = queued(world)
    for user in (world.city_admin_b, world.team_lead, world.manager, world.outsider):
        assert client.post(f"{API}/{batch.pk}/cancel", **bearer(user)).status_code == 404, user
    client.force_login(world.province_admin)  # the page is the issuing admin's own
    assert client.post(reverse("org:login_batch_cancel", args=[batch.pk])).status_code == 404
    client.force_login(world.city_admin_b)
    assert client.post(reverse("org:login_batch_cancel", args=[batch.pk])).status_code == 404
    assert client.get(reverse("org:login_batch_cancel", args=[batch.pk])).status_code == 405
    batch.refresh_from_db()
    assert batch.status == "queued"
