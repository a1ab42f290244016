"""A changed or reset password ends the user's other sessions, "keep me signed in" ones
included (Django keeps a hash of the password in each session); the page the owner changed
it on stays signed in. So does deactivating the login."""

from django.test import Client
from django.urls import reverse

from casspath.testing import PASSWORD, log_in

LOGIN = reverse("login")
HOME = reverse("home")
NEW_PASSWORD = "a-new-long-password-7"  # noqa: S105 (a test password)


def _signed_in(username: str, *, remember: bool = False) -> Client:
    client = Client()
    data = {"username": username, "password": PASSWORD, **({"remember": "on"} if remember else {})}
    assert client.post(LOGIN, data).status_code == 302
    assert client.get(HOME).status_code == 200
    return client


def test_it_ends_the_other_sessions_when_the_owner_changes_his_password(world):
    phone = _signed_in("E0001", remember=True)
    desk = _signed_in("E0001")
    response = desk.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": NEW_PASSWORD, "new_password2": NEW_PASSWORD,
    })
    assert response.status_code == 302
    assert desk.get(HOME).status_code == 200  # the page it was changed on stays signed in
    assert phone.get(HOME).status_code == 302  # the phone's kept session has ended
    assert phone.get("/api/v1/me").status_code == 401


def test_it_ends_every_session_when_an_admin_resets_the_password(client, world):
    phone = _signed_in("E0001", remember=True)
    log_in(client, world.city_admin_a)
    assert client.post("/org/employees/E0001/reset-password/").status_code == 302
    response = phone.get(HOME)
    assert response.status_code == 302 and response["Location"].startswith(LOGIN)


def test_it_ends_every_session_of_a_deactivated_login(world):
    phone = _signed_in("E0001", remember=True)
    world.manager.is_active = False
    world.manager.save(update_fields=["is_active"])
    assert phone.get(HOME).status_code == 302
