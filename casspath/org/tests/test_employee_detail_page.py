from django.urls import reverse

from casspath.org.models import Role, RoleAssignment


def url(no):
    return reverse("org:employee_detail", args=[no])


def test_it_shows_stage_tenure_path_and_login_status(client, world):
    client.force_login(world.city_admin_a)
    response = client.get(url("E0001"))
    assert response.status_code == 200
    body = response.content.decode()
    assert response.context["org_path"] == ["广东公司", "广州分公司", "天河区", "政企一班"]
    assert response.context["row"].stage_code in {"growth", "development", "maturity"}
    assert "13912345678" in body  # a training admin reads personal data in his scope
    assert reverse("org:employee_edit", args=["E0001"]) in body
    assert reverse("org:issue_logins", args=["GZ-TH-01"]) in body
    assert response.context["login"] == world.manager


def test_it_masks_the_phone_for_a_consultant(client, world):
    RoleAssignment.objects.create(user=world.outsider, role=Role.CONSULTANT, org_unit=world.city_a)
    client.force_login(world.outsider)
    body = client.get(url("E0001")).content.decode()
    assert "139****5678" in body and "13912345678" not in body
    assert reverse("org:employee_edit", args=["E0001"]) not in body


def test_it_lets_a_manager_open_himself_but_not_a_colleague(client, world):
    client.force_login(world.manager)
    response = client.get(url("E0001"))
    assert response.status_code == 200 and "13912345678" in response.content.decode()
    assert client.get(url("E0002")).status_code == 404


def test_it_hides_another_city_as_if_absent(client, world):
    client.force_login(world.city_admin_a)
    assert client.get(url("E0100")).status_code == 404
    assert client.get(url("NOPE")).status_code == 404


def test_it_shows_the_outsider_nothing_and_sends_anonymous_to_login(client, world):
    client.force_login(world.outsider)
    assert client.get(url("E0001")).status_code == 404
    client.logout()
    response = client.get(url("E0001"))
    assert response.status_code == 302 and response["Location"].startswith(reverse("login"))


def test_it_refuses_an_admin_at_the_next_request_after_his_role_is_taken_away(client, world):
    """Role bindings are read once per request, never kept beyond it (org/scopes.py)."""
    from casspath.org.actions.roles import do_revoke_role

    client.force_login(world.city_admin_a)
    assert client.get(url("E0002")).status_code == 200
    binding = RoleAssignment.objects.get(user=world.city_admin_a, org_unit=world.city_a)
    do_revoke_role(binding, acting_user=world.province_admin)
    assert client.get(url("E0002")).status_code == 404
    RoleAssignment.objects.create(user=world.city_admin_a, role=Role.TRAINING_ADMIN, org_unit=world.team_b)
    assert client.get(url("E0002")).status_code == 404
    assert client.get(url("E0100")).status_code == 200


def test_it_finds_an_employee_by_his_number_typed_in_full_width_or_another_case(client, world):
    client.force_login(world.city_admin_a)
    for typed in ("Ｅ０００１", "e0001"):
        response = client.get(url(typed))
        assert response.status_code == 200 and response.context["employee"] == world.manager_employee
    # Another city's employee stays hidden in whatever spelling.
    assert client.get(url("e0100")).status_code == 404
