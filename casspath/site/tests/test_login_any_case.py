"""Logging in with the username in any case (phones type lower case): one login answers to
"e0001" and "E0001", failures under both spellings count towards one lock-out, and a wrong
name or password is still refused."""

from django.test import Client
from django.urls import reverse

from casspath.testing import PASSWORD, make_user

LOGIN = reverse("login")
HOME = reverse("home")


def _post(client: Client, username: str, password: str = PASSWORD):
    return client.post(LOGIN, {"username": username, "password": password})


def test_it_logs_in_with_the_username_in_lower_case(world):
    client = Client()
    response = _post(client, "e0001")
    assert response.status_code == 302 and response["Location"] == HOME
    assert client.get(HOME).context["user"].username == "E0001"


def test_it_logs_in_a_lower_case_staff_username_typed_in_upper_case(world):
    make_user("admin")
    client = Client()
    assert _post(client, "ADMIN").status_code == 302
    assert client.get(HOME).context["user"].username == "admin"


def test_it_counts_failures_under_both_spellings_towards_one_lock_out(world):
    client = Client()
    for username in ["e0001", "E0001", "e0001", "E0001"]:
        assert _post(client, username, "wrong-password").status_code == 200
    assert _post(client, "e0001", "wrong-password").status_code == 429  # the fifth
    assert _post(client, "E0001").status_code == 429
    assert _post(client, "e0001").status_code == 429


def test_it_refuses_a_wrong_password_or_an_unknown_name_in_any_case(world):
    client = Client()
    refused = _post(client, "e0001", "wrong-password")
    assert refused.status_code == 200 and not refused.context["user"].is_authenticated
    for username in ["x0001", "E00011", "e 0001"]:
        response = _post(client, username)
        assert response.status_code == 200 and not response.context["user"].is_authenticated


def test_it_prefers_the_exact_spelling_when_two_logins_differ_only_in_case(world):
    # Older data may hold such twins (issuing refuses to make them): each keeps its own.
    make_user("e0001")
    client = Client()
    assert _post(client, "e0001").status_code == 302
    assert client.get(HOME).context["user"].username == "e0001"
