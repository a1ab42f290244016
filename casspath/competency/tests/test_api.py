from django.test import Client

from casspath.competency.actions.loading import do_load_model_data
from casspath.competency.actions.versions import do_start_new_version
from casspath.core.actors import SystemActor

from .conftest import login

LIST = "/api/v1/competency/models"


def detail(model):
    return f"/api/v1/competency/models/{model.pk}"


def test_it_lists_the_models_a_user_may_read(world, model, model_data):
    model_data["family"] = "sz-only"
    sz = do_load_model_data(model_data, org_unit=world.city_b, acting_user=SystemActor.cli())
    response = login(world.manager).get(LIST)
    assert response.status_code == 200
    rows = response.json()
    assert [(r["family"], r["version"], r["status"], r["org_unit_code"]) for r in rows] == [
        ("small", 1, "published", "GD")
    ]
    assert {r["id"] for r in login(world.city_admin_b).get(LIST).json()} == {model.pk, sz.pk}
    assert login(world.outsider).get(LIST).json() == []


def test_it_lists_in_a_fixed_number_of_queries(world, model, model_data, django_assert_max_num_queries):
    do_start_new_version(model, acting_user=world.province_admin)
    client = login(world.province_admin)
    with django_assert_max_num_queries(8):
        assert len(client.get(LIST).json()) == 2


def test_it_returns_a_model_with_its_content(world, model):
    response = login(world.manager).get(detail(model))
    assert response.status_code == 200
    body = response.json()
    assert body["name"] == "小模型" and body["status"] == "published"
    assert [level["title"] for level in body["levels"]] == ["入门", "熟练", "精通", "专家", "大师"]
    assert [m["code"] for m in body["modules"]] == ["M1", "M2"]
    d01 = body["modules"][0]["dimensions"][0]
    assert d01["code"] == "D01" and d01["category"] == "skill"
    assert d01["levels"][2] == {"level": 3, "indicators": ["寻找客户 L3 第一条", "寻找客户 L3 第二条"]}
    cells = {
        (r["dimension"], r["stage"] or r["grade"]): (r["level"], r["weight"]) for r in body["requirements"]
    }
    assert cells[("D01", "senior")] == (4, 45.5)
    assert cells[("D03", "growth")] == (1, 25.0)
    assert len(cells) == 15


def test_it_refuses_a_model_the_user_may_not_read(world, model, model_data):
    model_data["family"] = "sz-only"
    sz = do_load_model_data(model_data, org_unit=world.city_b, acting_user=SystemActor.cli())
    assert login(world.city_admin_a).get(detail(sz)).status_code == 404
    assert login(world.outsider).get(detail(model)).status_code == 404
    assert login(world.manager).get(f"{LIST}/999999").status_code == 404


def test_it_refuses_anonymous_calls(world, model):
    assert Client().get(LIST).status_code == 401
    assert Client().get(detail(model)).status_code == 401


def test_it_accepts_a_bearer_token(world, model):
    from casspath.api.tests.helpers import bearer, make_token

    _, secret = make_token(world.manager)
    response = Client().get(detail(model), **bearer(secret))
    assert response.status_code == 200 and response.json()["id"] == model.pk


def test_it_documents_typed_responses(world):
    schema = Client().get("/api/v1/openapi.json").json()
    assert "/api/v1/competency/models/{model_id}" in schema["paths"]
    assert "ModelDetailOut" in schema["components"]["schemas"]
