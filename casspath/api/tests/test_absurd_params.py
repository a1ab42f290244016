"""Every API answer is JSON, whatever a caller puts in the path or the query: absurd page
numbers, ids past any integer column, words where numbers go. Walks every GET operation of
the OpenAPI document, so an endpoint added later is walked too."""

import re

import pytest

from casspath.api.tests.helpers import bearer, make_token
from casspath.site.api import api

ABSURD = [str(10**30), "-1", "0", "x", "1e9", ""]


def _get_operations() -> list[tuple[str, list[str]]]:
    schema = api.get_openapi_schema()
    operations = []
    for path, methods in schema["paths"].items():
        if "get" in methods:
            query = [p["name"] for p in methods["get"].get("parameters", []) if p["in"] == "query"]
            operations.append((path, query))
    return operations


OPERATIONS = _get_operations()


def test_it_walks_the_paginated_roster():
    assert ("/api/v1/org/employees", ["q", "unit", "stage", "position", "grade", "status", "page",
                                      "cursor", "page_size"]) in OPERATIONS


@pytest.mark.parametrize(("path", "query"), OPERATIONS, ids=[path for path, _ in OPERATIONS])
def test_it_answers_absurd_parameters_with_json(client, world, path, query):
    headers = bearer(make_token(world.province_admin)[1])
    for value in ABSURD:
        url = re.sub(r"\{[^}]+\}", value or "x", path)
        for params in [{}, *({name: value} for name in [*query, "page", "page_size"])]:
            response = client.get(url, params, **headers)
            where = (url, params, response.status_code)
            assert response.status_code < 500, where
            if response.status_code >= 400:
                assert response["Content-Type"].startswith("application/json"), where
                body = response.json()
                assert body["detail_zh"] and body["detail_en"], where


def test_it_answers_a_wrong_method_with_json(client, world):
    response = client.delete("/api/v1/org/employees", **bearer(make_token(world.province_admin)[1]))
    assert response.status_code == 405
    assert response.json()["detail_en"] == "Method not allowed"
    assert "GET" in response["Allow"]


def test_it_answers_an_unexpected_failure_with_json(client, world, monkeypatch):
    def broken(*args, **kwargs):
        raise RuntimeError("boom")

    monkeypatch.setattr("casspath.site.me.scopes.is_unrestricted", broken)
    client.raise_request_exception = False
    response = client.get("/api/v1/me", **bearer(make_token(world.province_admin)[1]))
    assert response.status_code == 500
    body = response.json()
    assert "内部错误" in body["detail_zh"] and "internal error" in body["detail_en"]
    assert "boom" not in response.content.decode()
