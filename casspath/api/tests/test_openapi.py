import re

import pytest


def test_it_serves_the_openapi_document_without_a_token(client, db):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    doc = response.json()
    assert doc["openapi"].startswith("3.")
    schemes = doc["components"]["securitySchemes"]
    assert {"type": "http", "scheme": "bearer"}.items() <= schemes["TokenAuth"].items()
    assert schemes["SessionAuth"]["in"] == "cookie"
    assert doc["paths"]["/api/v1/me"]["get"]["security"] == [{"TokenAuth": []}, {"SessionAuth": []}]


@pytest.mark.parametrize("prefix", ["/api/v1/org/", "/api/v1/competency/", "/api/v1/imports/"])
def test_it_every_domain_router_is_documented(client, db, prefix):
    paths = client.get("/api/v1/openapi.json").json()["paths"]
    mine = [path for path in paths if path.startswith(prefix)]
    assert mine, f"no endpoint under {prefix}"
    for path in mine:
        for operation in paths[path].values():
            assert operation.get("security"), f"{path} has no authentication"


def test_it_serves_the_docs_from_local_static_files(client, db):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.text
    assert "swagger-ui-bundle.js" in html
    assert not re.search(r"""(src|href)=["']?(https?:)?//""", html), "docs page loads from another host"
    assert "cdn" not in html.lower()
    csp = response["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp
