"""/api/v1/knowledge/cases…: the library best first with the page's filters, one's own cases
and the review queue, a case with its story and tags, the useful mark; a case in review is
seen only by its author and reviewers, another city's not at all (404, as an absent one)."""

import pytest

from casspath.knowledge.actions.cases import do_publish_case, do_submit_case
from casspath.knowledge.models import CaseUseful
from casspath.knowledge.tests.conftest import write_case
from casspath.testing import ApiCaller

pytestmark = pytest.mark.django_db


@pytest.fixture
def library(world, process, tagged, published_case):
    """The published fixture case (P1-1, D01), a second one published on P1-2 for P01 and
    教育, and a third left in review."""
    second = write_case(
        process,
        world.manager,
        step_code="P1-2",
        title="开学季的校园宽带",
        customer_size="small",
        dimension_codes=["D05"],
    )
    from casspath.knowledge.actions.cases import do_save_case

    do_save_case(
        process,
        {},
        case=second,
        products=[tagged["line"]],
        industries=[tagged["edu"]],
        acting_user=world.manager,
    )
    do_publish_case(do_submit_case(second, acting_user=world.manager), acting_user=world.consultant_a)
    waiting = do_submit_case(
        write_case(process, world.manager, title="还在审核的案例"), acting_user=world.manager
    )
    return {"first": published_case, "second": second, "waiting": waiting}


def titles(body) -> list[str]:
    return [item["title"] for item in body["items"]]


def test_it_lists_the_published_cases_with_the_library_filters(
    client, world, process, library, other_manager
):
    caller = ApiCaller(client, other_manager, bearer=True)
    body = caller.get(f"/knowledge/cases?map={process.pk}").json()
    assert body["total"] == 2 and set(titles(body)) == {"扫楼扫出一条专线", "开学季的校园宽带"}
    assert body["items"][0]["page_url"].endswith(f"/knowledge/cases/{body['items'][0]['id']}/")
    for query, expected in [
        ("step=P1-2", ["开学季的校园宽带"]),
        ("step=P1", ["扫楼扫出一条专线", "开学季的校园宽带"]),  # a phase holds its steps' cases
        ("dimension=D01", ["扫楼扫出一条专线"]),
        ("product=P01", ["开学季的校园宽带"]),
        (f"industry={library['second'].industries.get().pk}", ["开学季的校园宽带"]),
        ("size=small", ["开学季的校园宽带"]),
        ("product=P99", []),
        ("dimension=D77", []),
    ]:
        found = caller.get(f"/knowledge/cases?map={process.pk}&{query}").json()
        assert sorted(titles(found)) == sorted(expected), query
    paged = caller.get(f"/knowledge/cases?map={process.pk}&page=2&page_size=1").json()
    assert (paged["total"], len(paged["items"])) == (2, 1)


def test_it_refuses_a_customer_size_the_cases_do_not_have(client, process, library, other_manager):
    # Not ignored (which would list every case): the sizes are micro, small and large.
    caller = ApiCaller(client, other_manager, bearer=True)
    for size in ("medium", "huge"):
        assert caller.get(f"/knowledge/cases?map={process.pk}&size={size}").status_code == 422, size


def test_it_gives_ones_own_cases_and_the_review_queue(client, world, library, other_manager):
    mine = ApiCaller(client, world.manager).get("/knowledge/cases?view=mine").json()
    assert {item["status"] for item in mine["items"]} == {"published", "in_review"}
    assert ApiCaller(client, other_manager).get("/knowledge/cases?view=mine").json()["total"] == 0
    queue = ApiCaller(client, world.consultant_a).get("/knowledge/cases?view=review").json()
    assert titles(queue) == ["还在审核的案例"]
    assert ApiCaller(client, other_manager).get("/knowledge/cases?view=review").json()["total"] == 0


