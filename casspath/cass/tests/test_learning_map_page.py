"""The whole learning map's page (a stage or grade at a time), its print stylesheet and its
Excel export; refusals."""

import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from casspath.cass.tests.conftest import grow_lmap
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


def test_it_shows_the_stage_with_its_dimensions_actions_and_resources(client, world, lmap):
    page = log_in(client, world.consultant_a).get(f"/cass/maps/{lmap.pk}/learning-map/?stage=growth")
    assert page.status_code == 200
    html = page.content.decode()
    assert 'id="dim-D01"' in html and 'id="dim-D03"' in html
    assert "W02 首次拜访" in html and "A0201" in html
    assert "W03" not in html  # maturity only
    assert html.index("资源R-D01-1a") < html.index("资源R-D01-2") < html.index("资源R-D01-3")
    assert "资源R-DRAFT" not in html and "资源R-RETIRED" not in html
    assert f'href="/cass/resources/{lmap.resources.get(code="R-D01-2").pk}/"' in html


def test_it_says_that_no_work_item_of_the_stage_uses_a_dimension(client, world, lmap):
    # D03 is used by W03 only, a maturity work item: the map uses it, the growth stage does not.
    log_in(client, world.consultant_a)
    growth = client.get(f"/cass/maps/{lmap.pk}/learning-map/?stage=growth").content.decode()
    d03 = growth.split('id="dim-D03"')[1].split("</details>")[0]
    assert "适用于成长期的工作内容中，还没有关键动作用到这一维度。" in d03
    assert "本地图还没有关键动作用到这一维度" not in d03
    maturity = client.get(f"/cass/maps/{lmap.pk}/learning-map/?stage=maturity").content.decode()
    assert "A0301" in maturity.split('id="dim-D03"')[1].split("</details>")[0]


def test_it_opens_the_first_stage_by_default_and_a_grade_on_request(client, world, lmap):
    log_in(client, world.consultant_a)
    first = client.get(f"/cass/maps/{lmap.pk}/learning-map/")
    assert first.context["stage"].code == "growth"
    senior = client.get(f"/cass/maps/{lmap.pk}/learning-map/?grade=senior")
    assert senior.context["grade"].code == "senior" and senior.context["stage"] is None
    assert "W03" in senior.content.decode()  # a grade's view: every work item
    assert client.get(f"/cass/maps/{lmap.pk}/learning-map/?stage=nope").status_code == 404


def test_it_links_the_print_stylesheet(client, world, lmap):
    html = log_in(client, world.city_admin_a).get(f"/cass/maps/{lmap.pk}/learning-map/").content.decode()
    assert "cass/learning_map.css" in html and "style=" not in html
    from django.contrib.staticfiles import finders

    found = finders.find("cass/learning_map.css")
    assert isinstance(found, str)
    css = open(found, encoding="utf-8").read()
    assert "@media print" in css
    # The footer's d-flex (display: flex !important) beat the stylesheet's "footer" rule.
    footer = html.split("<footer", 1)[1].split(">", 1)[0]
    assert "d-print-none" in footer


def test_it_exports_every_view_to_excel(client, world, lmap):
    response = log_in(client, world.consultant_a).get(f"/cass/maps/{lmap.pk}/learning-map.xlsx")
    assert response.status_code == 200
    book = load_workbook(io.BytesIO(response.content), read_only=True)
    assert book.sheetnames == ["成长期", "发展期", "成熟期", "初级", "高级"]
    rows = list(book["成长期"].iter_rows(values_only=True))
    assert rows[0][:5] == ("维度编码", "维度", "要求等级", "权重 %", "行类别")
    d01 = [r for r in rows[1:] if r[0] == "D01"]
    assert d01[0][2:5] == (2, 40, "岗位要求")
    actions = [r[7] for r in d01 if r[4] == "关键动作"]
    assert actions == ["A0201", "A0101", "A0102"]
    resources = [(r[7], r[9]) for r in d01 if r[4] == "学习资源"]
    assert resources == [("R-D01-1a", 1), ("R-D01-1b", 1), ("R-D01-2", 2), ("R-D01-3", 3)]


def test_it_lets_a_manager_of_the_city_read_it(client, world, lmap):
    assert log_in(client, world.manager).get(f"/cass/maps/{lmap.pk}/learning-map/").status_code == 200


@pytest.mark.parametrize("who", ["consultant_b", "manager_b", "city_admin_b", "outsider"])
def test_it_refuses_others(client, world, lmap, who):
    log_in(client, getattr(world, who))
    assert client.get(f"/cass/maps/{lmap.pk}/learning-map/").status_code == 404
    assert client.get(f"/cass/maps/{lmap.pk}/learning-map.xlsx").status_code == 404


def test_it_sends_the_anonymous_to_log_in(client, lmap):
    assert client.get(f"/cass/maps/{lmap.pk}/learning-map/").status_code == 302


def test_it_lists_the_maps_or_goes_to_the_only_one(client, world, lmap):
    response = log_in(client, world.consultant_a).get("/cass/learning-map/")
    assert response.status_code == 302 and response["Location"] == f"/cass/maps/{lmap.pk}/learning-map/"
    assert "cass/learning_map_index.html" in [
        t.name for t in log_in(client, world.consultant_b).get("/cass/learning-map/").templates]


def test_it_reads_as_many_queries_for_a_bigger_map(client, world, lmap, django_assert_max_num_queries):
    log_in(client, world.consultant_a)
    url = f"/cass/maps/{lmap.pk}/learning-map/?stage=growth"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow_lmap(lmap, world.consultant_a)
    with django_assert_max_num_queries(len(small)):
        html = client.get(url).content.decode()
    assert "新资源14" in html


def test_it_exports_a_bigger_map_in_as_many_queries(client, world, lmap, django_assert_max_num_queries):
    log_in(client, world.consultant_a)
    url = f"/cass/maps/{lmap.pk}/learning-map.xlsx"
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    grow_lmap(lmap, world.consultant_a)
    with django_assert_max_num_queries(len(small)):
        response = client.get(url)
    sheet = load_workbook(io.BytesIO(response.content), read_only=True).worksheets[0]
    names = {value for row in sheet.iter_rows(values_only=True) for value in row}
    assert {"新资源0", "新资源14", "X00 工作0"} <= names  # the workbook holds all, not the first few
