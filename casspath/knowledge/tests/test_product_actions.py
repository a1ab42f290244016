"""The product map's actions (actions/products.py): a retried save writes nothing, a wrong
customer size or another map's industry is refused in both languages, an actor who may not
edit the map is refused, and each write that changes something leaves one audit row."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casspath.cass.actions.maps import do_create_map
from casspath.core.errors import BilingualError
from casspath.core.models import AuditEvent
from casspath.knowledge.actions.products import (
    do_save_activation_steps,
    do_save_industry,
    do_save_product,
    do_save_tariffs,
)
from casspath.knowledge.models import Industry, Product, ProductActivationStep

pytestmark = pytest.mark.django_db


def test_it_writes_nothing_for_a_retried_save(world, product_map):
    product = Product.objects.get(cass_map=product_map, code="P03")
    product.cass_map = product_map
    before = AuditEvent.objects.count()
    again = do_save_product(
        product_map,
        {
            "code": "P03",
            "name": "企业宽带",
            "category": "网络接入",
            "family": "宽带",
            "customer_sizes": ["micro"],
        },
        acting_user=world.consultant_a,
    )
    assert again.pk == product.pk
    assert not do_save_tariffs(product, _plans(product), acting_user=world.consultant_a)
    assert not do_save_activation_steps(product, ["现场查覆盖"], acting_user=world.consultant_a)
    assert AuditEvent.objects.count() == before


def _plans(product):
    from casspath.knowledge.actions.products import Tariff

    return [Tariff(t.name, t.monthly_price, t.includes) for t in product.tariffs.all()]


def test_it_refuses_an_unknown_customer_size(world, product_map):
    with pytest.raises(ValidationError) as refused:
        do_save_product(
            product_map,
            {"code": "P40", "name": "新品", "customer_sizes": ["huge"]},
            acting_user=world.consultant_a,
        )
    assert "客户规模" in str(refused.value) and "customer size" in str(refused.value)
    assert not Product.objects.filter(code="P40").exists()


def test_it_refuses_another_maps_industry(world, product_map):
    other = do_create_map(
        org_unit=world.city_b, model_family="default", name="深圳地图", acting_user=world.consultant_b
    )
    foreign = do_save_industry(other, {"code": "IND09", "name": "酒店餐饮"}, acting_user=world.consultant_b)
    with pytest.raises(BilingualError):
        do_save_product(
            product_map, {"code": "P41", "name": "新品"}, industries=[foreign], acting_user=world.consultant_a
        )
    assert Industry.objects.filter(cass_map=product_map).count() == 2


def test_it_refuses_an_actor_who_may_not_edit_the_map(world, product_map):
    product = Product.objects.get(cass_map=product_map, code="P01")
    product.cass_map = product_map
    for who in (world.manager, world.city_admin_b):
        with pytest.raises(PermissionDenied):
            do_save_activation_steps(product, ["只有一步"], acting_user=who)
    assert ProductActivationStep.objects.filter(product=product).count() == 2


def test_it_keeps_a_steps_screenshot_when_its_text_changes(world, product_map):
    product = Product.objects.get(cass_map=product_map, code="P01")
    product.cass_map = product_map
    first = ProductActivationStep.objects.filter(product=product).order_by("order").first()
    assert first is not None
    assert do_save_activation_steps(product, ["提交资源预查（附地址）"], acting_user=world.consultant_a)
    assert list(ProductActivationStep.objects.filter(product=product).values_list("pk", "text")) == [
        (first.pk, "提交资源预查（附地址）")
    ]
    assert AuditEvent.objects.filter(verb="knowledge.save_activation", object_id=str(product.pk)).count() == 2


def test_it_refuses_an_explanation_or_selling_points_past_their_cap(world, product_map):
    values = {"code": "P77", "name": "超长说明的产品"}
    with pytest.raises(ValidationError) as refused:
        do_save_product(
            product_map,
            {**values, "explanation": "说" * 5_001, "selling_points": "卖" * 5_001},
            acting_user=world.consultant_a,
        )
    errors = refused.value.message_dict
    assert set(errors) == {"explanation", "selling_points"}
    assert "超过上限 5000" in errors["explanation"][0] and "limit of 5000" in errors["selling_points"][0]
    assert not Product.objects.filter(code="P77").exists()
    assert do_save_product(
        product_map, {**values, "explanation": "说" * 5_000}, acting_user=world.consultant_a
    ).explanation == "说" * 5_000
