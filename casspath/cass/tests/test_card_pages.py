"""The Q&A card pages: a map's cards with search and filters, a card, create and edit."""

import pytest

from casspath.cass.actions.cards import do_save_qa_card
from casspath.cass.models import QACard, Resource
from casspath.core.models import AuditEvent

pytestmark = pytest.mark.usefixtures("cass_model")

LONG_ANSWER = "我们的企业专线提供独享带宽和上下行对称速率，" * 4  # 88 characters with Chinese: over 70


def page(client, user, url, **kw):
    client.force_login(user)
    return client.get(url, **kw)


def test_it_lists_a_maps_cards_for_a_manager_published_only(world, client, card_map):
    response = page(client, world.manager, f"/cass/maps/{card_map.pk}/cards/")
    text = response.content.decode()
    assert response.status_code == 200
    assert "专线和宽带有什么区别" in text and "物联网卡能停机保号吗" in text
    assert "云主机能先试用吗" not in text
    assert f"/cass/maps/{card_map.pk}/cards/new/" not in text


def test_it_shows_drafts_to_an_editor(world, client, card_map):
    text = page(client, world.consultant_a, f"/cass/maps/{card_map.pk}/cards/").content.decode()
    assert "云主机能先试用吗" in text and f"/cass/maps/{card_map.pk}/cards/new/" in text


@pytest.mark.parametrize(
    ("query", "shown", "hidden"),
    [
        ("q=保号", "物联网卡", "专线和宽带"),
        ("dimension=D07", "专线和宽带", "物联网卡"),
        ("item=W01", "专线和宽带", "物联网卡"),
        ("tag=物联网", "物联网卡", "专线和宽带"),
    ],
)
def test_it_filters_cards(world, client, card_map, query, shown, hidden):
    text = page(client, world.consultant_a, f"/cass/maps/{card_map.pk}/cards/?{query}").content.decode()
    body = text.split("<form", 2)[-1]
    assert shown in body and hidden not in body.split("</form>", 1)[1]


def test_it_lists_with_a_constant_number_of_queries(world, client, card_map, django_assert_max_num_queries):
    client.force_login(world.consultant_a)
    with django_assert_max_num_queries(25):
        assert client.get(f"/cass/maps/{card_map.pk}/cards/").status_code == 200


def test_it_shows_a_card_with_its_dimension_name_and_sms_fit(world, client, card_map):
    card = Resource.objects.get(code="QA001")
    text = page(client, world.manager, f"/cass/cards/{card.pk}/").content.decode()
    assert (
        "专线独享带宽" in text and "D07 产品知识" in text and "W01 寻找目标客户" in text and "DL-100" in text
    )
    # The encoding by what decides it: a manager does not know "UCS-2".
    assert "一条短信可发完：22 / 70 字（含中文）。" in text and "UCS-2" not in text


def test_it_hides_a_draft_card_from_a_manager_and_another_citys_map_from_its_consultant(
    world, client, card_map
):
    draft = Resource.objects.get(code="QA003")
    assert page(client, world.manager, f"/cass/cards/{draft.pk}/").status_code == 404
    published = Resource.objects.get(code="QA001")
    assert page(client, world.consultant_b, f"/cass/cards/{published.pk}/edit/").status_code == 404
    assert page(client, world.consultant_b, f"/cass/maps/{card_map.pk}/cards/new/").status_code == 404


def test_it_refuses_editing_to_a_manager(world, client, card_map):
    card = Resource.objects.get(code="QA001")
    assert page(client, world.manager, f"/cass/cards/{card.pk}/edit/").status_code == 403
    client.force_login(world.manager)
    response = client.post(
        f"/cass/maps/{card_map.pk}/cards/new/",
        {
            "code": "QA9",
            "question": "问",
            "answer": "答",
            "level": 1,
            "duration_minutes": 1,
            "status": "published",
        },
    )
    assert response.status_code == 403
    assert not Resource.objects.filter(code="QA9").exists()


