"""A resource's video and poster, served after the access check in byte ranges (206), so a
phone's player seeks without downloading what comes before."""

import pytest
from django.urls import reverse

from casspath.cass.actions.resources import do_set_resource_status
from casspath.testing import log_in


@pytest.fixture
def whole(video):
    return video.media.open("rb").read()


def _get(client, resource, range_header=None, *, method="get", which="cass:resource_media"):
    headers = {"Range": range_header} if range_header else {}
    return getattr(client, method)(reverse(which, args=[resource.pk]), headers=headers)


def _body(response) -> bytes:
    return b"".join(response.streaming_content) if response.streaming else response.content


def test_it_sends_the_whole_file_with_accept_ranges(client, world, video, whole):
    log_in(client, world.manager)
    response = _get(client, video)
    assert response.status_code == 200
    assert response["Accept-Ranges"] == "bytes"
    assert response["Content-Type"] == "video/webm"
    assert response["Content-Length"] == str(len(whole))
    assert response.streaming  # read from storage in blocks, not whole into memory
    assert _body(response) == whole


@pytest.mark.parametrize("header_of", [
    lambda size: ("bytes=0-99", 0, 99),                              # first
    lambda size: ("bytes=1000-1999", 1000, 1999),                    # middle
    lambda size: (f"bytes={size - 100}-{size - 1}", size - 100, size - 1),  # last
    lambda size: ("bytes=-500", size - 500, size - 1),               # suffix
    lambda size: ("bytes=2000-", 2000, size - 1),                    # open-ended
    lambda size: (f"bytes={size - 10}-{size + 5000}", size - 10, size - 1),  # past the end: to the end
])
def test_it_answers_a_range_with_206(client, world, video, whole, header_of):
    log_in(client, world.manager)
    header, first, last = header_of(len(whole))
    response = _get(client, video, header)
    assert response.status_code == 206
    assert response["Content-Range"] == f"bytes {first}-{last}/{len(whole)}"
    assert response["Content-Length"] == str(last - first + 1)
    assert response["Content-Type"] == "video/webm"
    assert _body(response) == whole[first:last + 1]


def test_it_answers_an_unsatisfiable_range_with_416(client, world, video, whole):
    log_in(client, world.manager)
    response = _get(client, video, f"bytes={len(whole)}-")
    assert response.status_code == 416
    assert response["Content-Range"] == f"bytes */{len(whole)}"


def test_it_answers_head_without_a_body(client, world, video, whole):
    log_in(client, world.manager)
    response = _get(client, video, method="head")
    assert (response.status_code, response["Content-Length"], response["Accept-Ranges"]) == (
        200, str(len(whole)), "bytes")
    assert _body(response) == b""
    ranged = _get(client, video, "bytes=0-9", method="head")
    assert (ranged.status_code, ranged["Content-Range"]) == (206, f"bytes 0-9/{len(whole)}")


def test_it_serves_the_poster_as_an_image(client, world, video):
    log_in(client, world.manager)
    response = _get(client, video, which="cass:resource_poster")
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    assert _body(response).startswith(b"\x89PNG")
    assert _get(client, video, "bytes=0-3", which="cass:resource_poster").status_code == 206


def test_it_serves_a_draft_to_editors_only(client, world, video):
    do_set_resource_status(video, "draft", acting_user=world.consultant_a)
    for user, status in ((world.manager, 404), (world.consultant_a, 200), (world.city_admin_a, 200),
                         (world.province_admin, 200), (world.consultant_b, 404)):
        log_in(client, user)
        assert _get(client, video).status_code == status, user
        assert _get(client, video, which="cass:resource_poster").status_code == status, user


def test_it_refuses_the_other_city_and_anonymous_users(client, world, video):
    log_in(client, world.manager_b)
    assert _get(client, video).status_code == 404
    client.logout()
    response = _get(client, video)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_has_no_media_for_an_article(client, world, city_map):
    from casspath.cass.models import Resource

    article = Resource.objects.get(code="R001")
    do_set_resource_status(article, "published", acting_user=world.consultant_a)
    log_in(client, world.manager)
    assert _get(client, article).status_code == 404


def test_it_answers_404_when_the_storage_lost_the_file(client, world, video):
    video.media.storage.delete(video.media.name)
    log_in(client, world.manager)
    assert _get(client, video).status_code == 404


@pytest.mark.parametrize(("digits", "expect"), [
    # Numbers past Python's int-parsing limit (4,300 digits): not a 500.
    (lambda n: f"bytes={n}-", (416, None)),                 # starts past any file's end
    (lambda n: f"bytes=0-{n}", (206, "first-to-end")),      # ends past the end: to the end
    (lambda n: f"bytes=-{n}", (206, "first-to-end")),       # a suffix longer than the file: all of it
    (lambda n: f"bytes=000{'0' * 5000}7-9", (206, "7-9")),  # leading zeros are still 7
])
def test_it_answers_a_range_with_thousands_of_digits(client, world, video, whole, digits, expect):
    log_in(client, world.manager)
    response = _get(client, video, digits("9" * 5000))
    status, span = expect
    assert response.status_code == status
    if span == "first-to-end":
        assert response["Content-Range"] == f"bytes 0-{len(whole) - 1}/{len(whole)}"
    elif span:
        assert response["Content-Range"] == f"bytes 7-9/{len(whole)}"
        assert _body(response) == whole[7:10]


def test_it_sends_the_whole_file_when_if_range_names_another_version(client, world, video, whole):
    # RFC 9110 §13.1.5: a Range with an If-Range that does not match the file's validator
    # is ignored (the client's copy is of another upload: a part of this one would corrupt it).
    log_in(client, world.manager)
    etag = _get(client, video)["ETag"]
    assert etag
    same = client.get(reverse("cass:resource_media", args=[video.pk]),
                      headers={"Range": "bytes=0-9", "If-Range": etag})
    assert (same.status_code, same["Content-Range"]) == (206, f"bytes 0-9/{len(whole)}")
    for stale in ('"another-upload"', "Wed, 21 Oct 2015 07:28:00 GMT", f"W/{etag}"):
        response = client.get(reverse("cass:resource_media", args=[video.pk]),
                              headers={"Range": "bytes=0-9", "If-Range": stale})
        assert response.status_code == 200, stale
        assert _body(response) == whole
