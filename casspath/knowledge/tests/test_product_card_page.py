"""/knowledge/products/<id>/: a product's card for a phone (selling points, tariff plans, how
it works, promotion, who it suits, activation steps with their screenshots, solutions, the
published cases where it sold, never a draft's), read as its map; the screenshot served to
the map's readers only."""

import pytest

from casspath.knowledge.actions.products import do_set_activation_image
from casspath.knowledge.models import Case, CaseStatus, Product, ProductActivationStep
from casspath.knowledge.tests.conftest import png
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _product(cass_map, code="P01") -> Product:
    return Product.objects.get(cass_map=cass_map, code=code)


def test_it_shows_the_whole_card_to_a_manager(client, world, product_map):
    product = _product(product_map)
    Case.objects.create(
        cass_map=product_map,
        code="C1",
        title="拿下区政府专线",
        knowledge_point="先讲 SLA",
        story="……",
        status=CaseStatus.PUBLISHED,
    ).products.add(product)
    Case.objects.create(
        cass_map=product_map,
        code="C2",
        title="还在审核的案例",
        knowledge_point="x",
        story="……",
        status=CaseStatus.IN_REVIEW,
    ).products.add(product)
    log_in(client, world.manager)
    response = client.get(f"/knowledge/products/{product.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    for text in (
        "互联网专线",
        "独享的互联网出口。",
        "上下行对称",
        "固定公网 IP",
        "100M",
        "2000",
        "16 个 IP",
        "一年起签。",
        "光纤直达汇聚机房。",
        "先找对外有服务的客户。",
        "政府机关",
        "教育",
        "提交资源预查",
        "装维上门开通",
        "智慧校园",
        "拿下区政府专线",
    ):
        assert text in page, text
    assert "还在审核的案例" not in page
    assert f"/knowledge/maps/{product_map.pk}/products/{product.pk}/edit/" not in page


def test_it_serves_a_steps_screenshot_to_readers_only(client, world, product_map):
    product = _product(product_map)
    step = ProductActivationStep.objects.filter(product=product).order_by("order").first()
    assert step is not None
    step.product = product
    do_set_activation_image(step, png(), acting_user=world.consultant_a)
    url = f"/knowledge/products/{product.pk}/steps/{step.pk}/image"
    log_in(client, world.manager)
    assert url in client.get(f"/knowledge/products/{product.pk}/").content.decode()
    response = client.get(url)
    assert response.status_code == 200 and response["Content-Type"] == "image/png"
    log_in(client, world.manager_b)
    assert client.get(url).status_code == 404


@pytest.mark.parametrize("who", ["manager_b", "city_admin_b", "outsider"])
def test_it_answers_404_outside_the_maps_one_reads(client, world, product_map, who):
    log_in(client, getattr(world, who))
    assert client.get(f"/knowledge/products/{_product(product_map).pk}/").status_code == 404


def test_it_answers_404_for_no_such_product(client, world, product_map):
    log_in(client, world.manager)
    assert client.get("/knowledge/products/999999/").status_code == 404