def test_it_creates_a_card_and_warns_when_the_answer_is_longer_than_one_sms(world, client, card_map):
    client.force_login(world.consultant_a)
    form = client.get(f"/cass/maps/{card_map.pk}/cards/new/").content.decode()
    assert 'data-sms-count="sms-count"' in form and "cass/sms_count.js" in form and "<script>" not in form
    response = client.post(
        f"/cass/maps/{card_map.pk}/cards/new/",
        {
            "code": "QA010",
            "question": "专线多久能开通？",
            "answer": LONG_ANSWER,
            "dimension": "D07",
            "level": 3,
            "work_items": ["W01"],
            "product_code": "DL-100",
            "tags": "专线，开通",
            "duration_minutes": 2,
            "status": "published",
        },
        follow=True,
    )
    assert response.status_code == 200
    text = response.content.decode()
    assert "88" in text and "70" in text
    card = QACard.objects.get(resource__code="QA010")
    assert card.tags == ["专线", "开通"] and card.resource.duration_minutes == 2
    assert dict(card.resource.skills.values_list("dimension_code", "level")) == {"D07": 3}
    assert AuditEvent.objects.filter(verb="cass.save_qa_card", object_id=str(card.resource.pk)).count() == 1


def test_it_edits_a_card(world, client, card_map):
    card = Resource.objects.get(code="QA002")
    client.force_login(world.city_admin_a)
    form = client.get(f"/cass/cards/{card.pk}/edit/").content.decode()
    assert "物联网卡能停机保号吗" in form
    response = client.post(
        f"/cass/cards/{card.pk}/edit/",
        {
            "code": "QA002",
            "question": "物联网卡能停机保号吗？",
            "answer": "可以，每月 5 元保号费。",
            "dimension": "",
            "level": 1,
            "product_code": "IOT",
            "tags": "",
            "duration_minutes": 1,
            "status": "retired",
        },
    )
    assert response.status_code == 302
    card.refresh_from_db()
    assert card.status == "retired" and card.qa_card.answer == "可以，每月 5 元保号费。"
    assert not card.skills.exists() and card.qa_card.tags == []


def test_it_refuses_a_code_already_used_on_the_form(world, client, card_map):
    client.force_login(world.consultant_a)
    response = client.post(
        f"/cass/maps/{card_map.pk}/cards/new/",
        {
            "code": "QA001",
            "question": "又一个问题",
            "answer": "回答",
            "level": 1,
            "duration_minutes": 1,
            "status": "published",
        },
    )
    assert response.status_code == 200
    assert "QA001" in response.content.decode()
    assert Resource.objects.filter(code="QA001").count() == 1


def test_it_sends_the_menu_entry_to_the_managers_own_map(world, client, card_map):
    response = page(client, world.manager, "/cass/cards/")
    assert response.status_code == 302 and response["Location"] == f"/cass/maps/{card_map.pk}/cards/"


def test_it_answers_404_for_a_card_resource_without_its_card(world, client, card_map):
    # A resource of kind qa_card saved without its card row (as an older edit page could make
    # one by changing an article's kind): its card pages are absent, not a 500.
    from casspath.cass.actions.resources import do_save_resource

    bare = do_save_resource(card_map, {"code": "QA-BARE", "kind": "qa_card", "title": "无卡片行",
                                       "duration_minutes": 1}, acting_user=world.consultant_a)
    client.force_login(world.consultant_a)
    assert client.get(f"/cass/cards/{bare.pk}/").status_code == 404
    assert client.get(f"/cass/cards/{bare.pk}/edit/").status_code == 404


def test_it_keeps_a_search_with_an_ampersand_or_a_hash_on_the_next_page(world, client, card_map, monkeypatch):
    """The pager's links carry the filters encoded: a search for "R&D#1" is page 2's search too
    (written raw, the "&" split it and the "#" turned the page number into a fragment)."""
    monkeypatch.setattr("casspath.cass.views.cards.CARD_PAGE_SIZE", 1)
    codes = {"QA101", "QA102"}
    for code in codes:
        values = {"code": code, "question": f"R&D#1 实验室 {code}", "answer": "可以。", "status": "published"}
        do_save_qa_card(card_map, values, acting_user=world.consultant_a)
    url = f"/cass/maps/{card_map.pk}/cards/"
    first = page(client, world.manager, url, data={"q": "R&D#1"}).content.decode()
    assert 'href="?q=R%26D%231&amp;page=2"' in first and "1 / 2" in first
    second = page(client, world.manager, f"{url}?q=R%26D%231&page=2").content.decode()
    on_first, on_second = ({c for c in codes if c in html} for html in (first, second))
    assert "2 / 2" in second and len(on_first) == len(on_second) == 1 and on_first | on_second == codes
