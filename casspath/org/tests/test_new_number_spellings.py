"""A new 工号 created through the single-employee action (`PUT /api/v1/org/employees/<no>`,
do_upsert_employee) takes the lock of new numbers the roster import holds from its insert to
its commit, and looks the number up again under it in every spelling: "e0300" and "E0300"
never both exist, whichever writer creates one while the other does."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection

from casspath.imports.actions import do_create_import_run, do_execute_import_run
from casspath.imports.locks import LockBusy
from casspath.imports.tests.helpers import ROSTER_HEADERS_ZH, csv_bytes
from casspath.org.actions.employees import do_upsert_employee
from casspath.org.importers import roster as roster_module
from casspath.org.models import Employee
from casspath.testing import build_world

postgresql_only = pytest.mark.skipif(connection.vendor == "sqlite",
                                     reason="concurrent writers need PostgreSQL")

NEW = csv_bytes([ROSTER_HEADERS_ZH,
                 ["E0300", "广州新人", "", "", "GZ-TH-01", "客户经理", "2023-05-06", "初级", "在职"]])


def create_in_shenzhen(world, number: str):
    return do_upsert_employee({"employee_no": number, "name": "深圳新人", "org_unit": world.team_b,
                               "hire_date": "2023-01-01"}, acting_user=world.city_admin_b)


@postgresql_only
@pytest.mark.django_db(transaction=True)
def test_it_makes_a_single_create_wait_for_an_import_inserting_new_numbers(monkeypatch, settings):
    world = build_world()
    settings.CASSPATH = {**settings.CASSPATH, "IMPORT_LOCK_WAIT_SECONDS_REQUEST": 0}
    run = do_create_import_run("roster", "r.csv", NEW, dry_run=False, acting_user=world.city_admin_a)
    real_insert = roster_module.insert_employees
    outcome: list = []

    def insert_while_an_api_call_creates_it(*args, **kwargs):
        # Shenzhen's admin creates "e0300" in his own request (thread), right now.
        def api():
            try:
                outcome.append(create_in_shenzhen(world, "e0300"))
            except LockBusy as busy:
                outcome.append(busy)
            finally:
                connection.close()

        thread = threading.Thread(target=api)
        thread.start()
        thread.join(timeout=30)
        return real_insert(*args, **kwargs)

    monkeypatch.setattr(roster_module, "insert_employees", insert_while_an_api_call_creates_it)
    do_execute_import_run(run.pk)
    run.refresh_from_db()
    assert run.status == "succeeded"
    assert len(outcome) == 1 and isinstance(outcome[0], LockBusy)
    spellings = Employee.objects.filter(employee_no__iexact="E0300").values_list("employee_no", flat=True)
    assert list(spellings) == ["E0300"]
    # Tried again once the import committed: the other spelling is refused, in both languages.
    with pytest.raises(ValidationError) as refused:
        create_in_shenzhen(world, "e0300")
    assert "employee_no" in refused.value.message_dict
    assert Employee.objects.filter(employee_no__iexact="E0300").count() == 1


@pytest.mark.django_db
def test_it_still_creates_a_new_number_nobody_else_creates(world):
    employee, action, _changes = create_in_shenzhen(world, "E0301")
    assert (action, employee.org_unit_id) == ("created", world.team_b.pk)
