"""The security baseline the issue requires, checked through the public interface."""

import re

from django.test import Client
from django.urls import reverse

import casspath.settings as project_settings
from casspath.testing import PASSWORD

LOGIN = reverse("login")


def test_it_hashes_passwords_with_argon2():
    # The test conftest swaps in MD5 for speed; the project's own settings module decides.
    assert project_settings.PASSWORD_HASHERS[0] == "casspath.core.hashers.Argon2idHasher"


def test_it_locks_a_login_out_after_five_failures(world):
    client = Client()
    for _ in range(4):
        response = client.post(LOGIN, {"username": "gzadmin", "password": "wrong-password"})
        assert response.status_code == 200 and not response.wsgi_request.user.is_authenticated
    # The fifth failure locks the account; then even the right password is refused.
    assert client.post(LOGIN, {"username": "gzadmin", "password": "wrong-password"}).status_code == 429
    locked = client.post(LOGIN, {"username": "gzadmin", "password": PASSWORD})
    assert locked.status_code == 429
    assert "_auth_user_id" not in client.session
    # Another user from the same address is not locked.
    assert client.post(LOGIN, {"username": "szadmin", "password": PASSWORD}).status_code == 302


def test_it_logs_in_with_the_right_password(world):
    client = Client()
    response = client.post(LOGIN, {"username": "gzadmin", "password": PASSWORD})
    assert response.status_code == 302 and response["Location"] == reverse("home")


def test_it_enforces_csrf_on_forms(world):
    client = Client(enforce_csrf_checks=True)
    assert client.post(LOGIN, {"username": "gzadmin", "password": PASSWORD}).status_code == 403
    client.force_login(world.manager)
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": "a-new-secret-42", "new_password2": "a-new-secret-42"})
    assert response.status_code == 403
    world.manager.refresh_from_db()
    assert world.manager.check_password(PASSWORD)


def test_it_sends_the_content_security_policy(client, world):
    client.force_login(world.province_admin)
    policy = client.get(reverse("home"))["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "style-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy


def test_it_forces_the_password_change_at_first_login(world):
    world.manager.must_change_password = True
    world.manager.save(update_fields=["must_change_password"])
    client = Client()
    client.post(LOGIN, {"username": "E0001", "password": PASSWORD})
    for path in (reverse("home"), reverse("org:employee_list"),
                 reverse("org:employee_detail", args=["E0001"])):
        response = client.get(path)
        assert response.status_code == 302 and response["Location"] == reverse("password_change"), path
    refused = client.get("/api/v1/org/employees")
    assert refused.status_code == 403 and "one-time password" in refused.json()["detail_en"]
    new = "my-own-Secret-2026"
    response = client.post(reverse("password_change"), {
        "old_password": PASSWORD, "new_password1": new, "new_password2": new})
    assert response.status_code == 302 and response["Location"] == reverse("home")
    world.manager.refresh_from_db()
    assert world.manager.must_change_password is False
    assert client.get(reverse("home")).status_code == 200
    assert client.get("/api/v1/org/employees").status_code == 200


def test_it_keeps_inline_scripts_and_styles_out_of_the_pages(client, world):
    # CSP refuses inline code; a page that relied on it would break silently in the browser.
    client.force_login(world.province_admin)
    pages = [reverse("home"), reverse("org:tree"), reverse("org:employee_list"),
             reverse("org:employee_detail", args=["E0001"]), reverse("org:employee_edit", args=["E0001"]),
             reverse("org:unit_detail", args=["GZ"]), reverse("org:unit_edit", args=["GZ"]),
             reverse("org:unit_create"), reverse("org:issue_logins", args=["GZ"]),
             reverse("org:login_batches")]
    for path in pages:
        body = client.get(path).content.decode()
        assert " style=" not in body, path
        for tag in re.findall(r"<script\b[^>]*>", body):
            assert "src=" in tag or 'type="application/json"' in tag, (path, tag)
