from django.test import Client
from django.urls import reverse

from casspath.core.models import AuditEvent
from casspath.org.models import Employee


def url(no):
    return reverse("org:employee_edit", args=[no])


def form(employee, **changes):
    data = {
        "name": employee.name, "phone": employee.phone, "email": employee.email,
        "org_unit": employee.org_unit.code, "position": employee.position.code if employee.position else "",
        "hire_date": employee.hire_date.isoformat(), "grade": employee.grade.code if employee.grade else "",
        "status": employee.status,
    }
    data.update(changes)
    return data


def test_it_updates_an_employee_and_audits_it(client, world):
    client.force_login(world.city_admin_a)
    colleague = world.colleague
    response = client.post(url("E0002"), form(colleague, name="赵新名", phone="+86 137-0000-2222",
                                                grade="senior", org_unit="GZ-TH"))
    assert response.status_code == 302
    colleague.refresh_from_db()
    assert (colleague.name, colleague.phone, colleague.grade.code, colleague.org_unit.code) == (
        "赵新名", "13700002222", "senior", "GZ-TH")
    event = AuditEvent.objects.get(verb="employee.update")
    assert event.actor == world.city_admin_a and set(event.changes) == {"name", "phone", "grade", "org_unit"}


def test_it_says_nothing_changed(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(url("E0002"), form(world.colleague), follow=True)
    assert response.redirect_chain == [(reverse("org:employee_detail", args=["E0002"]), 302)]
    assert [m.level_tag for m in response.context["messages"]] == ["info"]
    assert not AuditEvent.objects.filter(verb="employee.update").exists()


def test_it_rejects_bad_values_in_both_languages(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(url("E0002"), form(world.colleague, phone="12345", hire_date="2999-01-01"))
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "手机号" in errors["phone"][0] and "mobile number" in errors["phone"][0]
    assert "after today" in errors["hire_date"][0]
    world.colleague.refresh_from_db()
    assert world.colleague.phone == "13700001111"


def test_it_refuses_a_unit_outside_the_scope(client, world):
    client.force_login(world.city_admin_a)
    response = client.post(url("E0002"), form(world.colleague, org_unit="SZ-NS-01"))
    assert response.status_code == 200 and "org_unit" in response.context["form"].errors
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.team_a


def test_it_deactivates_the_login_of_someone_who_left(client, world):
    client.force_login(world.city_admin_a)
    client.post(url("E0001"), form(world.manager_employee, status="left"))
    world.manager.refresh_from_db()
    assert world.manager.is_active is False


def test_it_refuses_another_city_a_team_lead_and_a_manager(client, world):
    for user, status in ((world.city_admin_b, 404), (world.team_lead, 404), (world.manager, 404)):
        client.force_login(user)
        assert client.get(url("E0002")).status_code == status
        assert client.post(url("E0002"), form(world.colleague, name="X")).status_code == status
    world.colleague.refresh_from_db()
    assert world.colleague.name == "赵同事"


def test_it_enforces_csrf(world):
    client = Client(enforce_csrf_checks=True)
    client.force_login(world.city_admin_a)
    response = client.post(url("E0002"), form(world.colleague, name="X"))
    assert response.status_code == 403
    assert Employee.objects.get(employee_no="E0002").name == "赵同事"
    page = client.get(url("E0002"))
    token = page.context["csrf_token"]
    response = client.post(url("E0002"), {**form(world.colleague, name="新名"), "csrfmiddlewaretoken": token})
    assert response.status_code == 302
    assert Employee.objects.get(employee_no="E0002").name == "新名"


def test_it_offers_a_unit_picker_instead_of_a_list_of_every_unit(client, world):
    from casspath.org.models import OrgUnit
    from casspath.testing import make_unit

    for n in range(40):
        make_unit(f"GZ-TH-T{n:02d}", f"营销{n}班", OrgUnit.Kind.TEAM, world.district_a)
    client.force_login(world.city_admin_a)
    page = client.get(url("E0002")).content.decode()
    assert 'role="combobox"' in page and 'name="org_unit"' in page and 'value="GZ-TH-01"' in page
    assert "营销" not in page  # no unit listed until one types
    assert "天河区 / 政企一班 · GZ-TH-01" in page  # the current unit, by its path


def test_it_takes_a_unit_code_in_any_case_or_a_name_only_one_unit_has(client, world):
    client.force_login(world.city_admin_a)
    assert client.post(url("E0002"), form(world.colleague, org_unit="gz-th")).status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.district_a
    assert client.post(url("E0002"), form(world.colleague, org_unit="政企一班")).status_code == 302
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.team_a


def test_it_asks_which_unit_when_two_share_the_name_typed(client, world):
    from casspath.org.models import OrgUnit
    from casspath.testing import make_unit

    yuexiu = make_unit("GZ-YX", "越秀区", OrgUnit.Kind.DISTRICT, world.city_a)
    make_unit("GZ-TH-02", "商客二班", OrgUnit.Kind.TEAM, world.district_a)
    make_unit("GZ-YX-02", "商客二班", OrgUnit.Kind.TEAM, yuexiu)
    make_unit("SZ-NS-02", "深圳独有班", OrgUnit.Kind.TEAM, world.team_b.parent)
    client.force_login(world.city_admin_a)
    response = client.post(url("E0002"), form(world.colleague, org_unit="商客二班"))
    (error,) = response.context["form"].errors["org_unit"]
    assert "GZ-TH-02, GZ-YX-02" in error and "several units" in error
    response = client.post(url("E0002"), form(world.colleague, org_unit="深圳独有班"))  # another city's
    (error,) = response.context["form"].errors["org_unit"]
    assert "不在您的范围内" in error and "SZ-NS-02" not in error
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.team_a
