"""/knowledge/maps/<id>/industries/: a map's industries (行业) with what names each; its
editors add, change and remove one (one still named is kept, saying by what); a manager
reads the list but may not change it, another city gets 404."""

import re

import pytest

from casspath.core.models import AuditEvent
from casspath.knowledge.models import Industry
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def url(cass_map, *rest) -> str:
    return "/".join([f"/knowledge/maps/{cass_map.pk}/industries", *map(str, rest)]) + "/"


def test_it_lists_the_industries_with_their_products_cases_and_solutions(client, world, product_map):
    page = log_in(client, world.manager).get(url(product_map)).content.decode()
    assert page.index("政府机关") < page.index("教育")
    row = page[page.index('id="industry-IND02"') :]
    row = row[: row.index("</tr>")]
    cells = [re.sub(r"<[^>]+>", "", cell).strip() for cell in re.findall(r"<td[^>]*>(.*?)</td>", row, re.S)]
    assert cells == ["IND02", "教育 · IND02", "2", "0", "1"]  # P01, P03; no published case; S01
    assert "?industry=IND02" in row
    assert "添加行业" not in page and "/remove/" not in page


def test_it_lets_an_editor_add_change_and_remove_an_industry(client, world, product_map):
    log_in(client, world.consultant_a)
    assert "添加行业" in client.get(url(product_map)).content.decode()
    response = client.post(url(product_map), {"code": "IND09", "name": "医疗卫生", "order": ""})
    assert response.status_code == 302
    added = Industry.objects.get(cass_map=product_map, code="IND09")
    assert added.order == 3
    client.post(url(product_map, added.pk), {"code": "IND09", "name": "医院", "order": "1"})
    added.refresh_from_db()
    assert (added.name, added.order) == ("医院", 1)
    assert client.post(url(product_map, added.pk, "remove")).status_code == 302
    assert not Industry.objects.filter(pk=added.pk).exists()
    again = client.post(url(product_map, added.pk, "remove"), follow=True)  # a second press
    assert again.status_code == 200 and "已不在此地图上" in again.content.decode()
    verbs = list(AuditEvent.objects.filter(verb__contains="industry").values_list("verb", flat=True))
    assert verbs.count("knowledge.save_industry") >= 2 and verbs.count("knowledge.remove_industry") == 1


def test_it_refuses_a_code_taken_and_keeps_an_industry_still_named(client, world, product_map):
    log_in(client, world.consultant_a)
    page = client.post(url(product_map), {"code": "IND01", "name": "别的行业"}).content.decode()
    assert "已被使用" in page and "already used" in page
    edu = Industry.objects.get(cass_map=product_map, code="IND02")
    page = client.post(url(product_map, edu.pk, "remove"), follow=True).content.decode()
    assert "仍被 2 个产品、0 个案例、1 个方案使用" in page
    assert Industry.objects.filter(pk=edu.pk).exists()


def test_it_refuses_a_manager_and_hides_from_another_city(client, world, product_map):
    edu = Industry.objects.get(cass_map=product_map, code="IND02")
    log_in(client, world.manager)
    assert client.post(url(product_map), {"code": "IND09", "name": "医疗"}).status_code == 403
    assert client.get(url(product_map, edu.pk)).status_code == 403
    assert client.post(url(product_map, edu.pk, "remove")).status_code == 403
    for user in (world.manager_b, world.consultant_b):
        log_in(client, user)
        assert client.get(url(product_map)).status_code == 404
        assert client.post(url(product_map, edu.pk, "remove")).status_code == 404
    assert Industry.objects.filter(cass_map=product_map).count() == 2


def test_it_returns_to_the_list_saying_so_when_the_industry_changed_was_removed_meanwhile(
    client, world, product_map
):
    """An editor's change to an industry another editor removed first: back to the list, which
    says it is gone, nothing saved (not a 404, nor a new industry)."""
    log_in(client, world.consultant_a)
    client.post(url(product_map), {"code": "IND09", "name": "医疗卫生", "order": ""})
    added = Industry.objects.get(cass_map=product_map, code="IND09")
    client.post(url(product_map, added.pk, "remove"))
    before = Industry.objects.filter(cass_map=product_map).count()
    change = {"code": "IND09", "name": "医院", "order": ""}
    saved = client.post(url(product_map, added.pk), change, follow=True)
    assert saved.status_code == 200 and "已不在此地图上" in saved.content.decode()
    assert saved.redirect_chain[-1][0] == url(product_map)
    assert Industry.objects.filter(cass_map=product_map).count() == before
    opened = client.get(url(product_map, added.pk), follow=True)  # the edit link of a stale page
    assert opened.status_code == 200 and "已不在此地图上" in opened.content.decode()
    log_in(client, world.manager)  # a reader is told nothing of it: 404 as before
    assert client.get(url(product_map, added.pk)).status_code == 404
