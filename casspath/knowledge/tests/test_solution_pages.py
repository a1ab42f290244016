"""/knowledge/maps/<id>/solutions/ and /knowledge/solutions/<id>/: the solutions of a map with
their bundles, a solution's value proposition and its comparison with the competitor's
bundle; editors add and change them (products by code, in order; rows "aspect | ours |
theirs"), a manager gets 403, another city 404."""

import pytest

from casspath.core.models import AuditEvent
from casspath.knowledge.models import Industry, Solution, SolutionComparison, SolutionProduct
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _form(cass_map, **changes):
    return {
        "code": "S02",
        "name": "政务云办公",
        "industry": str(Industry.objects.get(cass_map=cass_map, code="IND01").pk),
        "product_codes": "P01 P03",
        "value_proposition": "数据不落本地。",
        "competitor": "友商政务套餐",
        "comparisons": "终端 | 云电脑 | 传统 PC\r\n会议 | 省内部署 | 数据出省",
        "active": "on",
        **changes,
    }


def test_it_lists_and_shows_a_solution_to_a_manager(client, world, product_map):
    solution = Solution.objects.get(cass_map=product_map, code="S01")
    log_in(client, world.manager)
    page = client.get(f"/knowledge/maps/{product_map.pk}/solutions/").content.decode()
    assert "智慧校园" in page and "企业宽带" in page
    page = client.get(f"/knowledge/solutions/{solution.pk}/").content.decode()
    for text in ("智慧校园", "教育", "一个合同管全校。", "友商校园套餐", "专线对称", "共享宽带"):
        assert text in page, text
    assert page.index("企业宽带") < page.index("互联网专线")  # the bundle's order
    assert "/edit/" not in page


def test_it_lets_an_admin_add_and_change_a_solution(client, world, product_map):
    log_in(client, world.city_admin_a)
    response = client.post(f"/knowledge/maps/{product_map.pk}/solutions/add/", _form(product_map))
    solution = Solution.objects.get(cass_map=product_map, code="S02")
    assert response["Location"] == f"/knowledge/solutions/{solution.pk}/"
    assert list(
        SolutionProduct.objects.filter(solution=solution).values_list("product__code", flat=True)
    ) == [
        "P01",
        "P03",
    ]
    assert SolutionComparison.objects.filter(solution=solution).count() == 2
    client.post(
        f"/knowledge/maps/{product_map.pk}/solutions/{solution.pk}/edit/",
        _form(product_map, product_codes="P03 P01"),
    )
    assert list(
        SolutionProduct.objects.filter(solution=solution).values_list("product__code", flat=True)
    ) == [
        "P03",
        "P01",
    ]
    assert AuditEvent.objects.filter(verb="knowledge.save_solution", object_id=str(solution.pk)).count() == 2


def test_it_refuses_an_unknown_product_and_a_bad_row(client, world, product_map):
    log_in(client, world.consultant_a)
    url = f"/knowledge/maps/{product_map.pk}/solutions/add/"
    page = client.post(url, _form(product_map, product_codes="P01 P77")).content.decode()
    assert "P77" in page
    page = client.post(url, _form(product_map, comparisons="只有一栏")).content.decode()
    assert "aspect | ours | theirs" in page
    assert not Solution.objects.filter(code="S02").exists()


def test_it_refuses_a_manager_and_hides_from_another_city(client, world, product_map):
    solution = Solution.objects.get(cass_map=product_map, code="S01")
    log_in(client, world.manager)
    assert (
        client.post(f"/knowledge/maps/{product_map.pk}/solutions/add/", _form(product_map)).status_code == 403
    )
    assert client.post(f"/knowledge/solutions/{solution.pk}/remove/").status_code == 403
    log_in(client, world.city_admin_b)
    assert client.get(f"/knowledge/solutions/{solution.pk}/").status_code == 404
    assert client.get(f"/knowledge/maps/{product_map.pk}/solutions/").status_code == 404
    assert client.post(f"/knowledge/solutions/{solution.pk}/remove/").status_code == 404
    assert Solution.objects.filter(pk=solution.pk).exists()


def test_it_removes_a_solution(client, world, product_map):
    solution = Solution.objects.get(cass_map=product_map, code="S01")
    log_in(client, world.consultant_a)
    assert client.post(f"/knowledge/solutions/{solution.pk}/remove/").status_code == 302
    assert not Solution.objects.filter(pk=solution.pk).exists()


def test_it_keeps_a_solution_no_longer_offered_to_its_editors(client, world, product_map):
    solution = Solution.objects.get(cass_map=product_map, code="S01")
    Solution.objects.filter(pk=solution.pk).update(active=False)
    assert log_in(client, world.manager).get(f"/knowledge/solutions/{solution.pk}/").status_code == 404
    assert log_in(client, world.consultant_a).get(f"/knowledge/solutions/{solution.pk}/").status_code == 200
