"""The case page: the story first, its parts, author, steps on the process map, comments,
the moves the viewer may make, the useful mark; scoped as the case."""

import pytest
from django.urls import reverse

from casspath.knowledge.models import CaseRead, CaseUseful
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def page(client, user, case):
    return log_in(client, user).get(reverse("knowledge:case", args=[case.pk]))


def test_it_shows_the_story_before_its_parts_with_its_author_and_steps(
    client, world, published_case, other_manager
):
    response = page(client, other_manager, published_case)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.index("当天就约到了行政负责人") < html.index("签下 100M 专线")
    assert "王经理" in html
    assert reverse("knowledge:process_map", args=[published_case.cass_map_id]) + "#ps-P1-1" in html
    assert "寻找目标客户" in html  # the step's phase
    assert 'name="move"' not in html  # a reader makes no move


def test_it_counts_a_reader_once(client, world, published_case, other_manager):
    page(client, other_manager, published_case)
    page(client, other_manager, published_case)
    assert CaseRead.objects.filter(case=published_case).count() == 1
    page(client, world.manager, published_case)  # the author is no reader
    assert CaseRead.objects.filter(case=published_case).count() == 1


def test_it_keeps_a_case_in_review_from_other_managers(client, world, review_case, other_manager):
    assert page(client, other_manager, review_case).status_code == 404
    assert page(client, world.team_lead, review_case).status_code == 404
    assert page(client, world.analyst_a, review_case).status_code == 404
    assert page(client, world.city_admin_b, review_case).status_code == 404
    assert page(client, world.manager, review_case).status_code == 200
    assert page(client, world.consultant_a, review_case).status_code == 200
    assert page(client, world.city_admin_a, review_case).status_code == 200


def test_it_offers_the_viewer_his_moves(client, world, draft_case, review_case):
    author = page(client, world.manager, review_case).content.decode()
    assert 'value="submit"' not in author and 'value="publish"' not in author
    reviewer = page(client, world.consultant_a, review_case).content.decode()
    assert 'value="request_changes"' in reviewer and 'value="publish"' in reviewer
    assert 'value="submit"' not in reviewer


def test_it_marks_useful_once_and_takes_it_back(client, world, published_case, other_manager):
    log_in(client, other_manager)
    url = reverse("knowledge:case_useful", args=[published_case.pk])
    client.post(url, {"on": "1"})
    client.post(url, {"on": "1"})
    assert CaseUseful.objects.filter(case=published_case).count() == 1
    assert "data-useful-count>1<" in page(client, other_manager, published_case).content.decode()
    client.post(url, {"on": "0"})
    client.post(url, {"on": "0"})
    assert not CaseUseful.objects.filter(case=published_case).exists()


def test_it_refuses_a_useful_mark_on_a_case_not_published_or_unseen(
    client, world, review_case, other_manager
):
    log_in(client, other_manager)
    response = client.post(reverse("knowledge:case_useful", args=[review_case.pk]), {"on": "1"})
    assert response.status_code == 404
    log_in(client, world.manager)
    client.post(reverse("knowledge:case_useful", args=[review_case.pk]), {"on": "1"})
    assert not CaseUseful.objects.exists()


def test_it_threads_the_author_reply_and_the_reviewer_comment(client, world, review_case, other_manager):
    log_in(client, world.consultant_a)
    client.post(reverse("knowledge:case_comment", args=[review_case.pk]), {"text": "故事很好，成效要写数字"})
    log_in(client, world.manager)
    client.post(reverse("knowledge:case_comment", args=[review_case.pk]), {"text": "好的，我补上"})
    html = page(client, world.manager, review_case).content.decode()
    assert html.index("成效要写数字") < html.index("我补上")


def test_it_keeps_the_review_thread_from_readers_once_published(client, world, review_case, other_manager):
    from casspath.knowledge.actions.cases import do_publish_case, do_request_changes, do_submit_case

    do_request_changes(review_case, comment="客户的真实名称和电话请删掉", acting_user=world.consultant_a)
    do_submit_case(review_case, comment="已删去客户电话 13800001111", acting_user=world.manager)
    do_publish_case(review_case, comment="内部备注：可作为推荐案例", acting_user=world.consultant_a)
    reader = page(client, other_manager, review_case).content.decode()
    assert "王经理" in reader  # he reads the case
    for private in ("真实名称和电话", "13800001111", "内部备注"):
        assert private not in reader
    for insider in (world.manager, world.consultant_a):
        html = page(client, insider, review_case).content.decode()
        assert "真实名称和电话" in html and "13800001111" in html and "内部备注" in html


def test_it_refuses_a_comment_from_a_reader(client, world, published_case, other_manager):
    log_in(client, other_manager)
    client.post(reverse("knowledge:case_comment", args=[published_case.pk]), {"text": "写得好"})
    assert not published_case.comments.exists()


def test_it_lets_a_reviewer_pick_a_case(client, world, published_case, other_manager):
    log_in(client, other_manager)
    assert (
        client.post(reverse("knowledge:case_pick", args=[published_case.pk]), {"on": "1"}).status_code == 403
    )
    log_in(client, world.consultant_a)
    client.post(reverse("knowledge:case_pick", args=[published_case.pk]), {"on": "1"})
    published_case.refresh_from_db()
    assert published_case.picked