def test_it_gives_a_case_with_its_story_tags_and_comments_to_whom_they_belong(
    client, world, library, other_manager
):
    case = library["first"]
    reader = ApiCaller(client, other_manager).get(f"/knowledge/cases/{case.pk}").json()
    assert (reader["title"], reader["status"], reader["author"]) == (
        "扫楼扫出一条专线",
        "published",
        "王经理",
    )
    assert reader["story"].startswith("王经理在园区扫楼")
    assert reader["parts"] == [{"part": "result", "text": "签下 100M 专线"}]
    assert [s["code"] for s in reader["steps"]] == ["P1-1"]
    assert reader["dimensions"] == [{"code": "D01", "name": "目标客户寻找"}]
    assert (reader["useful_count"], reader["marked"], reader["comments"]) == (0, False, None)
    assert ApiCaller(client, world.manager).get(f"/knowledge/cases/{case.pk}").json()["comments"] == []


def test_it_hides_a_case_in_review_and_another_citys_cases(client, world, library, other_manager):
    waiting = library["waiting"]
    assert ApiCaller(client, world.manager).get(f"/knowledge/cases/{waiting.pk}").status_code == 200
    assert ApiCaller(client, world.consultant_a).get(f"/knowledge/cases/{waiting.pk}").status_code == 200
    for user in (other_manager, world.manager_b, world.consultant_b, world.outsider):
        response = ApiCaller(client, user).get(f"/knowledge/cases/{waiting.pk}")
        assert response.status_code == 404, user
        assert {"detail_zh", "detail_en"} <= set(response.json())
        listed = ApiCaller(client, user).get("/knowledge/cases").json()
        assert "还在审核的案例" not in titles(listed), user
    for user in (world.manager_b, world.consultant_b):
        assert ApiCaller(client, user).get(f"/knowledge/cases/{library['first'].pk}").status_code == 404
        assert (
            ApiCaller(client, user).get(f"/knowledge/cases?map={library['first'].cass_map_id}").status_code
            == 404
        )


def test_it_marks_a_case_useful_once_and_takes_the_mark_back(client, world, library, other_manager):
    caller = ApiCaller(client, other_manager, bearer=True)
    case = library["first"]
    first = caller.post(f"/knowledge/cases/{case.pk}/useful").json()
    again = caller.post(f"/knowledge/cases/{case.pk}/useful").json()
    assert (first["changed"], again["changed"], again["useful_count"], again["marked"]) == (
        True,
        False,
        1,
        True,
    )
    assert CaseUseful.objects.filter(case=case).count() == 1
    back = caller.delete(f"/knowledge/cases/{case.pk}/useful").json()
    assert (back["changed"], back["marked"], back["useful_count"]) == (True, False, 0)


def test_it_refuses_a_useful_mark_on_ones_own_or_an_unpublished_case(client, world, library):
    caller = ApiCaller(client, world.manager)
    own = caller.post(f"/knowledge/cases/{library['first'].pk}/useful")
    assert own.status_code == 409 and "自己的案例" in own.json()["detail_zh"]
    waiting = ApiCaller(client, world.consultant_a).post(f"/knowledge/cases/{library['waiting'].pk}/useful")
    assert waiting.status_code == 409 and "尚未发布" in waiting.json()["detail_zh"]
    assert not CaseUseful.objects.exists()


def test_it_counts_a_reader_of_the_api_as_the_page_does(client, world, library, other_manager):
    from casspath.knowledge.models import CaseRead

    case = library["first"]
    for _ in range(2):
        ApiCaller(client, other_manager).get(f"/knowledge/cases/{case.pk}")
    ApiCaller(client, world.manager).get(f"/knowledge/cases/{case.pk}")  # its author is no reader
    assert list(CaseRead.objects.filter(case=case).values_list("user_id", flat=True)) == [other_manager.pk]
    listed = ApiCaller(client, other_manager).get(f"/knowledge/cases?map={case.cass_map_id}&step=P1-1").json()
    assert listed["items"][0]["reader_count"] == 1
