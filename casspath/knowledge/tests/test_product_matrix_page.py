"""/knowledge/maps/<id>/products/matrix/: products × industries (and ?by=size × customer
size), each cell the published cases of that product in that industry: drafts, cases in
review and retired ones never count; totals count each case once; the page costs the same
queries however many cases."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from casspath.knowledge.models import Case, CaseStatus, Industry, Product
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def _case(cass_map, code, products, industries, status=CaseStatus.PUBLISHED, size=""):
    case = Case.objects.create(
        cass_map=cass_map,
        code=code,
        title=f"案例{code}",
        knowledge_point="k",
        story="s",
        status=status,
        customer_size=size,
    )
    case.products.set(products)
    case.industries.set(industries)
    return case


def _cells(page: str) -> list[int]:
    return [int(n) for n in re.findall(r'data-count="(\d+)"', page)]


@pytest.fixture
def cases(product_map):
    line = Product.objects.get(cass_map=product_map, code="P01")
    broadband = Product.objects.get(cass_map=product_map, code="P03")
    gov = Industry.objects.get(cass_map=product_map, code="IND01")
    edu = Industry.objects.get(cass_map=product_map, code="IND02")
    _case(product_map, "C1", [line], [gov, edu], size="large")
    _case(product_map, "C2", [line, broadband], [edu], size="small")
    _case(product_map, "C3", [broadband], [edu], status=CaseStatus.IN_REVIEW, size="micro")
    _case(product_map, "C4", [line], [gov], status=CaseStatus.DRAFT, size="large")
    _case(product_map, "C5", [broadband], [gov], status=CaseStatus.RETIRED)
    return product_map


def test_it_counts_published_cases_only(client, world, cases):
    log_in(client, world.manager)
    response = client.get(f"/knowledge/maps/{cases.pk}/products/matrix/")
    assert response.status_code == 200
    page = response.content.decode()
    # Rows go by category, family and code, and the families' order is the database's
    # collation: read it from the page. Columns: 政府机关, 教育.
    first, second = (
        ("互联网专线", "企业宽带")
        if page.index("互联网专线") < page.index("企业宽带")
        else ("企业宽带", "互联网专线")
    )
    cells = {"互联网专线": [1, 2], "企业宽带": [0, 1]}
    assert _cells(page) == cells[first] + cells[second]
    assert "2 个案例" in page or "2 cases" in page


def test_it_counts_by_customer_size(client, world, cases):
    log_in(client, world.manager)
    page = client.get(f"/knowledge/maps/{cases.pk}/products/matrix/?by=size").content.decode()
    first = "互联网专线" if page.index("互联网专线") < page.index("企业宽带") else "企业宽带"
    # columns micro, small, large
    cells = {"互联网专线": [0, 1, 1], "企业宽带": [0, 1, 0]}
    second = "企业宽带" if first == "互联网专线" else "互联网专线"
    assert _cells(page) == cells[first] + cells[second]


def test_it_costs_the_same_queries_with_more_cases(client, world, cases):
    log_in(client, world.manager)
    url = f"/knowledge/maps/{cases.pk}/products/matrix/"
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    line = Product.objects.get(cass_map=cases, code="P01")
    gov = Industry.objects.get(cass_map=cases, code="IND01")
    for n in range(10, 30):
        _case(cases, f"C{n}", [line], [gov])
    with CaptureQueriesContext(connection) as many:
        page = client.get(url).content.decode()
    assert len(many) == len(few)
    assert "21" in _cells(page).__repr__()


@pytest.mark.parametrize("who", ["manager_b", "outsider"])
def test_it_answers_404_outside_the_maps_one_reads(client, world, cases, who):
    log_in(client, getattr(world, who))
    assert client.get(f"/knowledge/maps/{cases.pk}/products/matrix/").status_code == 404
