"""`casspath demo` writes the product map on the CASS map that applies to the province: the ten
industries and 22 products of the brief (codes are contracts), each product with every field
filled and written for itself (no text twice), tariff plans, activation steps with a
screenshot, target industries and customer attributes; at least four solutions, each with its
industry, bundle and comparison; a rebuild adds nothing."""

from io import StringIO

import pytest
from django.core.management import call_command

from casspath.core.models import AuditEvent
from casspath.knowledge.demo_solutions import INDUSTRIES, PRODUCTS, SOLUTIONS
from casspath.knowledge.models import (
    CustomerSize,
    CustomerType,
    Industry,
    Product,
    ProductActivationStep,
    ProductTariff,
    Solution,
    SolutionComparison,
)

CODES = {
    "P01": "互联网专线",
    "P02": "数据专线",
    "P03": "企业宽带",
    "P04": "物联网卡",
    "P05": "云主机",
    "P06": "集团短信",
    "P07": "视频会议",
    "P08": "企业邮箱",
    "P09": "移动办公",
    "P10": "IDC机房托管",
    "P11": "对象存储",
    "P12": "集团V网",
    "P13": "视频监控",
    "P14": "智慧校园",
    "P15": "车辆定位",
    "P16": "400电话",
    "P17": "SD-WAN组网",
    "P18": "5G专网",
    "P19": "云电脑",
    "P20": "企业彩铃",
    "P21": "DDoS防护",
    "P22": "语音专线",
}
INDUSTRY_CODES = {
    "IND01": "政府机关",
    "IND02": "教育",
    "IND03": "医疗卫生",
    "IND04": "金融",
    "IND05": "制造业",
    "IND06": "商贸零售",
    "IND07": "交通物流",
    "IND08": "农业农村",
    "IND09": "酒店餐饮",
    "IND10": "建筑地产",
}
TEXTS = ("explanation", "selling_points", "tariff", "how_it_works", "promotion")


def test_it_writes_each_product_on_its_own():
    assert {p.code: p.name for p in PRODUCTS} == CODES
    assert dict(INDUSTRIES) == INDUSTRY_CODES
    for part in TEXTS:
        texts = [getattr(p, part) for p in PRODUCTS]
        assert all(texts), part
        assert len(set(texts)) == len(texts), f"a {part} written twice"
        # no template: a product's text does not read as another's with the name swapped
        shapes = {text.replace(p.name, "#") for text, p in zip(texts, PRODUCTS, strict=True)}
        assert len(shapes) == len(texts), part
    steps = [s for p in PRODUCTS for s in p.steps]
    assert len(set(steps)) == len(steps) and all(len(p.steps) >= 3 for p in PRODUCTS)
    for p in PRODUCTS:
        assert len(p.selling_points.splitlines()) >= 3, p.code
        assert len(p.plans) >= 2 and any(plan.price for plan in p.plans), p.code
        assert p.industries and set(p.industries) <= set(INDUSTRY_CODES), p.code
        assert p.sizes and set(p.sizes) <= set(CustomerSize.values), p.code
        assert p.types and set(p.types) <= set(CustomerType.values), p.code
        assert p.level in (1, 2, 3)
    assert {plan.price for plan in next(p for p in PRODUCTS if p.code == "P01").plans} >= {"3800"}


def test_it_writes_at_least_four_solutions_with_comparisons():
    assert len(SOLUTIONS) >= 4
    codes = {p.code for p in PRODUCTS}
    for s in SOLUTIONS:
        assert s.industry in INDUSTRY_CODES and set(s.products) <= codes and len(s.products) >= 3
        assert s.value_proposition and s.competitor and len(s.comparisons) >= 3
        assert all(all(cell for cell in row) for row in s.comparisons)
    assert len({s.value_proposition for s in SOLUTIONS}) == len(SOLUTIONS)
    industries = {s.industry for s in SOLUTIONS}
    assert {"IND01", "IND02", "IND05", "IND06"} <= industries


def _demo(*args) -> str:
    out = StringIO()
    call_command("demo", *args, stdout=out)
    return out.getvalue()


@pytest.mark.slow
@pytest.mark.django_db
def test_it_builds_the_product_map_once(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    output = _demo("--managers", "30", "--seed", "3")
    assert dict(Industry.objects.values_list("code", "name")) == INDUSTRY_CODES
    assert dict(Product.objects.values_list("code", "name")) == CODES
    assert len({p.cass_map_id for p in Product.objects.all()}) == 1
    for product in Product.objects.all():
        for part in (*TEXTS, "category", "family"):
            assert getattr(product, part), (product.code, part)
        assert product.customer_sizes and product.customer_types and product.industries.exists()
        assert ProductTariff.objects.filter(product=product).count() >= 2
        first = ProductActivationStep.objects.filter(product=product).order_by("order").first()
        assert first is not None and first.image.name and first.content_type == "image/png"
    assert Solution.objects.count() >= 4
    assert all(SolutionComparison.objects.filter(solution=s).exists() for s in Solution.objects.all())
    assert "product map: 22 products" in output
    written = AuditEvent.objects.filter(verb__startswith="knowledge.save_").count()
    _demo("--managers", "30", "--seed", "3")
    assert Product.objects.count() == 22
    assert AuditEvent.objects.filter(verb__startswith="knowledge.save_").count() == written
