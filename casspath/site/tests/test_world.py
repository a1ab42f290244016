"""The test world holds every role with a twin in the other city, and its helpers act as
any of them on the pages and through the API."""

import pytest

from casspath.org.models import Role
from casspath.testing import ApiCaller, log_in

TWINS = [
    ("city_admin_a", "city_admin_b", Role.TRAINING_ADMIN),
    ("team_lead", "team_lead_b", Role.TEAM_LEAD),
    ("manager", "manager_b", Role.ACCOUNT_MANAGER),
    ("consultant_a", "consultant_b", Role.CONSULTANT),
    ("lecturer_a", "lecturer_b", Role.LECTURER),
    ("analyst_a", "analyst_b", Role.ANALYST),
]


@pytest.mark.parametrize("bearer", [False, True], ids=["session", "bearer"])
@pytest.mark.parametrize(("name_a", "name_b", "role"), TWINS)
def test_it_binds_each_role_in_city_a_and_its_twin_in_city_b(client, world, bearer, name_a, name_b, role):
    for name, city in ((name_a, world.city_a), (name_b, world.city_b)):
        me = ApiCaller(client, getattr(world, name), bearer=bearer).get("/me")
        assert me.status_code == 200
        roles = me.json()["roles"]
        assert [r["role"] for r in roles] == [role.value]
        # The binding lies in the city's subtree, never in the other city's.
        assert roles[0]["org_unit_code"].startswith(city.code)


def test_it_holds_every_role(world):
    roles = {role for user in world.roles().values() for role in user.role_assignments.values_list(
        "role", flat=True)}
    assert roles == set(Role.values)


def test_it_calls_the_api_by_bearer_token_without_a_session(client, world):
    api = ApiCaller(client, world.analyst_b, bearer=True)
    assert "_auth_user_id" not in client.session
    assert api.get("/me").json()["username"] == "analyst_b"


def test_it_logs_the_test_client_in_as_anyone(client, world):
    response = log_in(client, world.lecturer_b).get("/")
    assert response.status_code == 200 and response.context["user"] == world.lecturer_b
