import json

from django.test import Client

from casspath.api.tests.helpers import bearer, make_token
from casspath.core.models import AuditEvent
from casspath.org.models import Employee

API = "/api/v1/org/employees"
NEW = {"name": "钱新人", "phone": "+86 135-0000-1234", "email": "qian@example.com", "org_unit": "GZ-TH-01",
       "position": "客户经理", "hire_date": "2024-07-01", "grade": "junior", "status": "在职"}


def put(client, no, body, **extra):
    return client.put(f"{API}/{no}", data=json.dumps(body), content_type="application/json", **extra)


def test_it_creates_then_reports_unchanged(client, world):
    client.force_login(world.city_admin_a)
    first = put(client, "E0200", NEW)
    assert first.status_code == 201
    assert first.json()["action"] == "created"
    employee = Employee.objects.get(employee_no="E0200")
    assert employee.position is not None and employee.grade is not None
    assert (employee.phone, employee.position.code, employee.grade.code, employee.status) == (
        "13500001234", "account_manager", "junior", "active")
    second = put(client, "E0200", NEW)
    assert second.status_code == 200
    assert second.json()["action"] == "unchanged" and second.json()["changes"] == {}
    assert AuditEvent.objects.filter(object_type="org.employee", object_id=str(employee.pk)).count() == 1


def test_it_updates_only_the_fields_given(client, world):
    client.force_login(world.city_admin_a)
    response = put(client, "E0002", {"grade": "高级", "phone": "13700009999"})
    assert response.status_code == 200
    body = response.json()
    assert body["action"] == "updated"
    assert body["changes"] == {"phone": ["13700001111", "13700009999"], "grade": [None, "高级"]}
    world.colleague.refresh_from_db()
    assert (world.colleague.name, world.colleague.grade.code) == ("赵同事", "senior")


def test_it_reports_every_bad_field_in_both_languages(client, world):
    client.force_login(world.city_admin_a)
    response = put(client, "E0300", {"phone": "123", "org_unit": "SZ-NS-01", "grade": "大师",
                                      "hire_date": "2999-01-01", "status": "retired"})
    assert response.status_code == 422
    errors = {e["field"]: e for e in response.json()["errors"]}
    assert set(errors) == {"name", "phone", "org_unit", "grade", "hire_date", "status"}
    for error in errors.values():
        assert error["message_zh"] and error["message_en"] and error["message_zh"] != error["message_en"]
    assert "SZ-NS-01" in errors["org_unit"]["message_en"]
    assert not Employee.objects.filter(employee_no="E0300").exists()


def test_it_reports_a_malformed_date_naming_the_field(client, world):
    client.force_login(world.city_admin_a)
    response = put(client, "E0300", {**NEW, "hire_date": "2024-13-45"})
    assert response.status_code == 422
    assert response.json()["errors"][0]["field"] == "hire_date"


def test_it_refuses_another_citys_employee_as_absent(client, world):
    client.force_login(world.city_admin_a)
    # Answered as an unknown number would be: a new employee needs a unit and a hire date.
    assert put(client, "E0100", {"name": "改名"}).json() == put(client, "E9999", {"name": "改名"}).json()
    world.city_b_employee.refresh_from_db()
    assert world.city_b_employee.name == "深圳员工"


def test_it_answers_a_number_taken_out_of_sight_as_an_unknown_one(client, world):
    client.force_login(world.city_admin_a)
    for body in ({}, {"name": "改名"}, {"name": "改名", "org_unit": "SZ-NS-01", "hire_date": "2020-01-01"},
                 {**NEW, "phone": "abc"}, {"status": "离职"}):
        taken, unknown = put(client, "E0100", body), put(client, "E9999", body)
        assert unknown.status_code == 422
        assert (taken.status_code, taken.json()) == (unknown.status_code, unknown.json())
    # A body that would create the unknown number: the taken one gets a neutral refusal.
    refused = put(client, "E0100", NEW)
    assert refused.status_code == 422
    assert [e["field"] for e in refused.json()["errors"]] == ["employee_no"]
    assert "调动该员工须由" in refused.json()["detail_zh"] and "can move him" in refused.json()["detail_en"]
    world.city_b_employee.refresh_from_db()
    assert (world.city_b_employee.name, world.city_b_employee.org_unit) == ("深圳员工", world.team_b)
    assert put(client, "E9999", NEW).status_code == 201


def test_it_refuses_moving_an_employee_out_of_the_scope(client, world):
    client.force_login(world.city_admin_a)
    response = put(client, "E0002", {"org_unit": "SZ-NS-01"})
    assert response.status_code == 422
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.team_a


def test_it_refuses_writers_without_the_import_permission(client, world):
    for user in (world.team_lead, world.manager, world.outsider):
        client.force_login(user)
        assert put(client, "E0002", {"name": "X"}).status_code == 403
    world.colleague.refresh_from_db()
    assert world.colleague.name == "赵同事"


def test_it_answers_401_to_anonymous(client, world):
    assert put(client, "E0002", {"name": "X"}).status_code == 401


def test_it_needs_the_csrf_token_with_session_auth(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.city_admin_a)
    assert put(client, "E0002", {"name": "X"}).status_code == 403
    world.colleague.refresh_from_db()
    assert world.colleague.name == "赵同事"


def test_it_accepts_a_bearer_token(client, world):
    token, secret = make_token(world.city_admin_a)
    response = put(Client(enforce_csrf_checks=True), "E0002", {"name": "赵令牌"}, **bearer(secret))
    assert response.status_code == 200, response.content
    world.colleague.refresh_from_db()
    assert world.colleague.name == "赵令牌"
    assert Client().get("/api/v1/org/employees/E0100", **bearer(secret)).status_code == 404


def test_it_gives_a_promoted_login_the_roles_of_his_new_position(client, world):
    from casspath.org.models import Role, RoleAssignment

    client.force_login(world.city_admin_a)
    response = put(client, "E0001", {"position": "班组长"})
    assert response.status_code == 200
    roles = set(RoleAssignment.objects.filter(user=world.manager).values_list("role", "org_unit_id"))
    assert roles == {(Role.TEAM_LEAD.value, world.team_a.pk)}
    back = put(client, "E0001", {"position": "客户经理"})
    assert back.status_code == 200
    roles = set(RoleAssignment.objects.filter(user=world.manager).values_list("role", "org_unit_id"))
    assert roles == {(Role.ACCOUNT_MANAGER.value, world.team_a.pk)}
