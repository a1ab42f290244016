"""Positions, stages and grades are shown by their English names on English pages (home
cards, employee list and detail, filters), by their Chinese names on Chinese pages; the
roster export keeps the Chinese names that imports read back."""

import pytest
from django.urls import reverse

from casspath.org.models import Grade
from casspath.testing import log_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def graded(world):
    employee = world.manager_employee
    employee.grade = Grade.objects.get(code="senior")
    employee.save(update_fields=["grade"])
    return employee


def _get(client, user, url, language):
    log_in(client, user)
    client.cookies["django_language"] = language
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def test_it_shows_english_names_in_the_employee_list(client, world, graded):
    body = _get(client, world.city_admin_a, reverse("org:employee_list"), "en")
    # Rows and filter options alike.
    assert ">Account manager<" in body and ">Senior<" in body and ">Development<" in body
    assert "客户经理" not in body and "高级" not in body and "发展期" not in body


def test_it_shows_chinese_names_in_the_employee_list_in_chinese(client, world, graded):
    body = _get(client, world.city_admin_a, reverse("org:employee_list"), "zh-hans")
    assert "客户经理" in body and "高级" in body and "发展期" in body


def test_it_shows_english_names_on_the_employee_page(client, world, graded):
    body = _get(client, world.city_admin_a, reverse("org:employee_detail", args=[graded.employee_no]), "en")
    assert "Account manager" in body and "Senior" in body and "Development" in body
    assert "客户经理" not in body and "高级" not in body and "发展期" not in body


def test_it_shows_english_names_on_the_home_cards(client, world, graded):
    mine = _get(client, world.manager, "/", "en")
    assert "Account manager" in mine and "Senior" in mine and "Development" in mine
    assert "客户经理" not in mine and "发展期" not in mine
    roster = _get(client, world.city_admin_a, "/", "en")
    assert "Account manager" in roster and "Development" in roster
    assert "客户经理" not in roster and "发展期" not in roster
