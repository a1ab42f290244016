"""Answers that carry personal data are never stored by a browser or a proxy."""

import pytest
from django.test import Client
from django.urls import reverse

from casspath.api.tests.helpers import bearer, make_token

PAGES = ["home", "org:tree", "org:employee_list", "org:login_batches", "api_tokens:list"]


def _no_store(response) -> bool:
    return "no-store" in response.get("Cache-Control", "")


@pytest.mark.parametrize("name", PAGES)
def test_it_forbids_storing_a_logged_in_page(client, world, name):
    client.force_login(world.city_admin_a)
    response = client.get(reverse(name))
    assert response.status_code == 200
    assert _no_store(response) and "private" in response["Cache-Control"]


def test_it_forbids_storing_an_employees_page(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(reverse("org:employee_detail", args=["E0001"]))
    assert response.status_code == 200 and _no_store(response)


@pytest.mark.parametrize("path", ["/api/v1/me", "/api/v1/org/employees", "/api/v1/org/employees/E0001",
                                  "/api/v1/no-such-thing"])
def test_it_forbids_storing_an_api_answer(world, path):
    _, secret = make_token(world.city_admin_a)
    response = Client().get(path, **bearer(secret))
    assert _no_store(response), path


def test_it_forbids_storing_an_api_refusal(db):
    response = Client().get("/api/v1/org/employees")
    assert response.status_code == 401 and _no_store(response)

