from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from casspath.core.actors import SystemActor
from casspath.core.models import AuditEvent
from casspath.org.actions.employees import do_update_employee, do_upsert_employee
from casspath.org.actions.units import do_create_unit, do_update_unit
from casspath.org.models import Employee, OrgUnit
from casspath.org.tree import path_for


def test_it_upserts_by_employee_number(world):
    values = {"employee_no": "E0700", "name": "孙", "org_unit": world.team_b, "hire_date": date(2021, 1, 4)}
    actor = SystemActor(label="cli:test")
    employee, action, changes = do_upsert_employee(values, acting_user=actor)
    assert action == "created" and changes["name"] == [None, "孙"]
    assert do_upsert_employee(values, acting_user=actor)[1:] == ("unchanged", {})
    _, action, changes = do_upsert_employee({**values, "name": "孙二"}, acting_user=actor)
    assert (action, changes) == ("updated", {"name": ["孙", "孙二"]})
    assert AuditEvent.objects.filter(actor_label="cli:test").count() == 2


def test_it_checks_the_scope_itself(world):
    with pytest.raises(PermissionDenied):
        do_upsert_employee({"employee_no": "E0701", "name": "x", "org_unit": world.team_b,
                            "hire_date": date(2021, 1, 4)}, acting_user=world.city_admin_a)
    with pytest.raises(PermissionDenied):
        do_update_employee(world.city_b_employee, {"name": "x"}, acting_user=world.city_admin_a)
    with pytest.raises(PermissionDenied):
        do_update_employee(world.colleague, {"org_unit": world.team_b}, acting_user=world.city_admin_a)
    assert not Employee.objects.filter(employee_no="E0701").exists()
    world.colleague.refresh_from_db()
    assert world.colleague.org_unit == world.team_a


def test_it_validates_before_saving(world):
    with pytest.raises(ValidationError) as caught:
        do_upsert_employee({"employee_no": "E0702", "name": ""}, acting_user=SystemActor.cli())
    assert {"name", "org_unit", "hire_date"} <= set(caught.value.message_dict)
    with pytest.raises(ValueError):
        do_update_employee(world.colleague, {"salary": 1}, acting_user=SystemActor.cli())


def test_it_creates_and_moves_units_keeping_paths(world):
    actor = SystemActor.cli()
    root = do_create_unit(code="HN", name="湖南公司", kind="province", parent=None, acting_user=actor)
    assert (root.path, root.depth) == path_for(root, None)
    changes = do_update_unit(world.city_b, {"parent": root}, acting_user=actor)
    assert set(changes) == {"parent"}
    team = OrgUnit.objects.get(code="SZ-NS-01")
    assert team.path.startswith(root.path) and team.depth == 3
    assert team.path == path_for(team, OrgUnit.objects.get(code="SZ-NS"))[0]
    with pytest.raises(PermissionDenied):
        do_create_unit(code="X", name="x", kind="province", parent=None, acting_user=world.province_admin)
    with pytest.raises(ValidationError):
        do_update_unit(root, {"parent": team}, acting_user=actor)
