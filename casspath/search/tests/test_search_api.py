"""GET /api/v1/search/: the same hits as the CLI, within the caller's scope."""

from casspath.testing import ApiCaller


def test_it_answers_the_hits_best_first(client, world, library):
    response = ApiCaller(client, world.province_admin, bearer=True).get("/search/?q=5G专网&kind=case")
    assert response.status_code == 200
    data = response.json()
    assert data["query"] == "5G专网"
    assert [hit["code"] for hit in data["hits"]] == ["C001", "C003"]
    assert "<mark>5G专网</mark>" in data["hits"][0]["snippet"] or "<mark>" in data["hits"][1]["snippet"]
    assert data["next_offset"] is None


def test_it_pages_by_offset(client, world, library):
    api = ApiCaller(client, world.province_admin)
    first = api.get("/search/?q=客户经理&limit=1").json()
    assert len(first["hits"]) == 1 and first["next_offset"] == 1
    second = api.get("/search/?q=客户经理&limit=1&offset=1").json()
    assert second["hits"][0]["code"] != first["hits"][0]["code"]


def test_it_filters_by_step_and_product(client, world, library):
    api = ApiCaller(client, world.province_admin)
    assert [h["code"] for h in api.get("/search/?q=客户经理&step=PM01-1").json()["hits"]] == ["C002"]
    assert [h["code"] for h in api.get("/search/?q=专线&product=P01&kind=case").json()["hits"]] == ["C003"]


def test_it_keeps_a_case_in_review_from_other_managers(client, world, library):
    assert ApiCaller(client, world.manager_b).get("/search/?q=视频会议").json()["hits"] == []
    assert [
        h["code"] for h in ApiCaller(client, world.manager).get("/search/?q=视频会议").json()["hits"]
    ] == ["C004"]


def test_it_refuses_an_anonymous_call_and_a_bad_limit(client, world, library):
    assert client.get("/api/v1/search/?q=专线").status_code == 401
    assert ApiCaller(client, world.manager).get("/search/?q=专线&limit=0").status_code == 422
