"""The site's own 403, 404, 500 and CSRF pages: both languages, the request's first; the menu
on 403 and 404; a 500 that renders with the database gone. DEBUG is False under pytest."""

import pytest
from django.db import connections
from django.test import Client

from casspath.testing import log_in

pytestmark = [pytest.mark.django_db, pytest.mark.urls("casspath.site.tests.urls")]

ZH_404 = "找不到页面"
EN_404 = "Page not found"


def _text(response) -> str:
    return response.content.decode()


def test_it_answers_404_in_both_languages_chinese_first_with_the_menu(client, world):
    log_in(client, world.city_admin_a)
    response = client.get("/no/such/page/")
    assert response.status_code == 404
    body = _text(response)
    assert ZH_404 in body and EN_404 in body
    assert body.index(ZH_404) < body.index(EN_404)
    assert 'id="nav-main"' in body  # the site's menu, not Django's bare page
    assert "The requested resource was not found on this server" not in body


def test_it_puts_english_first_when_the_request_is_english(client, world):
    log_in(client, world.city_admin_a)
    client.cookies["django_language"] = "en"
    body = _text(client.get("/no/such/page/"))
    assert body.index(EN_404) < body.index(ZH_404)
    assert '<html lang="en">' in body


def test_it_answers_404_for_an_object_outside_the_scope_with_the_same_page(client, world):
    log_in(client, world.city_admin_b)
    response = client.get(f"/org/employees/{world.manager_employee.employee_no}/")
    assert response.status_code == 404
    assert ZH_404 in _text(response)


def test_it_answers_403_in_both_languages_with_the_menu(client, world):
    log_in(client, world.manager)
    response = client.get("/tests/refuse/")
    assert response.status_code == 403
    body = _text(response)
    assert "无权访问" in body and "Not allowed" in body
    assert 'id="nav-main"' in body


def test_it_answers_a_refused_csrf_check_with_the_site_page(world):
    client = Client(enforce_csrf_checks=True)
    log_in(client, world.city_admin_a)
    response = client.post("/accounts/logout/")
    assert response.status_code == 403
    body = _text(response)
    assert "表单已过期" in body and "The form has expired" in body
    assert "CSRF verification failed" not in body


def test_it_answers_500_in_both_languages_with_a_link_home(client):
    client.raise_request_exception = False
    response = client.get("/tests/fail/")
    assert response.status_code == 500
    body = _text(response)
    assert "服务器出错" in body and "Server error" in body
    assert body.index("服务器出错") < body.index("Server error")
    assert 'href="/"' in body


def test_it_answers_500_without_touching_the_database(client, world):
    log_in(client, world.city_admin_a)
    client.raise_request_exception = False
    try:
        response = client.get("/tests/fail-without-database/")
    finally:
        connections["default"].__dict__.pop("cursor", None)
    assert response.status_code == 500
    body = _text(response)
    assert "Server error" in body and 'href="/"' in body
    assert 'id="nav-main"' not in body
