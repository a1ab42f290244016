"""The player's progress posts: where the logged-in employee is in a video, the furthest he
got (never back), completed at 90 % or at the end; only for media he may see."""

import pytest
from django.urls import reverse

from casspath.cass.actions.resources import do_set_resource_status
from casspath.cass.models import MediaProgress, Resource
from casspath.core.audit import AuditEvent
from casspath.testing import log_in


def _post(client, resource, position, ended=False):
    data = {"position": position}
    if ended:
        data["ended"] = "on"
    return client.post(reverse("cass:resource_progress", args=[resource.pk]), data)


def _row(world, resource) -> MediaProgress:
    return MediaProgress.objects.get(resource=resource, employee=world.manager_employee)


def test_it_records_the_position_and_keeps_the_furthest(client, world, video):
    log_in(client, world.manager)
    assert _post(client, video, 1.5).json() == {"position": 1.5, "furthest": 1.5, "completed": False}
    _post(client, video, 0.5)  # he went back to hear it again
    row = _row(world, video)
    assert (row.position_seconds, row.furthest_seconds, row.completed) == (0.5, 1.5, False)
    _post(client, video, 0.5)  # the same tick twice changes nothing
    assert MediaProgress.objects.count() == 1
    assert not AuditEvent.objects.filter(verb="cass.complete_media").exists()


def test_it_completes_at_ninety_percent_once(client, world, video):
    log_in(client, world.manager)
    _post(client, video, 0.85 * video.media_seconds)
    assert not _row(world, video).completed
    assert _post(client, video, 0.91 * video.media_seconds).json()["completed"] is True
    _post(client, video, 0.2)
    row = _row(world, video)
    assert row.completed and row.completed_at is not None and row.position_seconds == 0.2
    assert AuditEvent.objects.filter(verb="cass.complete_media", object_id=str(video.pk)).count() == 1


def test_it_completes_at_the_end(client, world, video):
    log_in(client, world.manager)
    state = _post(client, video, 0.4, ended=True).json()
    assert state["completed"] is True and state["position"] == pytest.approx(video.media_seconds)


def test_it_clamps_a_position_past_the_end(client, world, video):
    log_in(client, world.manager)
    _post(client, video, 9999)
    assert _row(world, video).furthest_seconds == pytest.approx(video.media_seconds)
    assert _post(client, video, "nan").status_code == 400
    assert _post(client, video, -3).status_code == 400


def test_it_refuses_media_he_may_not_see(client, world, video):
    log_in(client, world.manager_b)  # the other city
    assert _post(client, video, 1.0).status_code == 404
    do_set_resource_status(video, "retired", acting_user=world.consultant_a)
    log_in(client, world.manager)
    assert _post(client, video, 1.0).status_code == 404
    assert not MediaProgress.objects.exists()


def test_it_refuses_a_resource_that_is_not_media(client, world, city_map):
    article = Resource.objects.get(code="R001")
    do_set_resource_status(article, "published", acting_user=world.consultant_a)
    log_in(client, world.manager)
    response = _post(client, article, 1.0)
    assert response.status_code == 400 and "not a video or audio" in response.json()["detail"]


def test_it_refuses_a_user_who_is_no_employee(client, world, video):
    log_in(client, world.consultant_a)  # may see it, but has no employee record
    response = _post(client, video, 1.0)
    assert response.status_code == 400 and "Only an employee" in response.json()["detail"]
    assert not MediaProgress.objects.exists()


def test_it_records_for_the_logged_in_employee_only(client, world, video):
    log_in(client, world.manager)
    client.post(reverse("cass:resource_progress", args=[video.pk]),
                {"position": 2.0, "employee": world.colleague.pk})
    assert list(MediaProgress.objects.values_list("employee_id", flat=True)) == [world.manager_employee.pk]


def test_it_needs_a_post_and_a_login(client, world, video):
    log_in(client, world.manager)
    assert client.get(reverse("cass:resource_progress", args=[video.pk])).status_code == 405
    client.logout()
    assert _post(client, video, 1.0).status_code == 302


@pytest.mark.parametrize("position", ["-5", "nan", "inf", "1e308", "abc", "", "36001"])
def test_it_refuses_an_absurd_position_in_both_languages(client, world, video, position):
    log_in(client, world.manager)
    response = client.post(reverse("cass:resource_progress", args=[video.pk]), {"position": position})
    assert response.status_code == 400
    body = response.json()
    assert body["detail"].startswith("播放位置") and "position" in body["message_en"]
    assert body["message_zh"] in body["detail"] and "36000" in body["message_en"]
    assert not MediaProgress.objects.exists()
