"""The case library (案例地图): published cases for readers, filtered by step, dimension,
product and industry; a reviewer's queue of cases in review with the counts."""

import pytest
from django.urls import reverse

from casspath.knowledge.actions.cases import do_publish_case, do_save_case, do_submit_case
from casspath.knowledge.models import ProcessStep
from casspath.knowledge.tests.conftest import write_case
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def library(client, user, **params):
    return log_in(client, user).get(reverse("knowledge:cases"), params).content.decode()


@pytest.fixture
def two_published(world, process, tagged):
    """Case A (step P1-1, D01, product P01, industry IND01) and case B (step P2-1, D04,
    industry IND02), both published; a third in review."""
    first = write_case(process, world.manager, title="园区扫楼签专线", dimension_codes=["D01"])
    do_save_case(
        process,
        {},
        case=first,
        products=[tagged["line"]],
        industries=[tagged["gov"]],
        acting_user=world.manager,
    )
    second = write_case(
        process, world.manager, step_code="P2-1", title="约见校长谈宽带", dimension_codes=["D04"]
    )
    do_save_case(process, {}, case=second, industries=[tagged["edu"]], acting_user=world.manager)
    for case in (first, second):
        do_publish_case(do_submit_case(case, acting_user=world.manager), acting_user=world.consultant_a)
    do_submit_case(write_case(process, world.manager, title="还在审核的案例"), acting_user=world.manager)
    return first, second


def test_it_lists_published_cases_and_not_those_in_review(client, world, two_published, other_manager):
    html = library(client, other_manager)
    assert "园区扫楼签专线" in html and "约见校长谈宽带" in html
    assert "还在审核的案例" not in html
    assert 'id="queue"' not in html


@pytest.mark.parametrize(
    "key, value, shown, hidden",
    [
        ("step", "P1", "园区扫楼签专线", "约见校长谈宽带"),  # a phase holds its steps' cases
        ("step", "P2-1", "约见校长谈宽带", "园区扫楼签专线"),
        ("dimension", "D04", "约见校长谈宽带", "园区扫楼签专线"),
        ("product", "P01", "园区扫楼签专线", "约见校长谈宽带"),
        ("industry", "IND02", "约见校长谈宽带", "园区扫楼签专线"),
    ],
)
def test_it_filters_by_step_dimension_product_and_industry(
    client, world, process, tagged, two_published, other_manager, key, value, shown, hidden
):
    if key == "step":
        value = ProcessStep.objects.get(cass_map=process, code=value).pk
    elif key == "product":
        value = tagged["line"].pk
    elif key == "industry":
        value = tagged["edu"].pk
    html = library(client, other_manager, map=process.pk, **{key: value})
    assert shown in html and hidden not in html


def test_it_gives_a_reviewer_his_queue_with_the_counts(client, world, two_published):
    html = library(client, world.consultant_a)
    queue = html[html.index('id="queue"') :]
    assert "还在审核的案例" in queue
    assert 'data-status="in_review">' in queue and 'data-status="published">' in queue


def test_it_gives_a_reviewer_of_another_city_no_case_of_this_map(client, world, two_published):
    html = library(client, world.city_admin_b)
    assert "还在审核的案例" not in html and "园区扫楼签专线" not in html


def test_it_answers_404_for_a_map_he_may_not_read(client, world, process, two_published):
    log_in(client, world.city_admin_b)
    assert client.get(reverse("knowledge:cases"), {"map": process.pk}).status_code == 404


def test_it_takes_codes_and_the_customer_size_as_the_product_maps_links_give_them(
    client, world, process, two_published, other_manager
):
    first, second = two_published
    do_save_case(process, {"customer_size": "large"}, case=second, acting_user=world.consultant_a)
    by_code = library(client, other_manager, map=process.pk, product="P01")
    assert "园区扫楼签专线" in by_code and "约见校长谈宽带" not in by_code
    by_size = library(client, other_manager, map=process.pk, industry="IND02", size="large")
    assert "约见校长谈宽带" in by_size and "园区扫楼签专线" not in by_size
    assert "约见校长谈宽带" not in library(client, other_manager, map=process.pk, size="micro")
    # A size that is no choice filters nothing rather than failing.
    assert "园区扫楼签专线" in library(client, other_manager, map=process.pk, size="<huge>")


def test_it_pages_the_library_best_first_keeping_the_filters(
    client, world, process, two_published, other_manager, monkeypatch, django_assert_max_num_queries
):
    monkeypatch.setattr("casspath.knowledge.case_views.CASES_PER_PAGE", 1)
    first_page = library(client, other_manager, map=process.pk)
    assert first_page.count('class="card mb-2 case-item"') == 1 and "1 / 2" in first_page
    assert f'href="?map={process.pk}&amp;page=2"' in first_page
    second_page = library(client, other_manager, map=process.pk, page=2)
    titles = ("园区扫楼签专线", "约见校长谈宽带")
    on_first = {t for t in titles if t in first_page}
    on_second = {t for t in titles if t in second_page}
    assert len(on_first) == len(on_second) == 1 and on_first != on_second
    assert "2 / 2" in library(client, other_manager, map=process.pk, page="99")  # past the end: the last
    for n in range(5):  # more cases, the same queries: only the page's rows are loaded
        case = write_case(process, world.manager, title=f"又一个案例{n}")
        do_publish_case(do_submit_case(case, acting_user=world.manager), acting_user=world.consultant_a)
    with django_assert_max_num_queries(30) as few:
        library(client, other_manager, map=process.pk)
    write_case(process, world.manager, title="草稿")
    with django_assert_max_num_queries(len(few.captured_queries)):
        library(client, other_manager, map=process.pk, page=3)


def test_it_says_how_many_cases_match_above_the_pages(
    client, world, process, two_published, other_manager, monkeypatch
):
    monkeypatch.setattr("casspath.knowledge.case_views.CASES_PER_PAGE", 1)
    log_in(client, other_manager)
    url = reverse("knowledge:cases")

    def page(language, **params):
        return client.get(url, {"map": process.pk, **params}, HTTP_ACCEPT_LANGUAGE=language).content.decode()

    assert "2 cases<" in page("en")  # all of them, not the page's one
    assert "1 case<" in page("en", step="P2-1")
    assert "2 个案例<" in page("zh-hans")
    assert "case-total" not in page("en", dimension="D09")  # none: the list says so itself


def test_it_labels_the_size_filter_as_the_others_capitalised(client, world, process, other_manager):
    log_in(client, other_manager)
    page = client.get(reverse("knowledge:cases"), {"map": process.pk}, HTTP_ACCEPT_LANGUAGE="en")
    assert 'for="f-size">Customer size</label>' in page.content.decode()
