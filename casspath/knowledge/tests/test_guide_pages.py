"""/knowledge/guides/ and a guide's pages: scoped like its map (a manager reads published
guides of the map that applies to him; another city's guide is a 404; editing is 403 to
those who may not edit the map), step by step with previous/next and "第 2/7 步"."""

import pytest

from casspath.cass.models import ResourceStatus
from casspath.knowledge.actions.guides import do_set_guide_status
from casspath.knowledge.models import GuideImage, GuideStep, WorkGuide
from casspath.knowledge.tests.conftest import png
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _publish(world, guide):
    do_set_guide_status(guide, ResourceStatus.PUBLISHED, acting_user=world.consultant_a)


def test_it_lists_published_guides_only_to_a_manager(client, world, guide):
    log_in(client, world.manager)
    assert guide.title not in client.get("/knowledge/guides/").content.decode()
    assert client.get(f"/knowledge/guides/{guide.pk}/").status_code == 404
    _publish(world, guide)
    page = client.get("/knowledge/guides/").content.decode()
    assert guide.title in page and "新建工作指引" not in page


def test_it_shows_drafts_to_the_maps_editors_with_the_new_guide_form(client, world, guide):
    log_in(client, world.consultant_a)
    page = client.get("/knowledge/guides/").content.decode()
    assert guide.title in page and "草稿" in page


def test_it_hides_another_citys_guide(client, world, guide):
    _publish(world, guide)
    for user in (world.manager_b, world.consultant_b):
        log_in(client, user)
        assert guide.title not in client.get("/knowledge/guides/").content.decode()
        assert client.get(f"/knowledge/guides/{guide.pk}/").status_code == 404
        assert client.get(f"/knowledge/guides/{guide.pk}/steps/1/").status_code == 404
        image = GuideImage.objects.get()
        assert client.get(f"/knowledge/guides/{guide.pk}/images/{image.pk}").status_code == 404


def test_it_refuses_editing_to_a_manager_who_may_read(client, world, guide):
    _publish(world, guide)
    log_in(client, world.manager)
    step = GuideStep.objects.get(order=1)
    assert client.get(f"/knowledge/guides/{guide.pk}/edit/").status_code == 403
    assert client.post(f"/knowledge/guides/{guide.pk}/edit/steps/add/", {"title": "x"}).status_code == 403
    assert client.post(f"/knowledge/guides/{guide.pk}/edit/steps/{step.pk}/remove/").status_code == 403
    assert client.post(f"/knowledge/guides/{guide.pk}/status/", {"status": "retired"}).status_code == 403
    assert GuideStep.objects.count() == 2


def test_it_shows_one_step_a_screen_with_previous_and_next(client, world, guide):
    _publish(world, guide)
    log_in(client, world.manager)
    first = client.get(f"/knowledge/guides/{guide.pk}/steps/1/").content.decode()
    assert "第 1/2 步" in first and "资源预查" in first and "先确认客户的详细地址" in first
    assert f'href="/knowledge/guides/{guide.pk}/steps/2/"' in first and 'rel="prev"' not in first
    image = GuideImage.objects.get()
    assert f"/knowledge/guides/{guide.pk}/images/{image.pk}" in first
    second = client.get(f"/knowledge/guides/{guide.pk}/steps/2/").content.decode()
    assert "第 2/2 步" in second and f'href="/knowledge/guides/{guide.pk}/steps/1/"' in second
    assert client.get(f"/knowledge/guides/{guide.pk}/steps/3/").status_code == 404
    served = client.get(f"/knowledge/guides/{guide.pk}/images/{image.pk}")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"
    assert b"".join(served.streaming_content).startswith(b"\x89PNG")


def test_it_shows_all_steps_on_the_guide_page(client, world, guide):
    _publish(world, guide)
    log_in(client, world.manager)
    page = client.get(f"/knowledge/guides/{guide.pk}/").content.decode()
    assert "资源预查" in page and "填写开通申请单" in page and "地址写到门牌号" in page


