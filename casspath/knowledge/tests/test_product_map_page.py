"""/knowledge/products/ and /knowledge/maps/<id>/products/: the product map reads as its CASS
map (a manager of the city reads it, another city's people and an outsider get 404), grouped
by category and family, filtered by industry and customer size and type, in a fixed number
of queries; editors see the add buttons and the products off sale, readers do not."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.knowledge.actions.products import do_save_product_card
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _url(cass_map, query: str = "") -> str:
    return f"/knowledge/maps/{cass_map.pk}/products/{query}"


def test_it_shows_products_by_category_and_family_to_a_manager(client, world, product_map):
    log_in(client, world.manager)
    page = client.get(_url(product_map)).content.decode()
    for text in ("网络接入", "专线", "宽带", "互联网专线", "企业宽带", "100M · 2000"):
        assert text in page, text
    assert "/products/add/" not in page


def test_it_filters_by_industry_size_and_type(client, world, product_map):
    log_in(client, world.manager)
    assert "企业宽带" not in client.get(_url(product_map, "?industry=IND01")).content.decode()
    page = client.get(_url(product_map, "?size=micro")).content.decode()
    assert "企业宽带" in page and "互联网专线" not in page
    page = client.get(_url(product_map, "?type=government")).content.decode()
    assert "互联网专线" in page and "企业宽带" not in page
    # An unknown filter value is no filter.
    page = client.get(_url(product_map, "?size=huge&industry=NOPE")).content.decode()
    assert "互联网专线" in page and "企业宽带" in page


def test_it_shows_the_add_buttons_to_an_editor(client, world, product_map):
    log_in(client, world.consultant_a)
    assert "/products/add/" in client.get(_url(product_map)).content.decode()


def test_it_shows_a_product_off_sale_to_its_editors_only(client, world, product_map):
    broadband = product_map.products.get(code="P03")
    do_save_product_card(product_map, {"active": False}, product=broadband, acting_user=world.consultant_a)
    log_in(client, world.manager)
    page = client.get(_url(product_map)).content.decode()
    assert "互联网专线" in page and "企业宽带" not in page
    log_in(client, world.consultant_a)
    page = client.get(_url(product_map)).content.decode()
    assert "企业宽带" in page and "已停售" in page


@pytest.mark.parametrize("who", ["manager_b", "city_admin_b", "consultant_b", "outsider"])
def test_it_answers_404_outside_the_maps_one_reads(client, world, product_map, who):
    log_in(client, getattr(world, who))
    assert client.get(_url(product_map)).status_code == 404


def test_it_asks_a_visitor_to_log_in(client, product_map):
    assert client.get(_url(product_map)).status_code == 302


def test_it_takes_the_menu_entry_to_the_one_map(client, world, product_map):
    log_in(client, world.manager)
    response = client.get("/knowledge/products/")
    assert response.status_code == 302 and response["Location"] == _url(product_map)
    assert "/knowledge/products/" in client.get("/").content.decode()


def test_it_costs_the_same_queries_with_more_products(client, world, product_map):
    log_in(client, world.manager)
    with CaptureQueriesContext(connection) as few:
        client.get(_url(product_map))
    for n in range(5, 15):
        do_save_product_card(
            product_map,
            {"code": f"P{n:02d}", "name": f"产品{n}", "category": f"类{n % 3}"},
            tariffs=[],
            acting_user=world.consultant_a,
        )
    with CaptureQueriesContext(connection) as many:
        client.get(_url(product_map))
    assert len(many) == len(few)
