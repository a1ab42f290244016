"""Every JSON answer writes Chinese as UTF-8 characters, not \\u escapes: the ninja
operations, the API's error bodies and the refusals written by middleware alike."""

from casspath.testing import ApiCaller


def test_it_writes_chinese_in_an_answer_as_characters(client, world):
    response = ApiCaller(client, world.city_admin_a, bearer=True).get("/org/employees?q=王经理")
    assert response.status_code == 200
    assert "王经理".encode() in response.content
    assert b"\\u" not in response.content


def test_it_writes_chinese_in_an_error_body_as_characters(client, db):
    response = client.get("/api/v1/no-such-thing")
    assert response.status_code == 404
    assert "未找到".encode() in response.content
    assert b"\\u" not in response.content


def test_it_writes_chinese_in_a_refusal_made_outside_the_api_as_characters(client, world):
    client.force_login(world.city_admin_a)
    response = client.put("/api/v1/me")  # a method the path does not take: the middleware answers
    assert response.status_code == 405
    assert response["Content-Type"].startswith("application/json")
    assert b"\\u" not in response.content
    assert response.json()["detail_zh"]


def test_it_writes_chinese_in_an_early_refusal_as_characters(client, db):
    response = client.get("/api/v1/me", {"q": "a\x00b"})
    assert response.status_code == 400
    assert b"\\u" not in response.content
    assert response.json()["detail_zh"]
