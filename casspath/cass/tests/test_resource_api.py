"""GET /api/v1/cass/resources/{id}, its /media and /poster, PUT its /progress: one resource
with its links and the caller's progress; the file in byte ranges under a token; progress
recorded idempotently. Drafts and another city's resources answer 404 to learners."""

import pytest

from casspath.cass.models import MediaProgress
from casspath.testing import ApiCaller, bearer_header

pytestmark = pytest.mark.django_db


def test_it_gives_a_video_with_its_media_links_and_no_progress_yet(client, world, default_model, video):
    response = ApiCaller(client, world.manager, bearer=True).get(f"/cass/resources/{video.pk}")
    assert response.status_code == 200
    body = response.json()
    assert (body["code"], body["kind"], body["status"], body["may_edit"]) == (
        "V001", "micro_video", "published", False)
    media = body["media"]
    assert media["url"] == f"http://testserver/api/v1/cass/resources/{video.pk}/media"
    assert media["poster_url"] == f"http://testserver/api/v1/cass/resources/{video.pk}/poster"
    assert media["content_type"] == "video/webm" and media["seconds"] == pytest.approx(3.0, abs=0.1)
    assert body["progress"] is None and body["qa_card"] is None
    assert body["page_url"] == f"http://testserver/cass/resources/{video.pk}/"


def test_it_gives_an_article_with_its_work_items_and_actions(client, world, default_model, city_map):
    article = city_map.resources.get(code="R001")
    body = ApiCaller(client, world.consultant_a).get(f"/cass/resources/{article.pk}").json()
    assert body["status"] == "draft" and body["may_edit"] is True and body["media"] is None
    assert [(w["code"], w["name"]) for w in body["work_items"]] == [("W01", "寻找目标客户")]
    assert [(a["code"], a["work_item_code"]) for a in body["key_actions"]] == [("A0101", "W01")]
    assert body["skills"] == [{"dimension": "D01", "name": "目标客户寻找", "level": 2}]


def test_it_gives_a_cards_question_answer_and_sms_length(client, world, cass_model, card_map):
    card = card_map.resources.get(code="QA001")
    body = ApiCaller(client, world.manager).get(f"/cass/resources/{card.pk}").json()
    assert body["qa_card"]["question"] == "专线和宽带有什么区别？"
    assert body["qa_card"]["sms"] == {"encoding": "ucs2", "length": 22, "limit": 70, "parts": 1,
                                      "fits_one": True}


def test_it_answers_404_for_a_draft_to_a_learner_and_for_another_city(client, world, default_model, city_map,
                                                                     video):
    draft = city_map.resources.get(code="R001")
    assert ApiCaller(client, world.manager).get(f"/cass/resources/{draft.pk}").status_code == 404
    for user in (world.consultant_b, world.manager_b, world.outsider):
        for path in ("", "/media", "/poster"):
            response = ApiCaller(client, user).get(f"/cass/resources/{video.pk}{path}")
            assert response.status_code == 404, (user, path)
            assert {"detail_zh", "detail_en"} <= set(response.json())
    refused = ApiCaller(client, world.manager_b).put(f"/cass/resources/{video.pk}/progress", {"position": 1})
    assert refused.status_code == 404 and not MediaProgress.objects.exists()


def test_it_serves_the_media_in_byte_ranges_under_a_token(client, world, default_model, video):
    headers = bearer_header(world.manager)
    path = f"/api/v1/cass/resources/{video.pk}/media"
    size = video.media_bytes
    whole = client.get(path, **headers)
    assert whole.status_code == 200 and whole["Accept-Ranges"] == "bytes"
    assert b"".join(whole.streaming_content) == video.media.open("rb").read()
    middle = client.get(path, HTTP_RANGE="bytes=100-199", **headers)
    assert middle.status_code == 206 and middle["Content-Range"] == f"bytes 100-199/{size}"
    assert len(b"".join(middle.streaming_content)) == 100
    last = client.get(path, HTTP_RANGE="bytes=-10", **headers)
    assert last.status_code == 206 and last["Content-Range"] == f"bytes {size - 10}-{size - 1}/{size}"
    past = client.get(path, HTTP_RANGE=f"bytes={size}-", **headers)
    assert past.status_code == 416 and past["Content-Range"] == f"bytes */{size}"
    head = client.head(path, **headers)
    assert head.status_code == 200 and head["Content-Length"] == str(size) and head.content == b""
    poster = client.get(f"/api/v1/cass/resources/{video.pk}/poster", **headers)
    assert poster.status_code == 200 and poster["Content-Type"] == "image/png"
    assert client.get(path).status_code == 401  # no token, no session


def test_it_refuses_the_media_of_a_resource_that_has_none(client, world, default_model, city_map):
    article = city_map.resources.get(code="R001")
    response = ApiCaller(client, world.consultant_a).get(f"/cass/resources/{article.pk}/media")
    assert response.status_code == 404 and "video or audio" in response.json()["detail_en"]


def test_it_records_progress_idempotently_and_shows_it(client, world, default_model, video):
    caller = ApiCaller(client, world.manager, bearer=True)
    progress = f"/cass/resources/{video.pk}/progress"
    first = caller.put(progress, {"position": 1.5})
    assert first.status_code == 200
    assert first.json() | {"completed_at": None} == {"position_seconds": 1.5, "furthest_seconds": 1.5,
                                                     "completed": False, "completed_at": None}
    caller.put(progress, {"position": 0.5})
    again = caller.put(progress, {"position": 0.5}).json()
    assert (again["position_seconds"], again["furthest_seconds"]) == (0.5, 1.5)
    assert MediaProgress.objects.count() == 1
    ended = caller.put(progress, {"position": 0.5, "ended": True}).json()
    assert ended["completed"] is True and ended["completed_at"]
    shown = caller.get(f"/cass/resources/{video.pk}").json()["progress"]
    assert shown["completed"] is True and shown["furthest_seconds"] == pytest.approx(video.media_seconds)


@pytest.mark.parametrize("body", [{"position": -1}, {"position": 10 * 3600 + 1}, {"position": "half"}, {}])
def test_it_refuses_an_absurd_position(client, world, default_model, video, body):
    response = ApiCaller(client, world.manager).put(f"/cass/resources/{video.pk}/progress", body)
    assert response.status_code == 422 and response.json()["errors"]
    assert not MediaProgress.objects.exists()


def test_it_refuses_progress_of_a_non_employee_or_in_an_article(client, world, default_model, city_map,
                                                                video):
    response = ApiCaller(client, world.consultant_a).put(f"/cass/resources/{video.pk}/progress",
                                                         {"position": 1})
    assert response.status_code == 400 and "employee" in response.json()["detail_en"]
    publish_article = city_map.resources.get(code="R001")
    response = ApiCaller(client, world.consultant_a).put(f"/cass/resources/{publish_article.pk}/progress",
                                                         {"position": 1})
    assert response.status_code == 400 and "video or audio" in response.json()["detail_en"]
    assert not MediaProgress.objects.exists()