def test_it_lets_an_editor_write_a_guide_through_the_pages(client, world, guide):
    log_in(client, world.consultant_a)
    assert (
        client.post(f"/knowledge/guides/{guide.pk}/edit/", {"title": "专线开通", "intro": "三步"}).status_code
        == 302
    )
    added = client.post(
        f"/knowledge/guides/{guide.pk}/edit/steps/add/", {"title": "提交工单", "text": "提交。"}
    )
    assert added.status_code == 302
    step = GuideStep.objects.get(title="提交工单")
    assert step.order == 3
    upload = client.post(
        f"/knowledge/guides/{guide.pk}/edit/steps/{step.pk}/images/",
        {"image": png("form.png"), "caption": "工单界面"},
    )
    assert upload.status_code == 302 and step.images.get().caption == "工单界面"
    moved = client.post(f"/knowledge/guides/{guide.pk}/edit/steps/{step.pk}/move/", {"direction": "up"})
    assert moved.status_code == 302
    step.refresh_from_db()
    assert step.order == 2
    assert client.post(f"/knowledge/guides/{guide.pk}/status/", {"status": "published"}).status_code == 302
    guide.refresh_from_db()
    assert guide.title == "专线开通" and guide.resource.status == "published"


def test_it_names_a_refused_upload_and_stores_nothing(client, world, guide):
    log_in(client, world.consultant_a)
    step = GuideStep.objects.get(order=2)
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("notes.png", b"%PDF-1.4 not a picture", content_type="image/png")
    response = client.post(f"/knowledge/guides/{guide.pk}/edit/steps/{step.pk}/images/", {"image": fake})
    assert response.status_code == 400
    assert "notes.png" in response.content.decode()
    assert not step.images.exists()


def test_it_starts_a_guide_for_a_work_item_without_one(client, world, guide):
    from casspath.cass.actions.maps import do_save_work_item

    item = do_save_work_item(
        guide.resource.cass_map,
        {"code": "W02", "name": "企业宽带报装", "importance": 4, "frequency": 5},
        acting_user=world.consultant_a,
    )
    log_in(client, world.consultant_a)
    response = client.post(
        "/knowledge/guides/", {"work_item": item.pk, "title": "企业宽带报装指引", "intro": ""}
    )
    assert response.status_code == 302
    assert WorkGuide.objects.get(work_item=item).resource.kind == "work_guide"
    log_in(client, world.consultant_b)  # another city's consultant cannot pick it
    refused = client.post("/knowledge/guides/", {"work_item": item.pk, "title": "x", "intro": ""})
    assert refused.status_code in (200, 403)
    assert WorkGuide.objects.count() == 2


def test_it_lists_guides_in_a_constant_number_of_queries(client, world, guide, django_assert_max_num_queries):
    _publish(world, guide)
    log_in(client, world.manager)
    with django_assert_max_num_queries(15):
        assert client.get("/knowledge/guides/").status_code == 200


def test_it_names_an_empty_image_in_both_languages(client, world, guide):
    from django.core.files.uploadedfile import SimpleUploadedFile

    log_in(client, world.consultant_a)
    step = GuideStep.objects.get(order=2)
    empty = SimpleUploadedFile("blank.png", b"", content_type="image/png")
    response = client.post(f"/knowledge/guides/{guide.pk}/edit/steps/{step.pk}/images/", {"image": empty})
    assert response.status_code == 400
    body = response.content.decode().replace("&#x27;", "'")
    assert "“blank.png”是空文件" in body and "'blank.png' is empty" in body
    assert not step.images.exists()


def test_it_sends_the_guide_s_resource_page_to_its_steps(client, world, guide):
    # The learning map and the home card link to resource pages: a guide's must lead to it.
    resource_page = f"/cass/resources/{guide.resource_id}/"
    log_in(client, world.manager)
    assert client.get(resource_page).status_code == 404  # a draft: not his to read
    _publish(world, guide)
    response = client.get(resource_page)
    assert response.status_code == 302 and response["Location"] == f"/knowledge/guides/{guide.pk}/"
    log_in(client, world.manager_b)
    assert client.get(resource_page).status_code == 404
