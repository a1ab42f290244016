from django.urls import reverse

from casspath.testing import PASSWORD, log_in


def test_it_says_a_too_short_password_in_chinese_on_the_chinese_page(client, world):
    log_in(client, world.manager)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "12345678", "new_password2": "12345678",
    }, HTTP_ACCEPT_LANGUAGE="zh-hans")
    body = response.content.decode()
    assert response.status_code == 200
    assert "密码太短" in body
    assert "This password is too short" not in body
