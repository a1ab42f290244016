"""Every router words its refusals in both languages, through one `api_user` and `ApiError`."""

import pytest

from casspath.api.tests.helpers import bearer, make_token


@pytest.mark.parametrize("path", [
    "/api/v1/imports/", "/api/v1/competency/models", "/api/v1/org/units", "/api/v1/me",
])
def test_it_refuses_anonymous_calls_with_a_bilingual_401(client, world, path):
    response = client.get(path)
    assert response.status_code == 401
    body = response.json()
    assert body["detail_zh"] and body["detail_en"] and body["detail_zh"] != body["detail_en"]


def test_it_words_import_refusals_in_chinese_and_english(client, world):
    _, secret = make_token(world.city_admin_a)
    unknown = client.get("/api/v1/imports/nosuchkind/template", **bearer(secret))
    assert unknown.status_code == 404
    assert "nosuchkind" in unknown.json()["detail_zh"] and unknown.json()["detail_en"].startswith("unknown")
    missing = client.get("/api/v1/imports/runs/999999", **bearer(secret))
    assert missing.status_code == 404 and missing.json()["detail_zh"] == "未找到该导入记录"
    _, outsider_secret = make_token(world.outsider)
    refused = client.get("/api/v1/imports/runs", **bearer(outsider_secret))
    assert refused.status_code == 403 and refused.json()["detail_zh"] == "您无权导入数据"
    assert refused.json()["detail_en"] == "You may not import"


def test_it_acts_as_the_tokens_user(client, world):
    _, secret = make_token(world.city_admin_a)
    assert client.get("/api/v1/me", **bearer(secret)).json()["username"] == "gzadmin"
