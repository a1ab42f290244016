"""The SQL scope (`employees_for`) and the Python check (`employee_in_scope`) are two
spellings of one rule: for any roles a user holds and any employee, they must agree."""

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from casspath.org import scopes
from casspath.org.models import Employee, OrgUnit, Role, RoleAssignment

ROLES = list(Role)
PERMS = list(scopes.Perm)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_it_agrees_for_any_roles_on_any_units(world, data):
    units = list(OrgUnit.objects.order_by("path"))
    employees = list(Employee.objects.select_related("org_unit"))
    user = world.outsider
    RoleAssignment.objects.filter(user=user).delete()
    bindings = data.draw(st.lists(st.tuples(st.sampled_from(ROLES), st.sampled_from(units)),
                                  max_size=4, unique=True))
    for role, unit in bindings:
        RoleAssignment.objects.create(user=user, role=role, org_unit=unit)
    # Half the time the user is also one of the employees, so SELF reaches someone.
    own = data.draw(st.none() | st.sampled_from(employees))
    Employee.objects.filter(user=user).update(user=None)
    if own is not None:
        Employee.objects.filter(pk=own.pk).update(user=user)
    employees = list(Employee.objects.select_related("org_unit"))
    user.refresh_from_db()
    user.__dict__.pop("_casspath_bindings", None)

    for perm in PERMS:
        by_sql = set(scopes.employees_for(user, perm).values_list("pk", flat=True))
        by_python = {e.pk for e in employees if scopes.employee_in_scope(user, perm, e)}
        assert by_sql == by_python, (perm, bindings, own)
