"""/api/v1/knowledge/guides…: the guides a user may read (learners: published ones), one
guide with its steps and images, its PDF asked for, followed and downloaded under a token;
another city's guide and a draft answer 404 to those who may not see them."""

import io

import pytest
from pypdf import PdfReader

from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.guides import do_save_step, do_set_guide_status
from casspath.knowledge.models import GuidePdf
from casspath.testing import ApiCaller, bearer_header

pytestmark = pytest.mark.django_db


@pytest.fixture
def published(world, guide):
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    guide.refresh_from_db()
    return guide


def test_it_lists_published_guides_to_a_manager_and_drafts_to_an_editor(client, world, guide):
    assert ApiCaller(client, world.manager).get("/knowledge/guides").json()["items"] == []
    rows = ApiCaller(client, world.consultant_a).get("/knowledge/guides").json()["items"]
    assert [(r["title"], r["status"], r["work_item"]["code"], r["step_count"], r["image_count"])
            for r in rows] == [("集团专线开通申请指引", "draft", "W01", 2, 1)]
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)
    caller = ApiCaller(client, world.manager, bearer=True)
    mine = caller.get(f"/knowledge/guides?map={guide.resource.cass_map_id}")
    assert [r["id"] for r in mine.json()["items"]] == [guide.pk]


def test_it_answers_404_for_another_citys_guide_and_map(client, world, published):
    for user in (world.consultant_b, world.manager_b, world.outsider):
        caller = ApiCaller(client, user)
        assert caller.get("/knowledge/guides").json()["items"] == [], user
        for path in ("", "/pdf", "/pdf/file", f"/images/{published.steps.first().images.get().pk}"):
            response = caller.get(f"/knowledge/guides/{published.pk}{path}")
            assert response.status_code == 404, (user, path)
            assert {"detail_zh", "detail_en"} <= set(response.json())
        assert caller.post(f"/knowledge/guides/{published.pk}/pdf", {}).status_code == 404
        assert caller.get(f"/knowledge/guides?map={published.resource.cass_map_id}").status_code == 404
    assert not GuidePdf.objects.exists()


def test_it_answers_404_for_a_draft_to_a_manager(client, world, guide):
    assert ApiCaller(client, world.manager).get(f"/knowledge/guides/{guide.pk}").status_code == 404


def test_it_gives_the_steps_in_order_with_tips_mistakes_and_images(client, world, published):
    body = ApiCaller(client, world.manager, bearer=True).get(f"/knowledge/guides/{published.pk}").json()
    assert body["may_edit"] is False and body["pdf"] is None
    first, second = body["steps"]
    assert (first["number"], first["title"], second["number"]) == (1, "资源预查", 2)
    assert first["tips"] == ["先确认客户的详细地址", "记下资源编号"]
    assert first["mistakes"] == ["地址写到门牌号"]
    (image,) = first["images"]
    assert image["caption"] == "资源预查界面" and (image["width"], image["height"]) == (64, 40)
    served = client.get(image["url"], **bearer_header(world.manager))
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_it_prints_follows_and_downloads_the_pdf_asking_once(client, world, published,
                                                             django_capture_on_commit_callbacks):
    caller = ApiCaller(client, world.manager, bearer=True)
    assert caller.get(f"/knowledge/guides/{published.pk}/pdf").status_code == 404
    early = caller.get(f"/knowledge/guides/{published.pk}/pdf/file")
    assert early.status_code == 409 and "POST" in early.json()["detail_en"]
    with django_capture_on_commit_callbacks(execute=True):
        asked = caller.post(f"/knowledge/guides/{published.pk}/pdf", {"page_size": "A5"})
    assert asked.status_code == 202 and asked.json()["page_size"] == "A5"
    job = caller.get(f"/knowledge/guides/{published.pk}/pdf").json()
    assert job["status"] == "succeeded" and job["percent"] == 100 and job["error_en"] == ""
    again = caller.post(f"/knowledge/guides/{published.pk}/pdf", {"page_size": "A5"})
    assert again.status_code == 200 and again.json()["id"] == job["id"]
    assert GuidePdf.objects.count() == 1  # asked twice, printed once
    pdf = client.get(job["file_url"], **bearer_header(world.manager))
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf"
    assert "filename*=utf-8''W01-" in pdf["Content-Disposition"]
    reader = PdfReader(io.BytesIO(b"".join(pdf.streaming_content)))
    assert "资源预查" in "".join(page.extract_text() for page in reader.pages)
    # A change to the guide makes its PDF stale: none of the current version is asked yet.
    do_save_step(published, {"title": "提交工单"}, acting_user=world.consultant_a)
    assert caller.get(f"/knowledge/guides/{published.pk}").json()["pdf"] is None


def test_it_refuses_an_unknown_page_size(client, world, published):
    caller = ApiCaller(client, world.manager)
    response = caller.post(f"/knowledge/guides/{published.pk}/pdf", {"page_size": "A0"})
    assert response.status_code == 422 and response.json()["errors"][0]["field"] == "page_size"
    assert not GuidePdf.objects.exists()


def test_it_pages_guides_by_cursor_and_refuses_a_forged_one(client, world, guide):
    caller = ApiCaller(client, world.consultant_a)
    assert caller.get("/knowledge/guides?page_size=1").json()["next_cursor"] is None
    assert caller.get("/knowledge/guides?cursor=nonsense").status_code == 400
