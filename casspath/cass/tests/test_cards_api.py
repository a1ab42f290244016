"""GET /api/v1/cass/maps/{id}/cards: a map's Q&A cards as the cards page filters them
(learners: published only), with how many text messages each answer takes, paged by cursor."""

import pytest

from casspath.testing import ApiCaller

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("cass_model")]


def codes(response) -> list[str]:
    assert response.status_code == 200, response.content
    return [c["code"] for c in response.json()["items"]]


def test_it_lists_published_cards_to_a_manager_with_their_answers(client, world, card_map):
    response = ApiCaller(client, world.manager, bearer=True).get(f"/cass/maps/{card_map.pk}/cards")
    assert codes(response) == ["QA001", "QA002"]
    first = response.json()["items"][0]
    assert first["question"] == "专线和宽带有什么区别？" and first["product_code"] == "DL-100"
    assert first["tags"] == ["专线"] and first["work_items"] == ["W01"] and first["sms_parts"] == 1
    assert [s["dimension"] for s in first["skills"]] == ["D07"]
    assert codes(ApiCaller(client, world.consultant_a).get(f"/cass/maps/{card_map.pk}/cards")) == [
        "QA001", "QA002", "QA003"]


@pytest.mark.parametrize("query, shown", [("q=保号", ["QA002"]), ("q=dl-100", ["QA001"]),
                                          ("dimension=d05", ["QA002"]), ("item=W01", ["QA001"]),
                                          ("tag=物联网", ["QA002"]), ("tag=物联", [])])
def test_it_filters_cards(client, world, card_map, query, shown):
    assert codes(ApiCaller(client, world.manager).get(f"/cass/maps/{card_map.pk}/cards?{query}")) == shown


def test_it_pages_cards_by_cursor(client, world, card_map):
    caller = ApiCaller(client, world.consultant_a)
    first = caller.get(f"/cass/maps/{card_map.pk}/cards?page_size=2").json()
    assert [c["code"] for c in first["items"]] == ["QA001", "QA002"]
    rest = caller.get(f"/cass/maps/{card_map.pk}/cards?page_size=2&cursor={first['next_cursor']}").json()
    assert [c["code"] for c in rest["items"]] == ["QA003"] and rest["next_cursor"] is None
    # A cursor of the resources list is not one of the cards list (another salt).
    other = caller.get(f"/cass/maps/{card_map.pk}/resources?page_size=1").json()["next_cursor"]
    assert caller.get(f"/cass/maps/{card_map.pk}/cards?cursor={other}").status_code == 400


def test_it_answers_404_for_another_citys_map(client, world, card_map):
    for user in (world.consultant_b, world.manager_b, world.outsider):
        assert ApiCaller(client, user).get(f"/cass/maps/{card_map.pk}/cards").status_code == 404, user
