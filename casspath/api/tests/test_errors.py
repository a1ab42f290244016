import json

from django.core.exceptions import PermissionDenied, ValidationError
from django.test import RequestFactory
from django.utils import translation
from ninja.errors import HttpError

from casspath.api.errors import ApiError
from casspath.site.api import api


def handle(exc, lang: str = "zh-hans"):
    with translation.override(lang):
        return api.on_exception(RequestFactory().get("/api/v1/x"), exc)


def test_it_answers_an_unknown_api_path_with_json(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json() == {"detail": "未找到", "detail_zh": "未找到", "detail_en": "Not found"}


def test_it_keeps_real_endpoints_reachable_beside_the_fallback(client, world):
    client.force_login(world.city_admin_a)
    assert client.get("/api/v1/me").status_code == 200
    assert client.get("/api/v1/openapi.json").status_code == 200
    assert client.get("/api/v1/docs").status_code == 200


def test_it_turns_permission_denied_into_a_403_body(db):
    response = handle(PermissionDenied())
    assert response.status_code == 403
    assert b"detail_zh" in response.content and b"detail_en" in response.content


def test_it_turns_an_actions_validation_error_into_a_422_naming_the_field(db):
    response = handle(ValidationError({"phone": ["Enter a valid value."], "__all__": ["Broken."]}), "en")
    assert response.status_code == 422
    body = json.loads(response.content)
    assert [e["field"] for e in body["errors"]] == ["phone", "body"]
    assert body["detail"] == body["detail_en"]
    assert "phone" in body["detail_en"] and "phone" in body["detail_zh"]


def test_it_keeps_an_api_errors_own_words(db):
    response = handle(ApiError(409, "工号 E1 已存在", "employee E1 already exists"), "en")
    assert response.status_code == 409
    assert json.loads(response.content) == {
        "detail": "employee E1 already exists", "detail_zh": "工号 E1 已存在",
        "detail_en": "employee E1 already exists",
    }


def test_it_words_a_bare_http_error_in_both_languages(db):
    body = json.loads(handle(HttpError(403, "Only training admins may import")).content)
    assert body == {"detail": "无权执行此操作", "detail_zh": "无权执行此操作",
                    "detail_en": "Only training admins may import"}
