"""A body larger than any upload is refused before it is read, logged in or not."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.files.uploadhandler import StopUpload

from casspath.core.uploads import BoundedUploadHandler
from casspath.imports.models import ImportRun
from casspath.testing import log_in


@pytest.fixture
def small_limit(settings):
    settings.REQUEST_MAX_BYTES = 4096


def test_it_refuses_an_anonymous_oversized_post_before_reading_it(client, db, small_limit):
    response = client.post("/accounts/login/", {"file": SimpleUploadedFile("x.csv", b"x" * 10_000)})
    assert response.status_code == 413
    body = response.content.decode()
    assert "请求过大" in body and "too large" in body


def test_it_answers_the_api_in_json(client, world, small_limit):
    log_in(client, world.city_admin_a)
    response = client.post("/api/v1/imports/roster", {"file": SimpleUploadedFile("r.csv", b"x" * 10_000)})
    assert response.status_code == 413
    assert "too large" in response.json()["detail_en"] and "请求过大" in response.json()["detail_zh"]
    assert not ImportRun.objects.exists()


def test_it_takes_an_upload_within_the_limit(client, world, small_limit):
    log_in(client, world.city_admin_a)
    response = client.post("/imports/roster/", {"file": SimpleUploadedFile("r.csv", b"a,b\n1,2\n")})
    assert response.status_code in (200, 302)


def test_it_stops_reading_a_body_longer_than_it_declared(settings):
    settings.REQUEST_MAX_BYTES = 100
    handler = BoundedUploadHandler()
    handler.receive_data_chunk(b"x" * 60, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 60, 60)


def test_it_lets_a_marked_route_take_its_own_larger_limit(rf, settings):
    from casspath.core.uploads import allow_request_bytes, request_limit

    settings.REQUEST_MAX_BYTES = 100
    settings.REQUEST_MAX_BYTES_MEDIA = 1000

    @allow_request_bytes("REQUEST_MAX_BYTES_MEDIA")
    def view(request):
        return None

    assert view.request_max_bytes_setting == "REQUEST_MAX_BYTES_MEDIA"
    upload_route = rf.post("/cass/resources/1/upload/")
    assert request_limit(upload_route) == 1000
    handler = BoundedUploadHandler(upload_route)
    handler.receive_data_chunk(b"x" * 900, 0)
    with pytest.raises(StopUpload):
        handler.receive_data_chunk(b"x" * 200, 900)
    assert request_limit(rf.post("/cass/resources/1/edit/")) == 100
    assert request_limit(rf.post("/no/such/page/")) == 100
