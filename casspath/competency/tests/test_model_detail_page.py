import json
import re

from django.test import Client
from django.urls import reverse

from casspath.competency.actions.edits import do_remove_dimension, do_set_indicators, do_set_requirements
from casspath.competency.actions.versions import do_publish_model, do_start_new_version
from casspath.competency.models import Dimension
from casspath.org.models import Stage

from .conftest import login


def url(model):
    return reverse("competency:model_detail", args=[model.pk])


def test_it_shows_modules_dimensions_levels_and_indicators(world, model):
    response = login(world.manager).get(url(model))
    assert response.status_code == 200
    body = response.content.decode()
    assert "M1 客户开发" in body and "M2 协同与素质" in body
    assert '<details class="dimension' in body and 'id="dim-D01"' in body
    assert "寻找客户 L4 第二条" in body
    assert "大师" in body  # level 5 title
    # A manager may read but not edit.
    assert reverse("competency:model_new_version", args=[model.pk]) not in body


def test_it_shows_the_requirement_matrix_with_sums_and_warnings(world, model):
    body = login(world.manager).get(url(model)).content.decode()
    assert 'class="level-4">L4 <small>45.5%</small>' in body
    assert "100%" in body
    assert "not 100%" not in body and "不是 100%" not in body


def test_it_warns_when_a_columns_weights_do_not_add_up_to_100(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    do_set_requirements(
        draft, stage=Stage.objects.get(code="growth"), cells={"D03": None}, acting_user=world.province_admin
    )
    body = login(world.province_admin).get(url(draft)).content.decode()
    assert "table-warning" in body
    assert re.search(r"75(\.00)?%", body)


def test_it_embeds_radar_charts_of_required_levels(world, model):
    body = login(world.manager).get(url(model)).content.decode()
    match = re.search(r'<script id="stage-radar" type="application/json">(.*?)</script>', body, re.S)
    assert match is not None
    chart = json.loads(match.group(1))
    assert [axis["name"] for axis in chart["radar"]["indicator"]] == [
        "目标客户寻找",
        "行业与客户知识",
        "团队协作",
    ]
    series = {item["name"]: item["value"] for item in chart["series"][0]["data"]}
    assert series == {"成长期": [2, 2, 1], "发展期": [3, 3, 2], "成熟期": [4, 3, 3]}
    assert 'data-chart="grade-radar"' in body
    assert "style=" not in body and "<script>" not in body


def test_it_shows_version_history_and_changes_since_the_previous_version(world, model):
    draft = do_start_new_version(model, acting_user=world.province_admin)
    dim = Dimension.objects.get(model=draft, code="D02")
    do_set_indicators(dim, {3: "新的指标"}, acting_user=world.province_admin)
    do_remove_dimension(
        Dimension.objects.get(model=draft, code="D03"), acting_user=world.province_admin
    )
    do_publish_model(draft, acting_user=world.province_admin, accept_weights=True)
    body = login(world.province_admin).get(url(draft)).content.decode()
    assert url(model) in body
    assert "D03" in body  # removed
    diff = login(world.province_admin).get(reverse("competency:model_diff", args=[draft.pk]))
    assert diff.status_code == 200
    text = diff.content.decode()
    assert "+ 新的指标" in text and "− 行业知识 L3" in text


def test_it_offers_start_new_version_to_the_owner_admin(world, model):
    body = login(world.province_admin).get(url(model)).content.decode()
    assert reverse("competency:model_new_version", args=[model.pk]) in body


def test_it_refuses_an_outsider_and_anonymous(world, model):
    assert login(world.outsider).get(url(model)).status_code == 404
    response = Client().get(url(model))
    assert response.status_code == 302 and reverse("login") in response["Location"]


def test_it_reads_a_model_in_a_bounded_number_of_queries(world, model, django_assert_max_num_queries):
    client = login(world.province_admin)
    with django_assert_max_num_queries(30):
        assert client.get(url(model)).status_code == 200
