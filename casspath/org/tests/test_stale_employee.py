"""`do_update_employee` judges the employee as he is when it writes, not as the page or
endpoint that called it loaded him."""

import pytest

from casspath.core.models import AuditEvent
from casspath.org.access import access_employee_by_no
from casspath.org.actions.employees import do_update_employee
from casspath.org.models import Employee
from casspath.org.scopes import ScopeRefused


def test_it_refuses_an_employee_moved_out_of_the_actors_scope_since_he_was_loaded(world):
    employee = access_employee_by_no(world.city_admin_a, "E0002")
    # Another admin moves him to Shenzhen; the Guangzhou admin's instance still says Guangzhou.
    Employee.objects.filter(pk=employee.pk).update(org_unit=world.team_b)
    events = AuditEvent.objects.count()
    with pytest.raises(ScopeRefused):
        do_update_employee(employee, {"name": "改名"}, acting_user=world.city_admin_a)
    fresh = Employee.objects.get(pk=employee.pk)
    assert (fresh.name, fresh.org_unit_id) == ("赵同事", world.team_b.pk)
    assert AuditEvent.objects.count() == events


def test_it_judges_a_status_change_on_the_status_he_has_now(world):
    employee = access_employee_by_no(world.city_admin_a, "E0002")
    Employee.objects.filter(pk=employee.pk).update(status=Employee.Status.LEFT)
    # He left meanwhile: "active → left" from the stale instance is no change at all now.
    admin = world.city_admin_a
    assert do_update_employee(employee, {"status": Employee.Status.LEFT}, acting_user=admin) == {}
    changes = do_update_employee(employee, {"status": Employee.Status.ACTIVE}, acting_user=admin)
    assert changes == {"status": [Employee.Status.LEFT, Employee.Status.ACTIVE]}
    employee.refresh_from_db()
    assert employee.status == Employee.Status.ACTIVE


def test_it_still_updates_an_employee_in_scope(world):
    employee = access_employee_by_no(world.city_admin_a, "E0002")
    do_update_employee(employee, {"name": "赵新名"}, acting_user=world.city_admin_a)
    employee.refresh_from_db()
    assert employee.name == "赵新名"
    assert AuditEvent.objects.get(verb="employee.update").changes["name"] == ["赵同事", "赵新名"]
