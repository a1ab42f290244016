"""The product editors' pages: a consultant or training admin of the map's city adds and
changes a product with its tariff plans and activation steps, puts a screenshot on a step
(a file that is not an image is refused, nothing stored) and removes a product; a manager who
reads the map gets 403, another city's admin and an outsider 404. Every write is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from casspath.core.models import AuditEvent
from casspath.knowledge.models import Product, ProductActivationStep, ProductTariff
from casspath.knowledge.tests.conftest import png
from casspath.testing import log_in

pytestmark = pytest.mark.django_db

FORM = {
    "code": "P09",
    "name": "移动办公",
    "category": "通信与协同",
    "family": "协同办公",
    "explanation": "手机上的审批和考勤。",
    "selling_points": "手机号即账号\r\n外勤打卡",
    "tariff": "50 人起。",
    "tariff_plans": "基础版 | 0 | 通讯录\r\n专业版 | 10 | 自定义审批",
    "how_it_works": "部署在云上。",
    "promotion": "找有外勤的单位。",
    "informatization_level": "1",
    "customer_sizes": ["micro", "small"],
    "customer_types": ["enterprise"],
    "activation": "扫码创建企业\r\n导入员工",
    "active": "on",
}


def test_it_lets_a_consultant_add_a_product(client, world, product_map):
    log_in(client, world.consultant_a)
    assert client.get(f"/knowledge/maps/{product_map.pk}/products/add/").status_code == 200
    response = client.post(f"/knowledge/maps/{product_map.pk}/products/add/", FORM)
    product = Product.objects.get(cass_map=product_map, code="P09")
    assert response.status_code == 302 and response["Location"] == f"/knowledge/products/{product.pk}/"
    assert product.selling_points == "手机号即账号\n外勤打卡"
    assert product.customer_sizes == ["micro", "small"]
    assert [(t.name, t.monthly_price) for t in ProductTariff.objects.filter(product=product)] == [
        ("基础版", 0),
        ("专业版", 10),
    ]
    assert list(ProductActivationStep.objects.filter(product=product).values_list("text", flat=True)) == [
        "扫码创建企业",
        "导入员工",
    ]
    assert AuditEvent.objects.filter(verb="knowledge.save_product", object_id=str(product.pk)).exists()


def test_it_records_nothing_for_a_form_saved_unchanged(client, world, product_map):
    log_in(client, world.city_admin_a)
    client.post(f"/knowledge/maps/{product_map.pk}/products/add/", FORM)
    product = Product.objects.get(cass_map=product_map, code="P09")
    before = AuditEvent.objects.count()
    response = client.post(f"/knowledge/maps/{product_map.pk}/products/{product.pk}/edit/", FORM)
    assert response.status_code == 302
    assert AuditEvent.objects.count() == before


def test_it_refuses_a_bad_price_and_a_taken_code(client, world, product_map):
    log_in(client, world.consultant_a)
    page = client.post(
        f"/knowledge/maps/{product_map.pk}/products/add/", {**FORM, "tariff_plans": "基础版 | 很便宜 | x"}
    ).content.decode()
    assert "第 1 行" in page and "line 1" in page
    page = client.post(
        f"/knowledge/maps/{product_map.pk}/products/add/", {**FORM, "code": "P01"}
    ).content.decode()
    assert "P01" in page and "already used" in page
    assert not Product.objects.filter(code="P09").exists()


def test_it_puts_a_screenshot_on_a_step_and_refuses_a_fake_one(client, world, product_map, settings):
    product = Product.objects.get(cass_map=product_map, code="P01")
    step = ProductActivationStep.objects.filter(product=product).order_by("order").first()
    assert step is not None
    url = f"/knowledge/products/{product.pk}/steps/{step.pk}/image/set/"
    log_in(client, world.consultant_a)
    fake = SimpleUploadedFile("shot.png", b"<html>not an image</html>", content_type="image/png")
    client.post(url, {"image": fake})
    step.refresh_from_db()
    assert not step.image.name
    media = settings.MEDIA_ROOT
    assert not media.exists() or not any(p.is_file() for p in media.rglob("*"))
    client.post(url, {"image": png()})
    step.refresh_from_db()
    assert step.image.name and step.content_type == "image/png" and step.width == 64
    client.post(url, {"remove": "1"})
    step.refresh_from_db()
    assert not step.image.name


def test_it_removes_a_product(client, world, product_map):
    product = Product.objects.get(cass_map=product_map, code="P03")
    log_in(client, world.consultant_a)
    response = client.post(f"/knowledge/products/{product.pk}/remove/")
    assert response.status_code == 302
    assert not Product.objects.filter(pk=product.pk).exists()
    assert AuditEvent.objects.filter(verb="knowledge.remove_product", object_id=str(product.pk)).exists()


def test_it_answers_403_to_a_manager_who_reads_the_map(client, world, product_map):
    product = Product.objects.get(cass_map=product_map, code="P01")
    step = ProductActivationStep.objects.filter(product=product).first()
    assert step is not None
    log_in(client, world.manager)
    assert client.get(f"/knowledge/products/{product.pk}/").status_code == 200
    assert client.get(f"/knowledge/maps/{product_map.pk}/products/add/").status_code == 403
    assert (
        client.post(f"/knowledge/maps/{product_map.pk}/products/{product.pk}/edit/", FORM).status_code == 403
    )
    assert client.post(f"/knowledge/products/{product.pk}/remove/").status_code == 403
    assert (
        client.post(
            f"/knowledge/products/{product.pk}/steps/{step.pk}/image/set/", {"remove": "1"}
        ).status_code
        == 403
    )
    assert Product.objects.filter(pk=product.pk, name="互联网专线").exists()


@pytest.mark.parametrize("who", ["city_admin_b", "consultant_b", "outsider"])
def test_it_answers_404_to_others(client, world, product_map, who):
    product = Product.objects.get(cass_map=product_map, code="P01")
    log_in(client, getattr(world, who))
    assert client.get(f"/knowledge/maps/{product_map.pk}/products/add/").status_code == 404
    assert client.post(f"/knowledge/products/{product.pk}/remove/").status_code == 404
    assert Product.objects.filter(pk=product.pk).exists()
