"""/api/v1/knowledge/maps/{id}/products, /products/{id}, /maps/{id}/solutions,
/solutions/{id}: the product map as the pages show it, to whoever may read the map; another
city's map, product or solution answers 404, as an absent one."""

import pytest

from casspath.knowledge.models import Product, Solution
from casspath.testing import ApiCaller

pytestmark = pytest.mark.django_db


def codes(body) -> list[str]:
    return [item["code"] for item in body["items"]]


def test_it_lists_the_products_on_sale_with_their_plans_and_filters(client, world, product_map):
    caller = ApiCaller(client, world.manager, bearer=True)
    body = caller.get(f"/knowledge/maps/{product_map.pk}/products").json()
    assert codes(body) == ["P01", "P03"]
    line = body["items"][0]
    assert [i["code"] for i in line["industries"]] == ["IND01", "IND02"]
    assert line["tariffs"][0] == {"name": "100M", "monthly_price": "2000.00", "includes": "16 个 IP"}
    assert line["tariffs"][1]["monthly_price"] is None
    assert line["page_url"].endswith(f"/knowledge/products/{line['id']}/")
    for query, expected in [
        ("industry=IND01", ["P01"]),
        ("industry=IND02", ["P01", "P03"]),
        ("size=micro", ["P03"]),
        ("customer_type=government", ["P01"]),
        ("industry=IND99", []),
    ]:
        assert codes(caller.get(f"/knowledge/maps/{product_map.pk}/products?{query}").json()) == expected, (
            query
        )
    Product.objects.filter(code="P03").update(active=False)
    assert codes(caller.get(f"/knowledge/maps/{product_map.pk}/products").json()) == ["P01"]


def test_it_gives_a_products_card(client, world, product_map):
    line = Product.objects.get(code="P01")
    body = ApiCaller(client, world.manager).get(f"/knowledge/products/{line.pk}").json()
    assert (body["name"], body["map_id"], body["explanation"]) == (
        "互联网专线",
        product_map.pk,
        "独享的互联网出口。",
    )
    assert body["selling_points"] == ["上下行对称", "固定公网 IP"]
    assert [(s["number"], s["text"], s["image_url"]) for s in body["activation_steps"]] == [
        (1, "提交资源预查", None),
        (2, "装维上门开通", None),
    ]
    assert [s["code"] for s in body["solutions"]] == ["S01"]
    assert body["cases"] == []


def test_it_gives_the_solutions_with_the_competitor_comparison(client, world, product_map):
    caller = ApiCaller(client, world.manager)
    body = caller.get(f"/knowledge/maps/{product_map.pk}/solutions").json()
    assert codes(body) == ["S01"]
    school = body["items"][0]
    assert [p["code"] for p in school["products"]] == ["P03", "P01"]
    assert school["comparisons"] == [{"aspect": "网络", "ours": "专线对称", "theirs": "共享宽带"}]
    assert (school["industry"]["code"], school["competitor"]) == ("IND02", "友商校园套餐")
    one = caller.get(f"/knowledge/solutions/{school['id']}").json()
    assert one == school


def test_it_answers_404_to_another_city(client, world, product_map):
    line, school = Product.objects.get(code="P01"), Solution.objects.get(code="S01")
    for user in (world.manager_b, world.consultant_b, world.outsider):
        caller = ApiCaller(client, user)
        for path in (
            f"/knowledge/maps/{product_map.pk}/products",
            f"/knowledge/products/{line.pk}",
            f"/knowledge/maps/{product_map.pk}/solutions",
            f"/knowledge/solutions/{school.pk}",
        ):
            response = caller.get(path)
            assert response.status_code == 404, (user, path)
            assert {"detail_zh", "detail_en"} <= set(response.json())


def test_it_refuses_an_unknown_customer_size(client, world, product_map):
    # "medium" is no size either: the sizes are micro, small (中小: small and medium) and large.
    for size in ("huge", "medium"):
        response = ApiCaller(client, world.manager).get(
            f"/knowledge/maps/{product_map.pk}/products?size={size}"
        )
        assert response.status_code == 422, size


def test_it_answers_404_to_a_reader_for_a_solution_no_longer_offered(client, world, product_map):
    school = Solution.objects.get(code="S01")
    Solution.objects.filter(pk=school.pk).update(active=False)
    assert ApiCaller(client, world.manager).get(f"/knowledge/solutions/{school.pk}").status_code == 404
    assert (
        ApiCaller(client, world.manager).get(f"/knowledge/maps/{product_map.pk}/solutions").json()["items"]
        == []
    )
    assert ApiCaller(client, world.consultant_a).get(f"/knowledge/solutions/{school.pk}").status_code == 200
