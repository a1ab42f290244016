"""The case page: the story first, its parts, author, steps on the process map, comments,
the moves the viewer may make, the useful mark; scoped as the case."""

import pytest
from django.urls import reverse

from casspath.knowledge.models import CaseRead, CaseStatus, CaseUseful
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


def test_it_links_its_tags_to_the_product_card_and_the_cases_like_it(
    client, world, published_case, other_manager
):
    """The reader goes on from a tag: a product to its card, an industry or a dimension (named,
    not a bare code) to the case library filtered by it."""
    from casspath.knowledge.models import Industry, Product

    line = Product.objects.create(cass_map=published_case.cass_map, code="P01", name="互联网专线")
    hotels = Industry.objects.create(cass_map=published_case.cass_map, code="IND09", name="酒店餐饮")
    published_case.products.add(line)
    published_case.industries.add(hotels)
    html = page(client, other_manager, published_case).content.decode()
    library = reverse("knowledge:cases") + f"?map={published_case.cass_map_id}&amp;"
    assert f'href="{reverse("knowledge:product", args=[line.pk])}">互联网专线</a>' in html
    assert f'href="{library}industry=IND09">酒店餐饮</a>' in html
    assert f'href="{library}dimension=D01">D01 目标客户寻找</a>' in html


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


def test_it_offers_no_publication_of_another_author_s_draft_and_refuses_it(client, world, draft_case):
    reviewer = page(client, world.consultant_a, draft_case).content.decode()
    assert 'value="publish"' not in reviewer and 'value="submit"' not in reviewer
    url = reverse("knowledge:case_move", args=[draft_case.pk])
    response = client.post(url, {"move": "publish", "comment": ""}, follow=True)
    assert "尚未提交审核" in response.content.decode()
    draft_case.refresh_from_db()
    assert draft_case.status == CaseStatus.DRAFT
    author = page(client, world.manager, draft_case).content.decode()
    assert 'value="submit"' in author and 'value="publish"' not in author


def test_it_offers_a_reviewer_the_publication_of_his_own_draft(client, world, process):
    from casspath.knowledge.tests.conftest import write_case
    from casspath.testing import make_employee

    make_employee("C0001", "陈顾问", world.team_a, user=world.consultant_a)
    own = write_case(process, world.consultant_a)
    html = page(client, world.consultant_a, own).content.decode()
    assert 'value="publish"' in html and 'value="submit"' in html


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
