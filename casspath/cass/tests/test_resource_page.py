"""A resource's page: its metadata, the text of an article, the player of a video with its
poster, and the learner's progress; published ones only for learners."""

from django.urls import reverse

from casspath.cass.actions.media import do_record_media_progress
from casspath.cass.actions.resources import do_set_resource_status
from casspath.cass.models import Resource
from casspath.testing import log_in


def _page(client, resource):
    return client.get(reverse("cass:resource_detail", args=[resource.pk]))


def test_it_shows_a_video_with_its_player_and_poster(client, world, video):
    log_in(client, world.manager)
    response = _page(client, video)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<video" in body and 'playsinline' in body
    assert f'poster="{reverse("cass:resource_poster", args=[video.pk])}"' in body
    assert f'src="{reverse("cass:resource_media", args=[video.pk])}" type="video/webm"' in body
    assert "cass/player.js" in body and "<script>" not in body  # no inline script (CSP)
    assert "专线报价三句话" in body and "D07" in body and "L2" in body
    assert "时长 0:03" in body
    status = body.split('id="progress-status"')[1].split('aria-live="polite">')[1].split("</p>")[0]
    assert status.strip() == ""  # not started yet


def test_it_shows_his_progress_and_resumes_there(client, world, video):
    do_record_media_progress(video, position=2.0, acting_user=world.manager)
    log_in(client, world.manager)
    body = _page(client, video).content.decode()
    assert "看到 0:02" in body and 'data-resume="2.000"' in body
    do_record_media_progress(video, position=3.0, ended=True, acting_user=world.manager)
    body = _page(client, video).content.decode()
    assert "已学完" in body and 'data-resume="0.000"' in body  # finished: from the start again


def test_it_shows_an_article_s_text(client, world, city_map):
    article = Resource.objects.get(code="R001")
    article.body = "第一步：列出园区企业。\n\n第二步：逐层拜访。"  # set as the page would show it
    from casspath.cass.actions.resources import do_save_resource

    do_save_resource(city_map, {"body": article.body}, resource=article, acting_user=world.consultant_a)
    do_set_resource_status(article, "published", acting_user=world.consultant_a)
    log_in(client, world.manager)
    body = _page(client, article).content.decode()
    assert "第一步：列出园区企业。" in body and "<video" not in body
    assert "W01 寻找目标客户" in body and "A0101 梳理园区企业名单" in body
    # Each leads to its place on the map, which a manager may read.
    on_map = f"/cass/maps/{city_map.pk}/"
    assert f'href="{on_map}#wi-W01"' in body and f'href="{on_map}#ka-A0101"' in body


def test_it_hides_drafts_and_retired_resources_from_managers(client, world, video):
    do_set_resource_status(video, "retired", acting_user=world.consultant_a)
    log_in(client, world.manager)
    assert _page(client, video).status_code == 404
    log_in(client, world.consultant_a)
    response = _page(client, video)
    assert response.status_code == 200 and reverse("cass:resource_edit", args=[video.pk]) in \
        response.content.decode()


def test_it_refuses_the_other_city(client, world, video):
    for user in (world.manager_b, world.consultant_b, world.city_admin_b):
        log_in(client, user)
        assert _page(client, video).status_code == 404, user
    log_in(client, world.manager)
    assert client.get(reverse("cass:resource_detail", args=[999999])).status_code == 404


def test_it_sends_a_q_and_a_card_to_its_card_page(client, world, city_map, cass_model):
    # The card's page says whether the answer fits one SMS; the learning map links here.
    from casspath.cass.actions.cards import do_save_qa_card

    values = {"code": "QA001", "question": "专线能试用吗？", "answer": "可以试用一个月。",
              "status": "published"}
    card = do_save_qa_card(city_map, values, dimension=("D01", 1), acting_user=world.consultant_a)
    log_in(client, world.manager)
    response = _page(client, card)
    assert response.status_code == 302 and response["Location"] == reverse("cass:card", args=[card.pk])
    assert "一条短信可发完" in client.get(response["Location"]).content.decode()
    log_in(client, world.manager_b)
    assert _page(client, card).status_code == 404
