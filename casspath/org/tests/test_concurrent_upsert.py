"""Two calls creating the same new employee at once: one creates him, the other finds him
(a retried PUT is idempotent), never a unique-key error."""

import threading

import pytest
from django.db import connection

from casspath.org.actions import employees
from casspath.org.models import Employee


@pytest.mark.skipif(
    connection.vendor == "sqlite",
    reason="the in-memory SQLite test database shares one cache between threads, where a second "
    "writer fails at once ('table is locked') instead of waiting as on the site's file database",
)
@pytest.mark.django_db(transaction=True)
def test_it_creates_him_once_when_two_calls_race(monkeypatch):
    from casspath.testing import build_world

    world = build_world()
    refuse = employees._refuse_case_collision
    meeting = threading.Barrier(2)

    def after_both_looked(*args, **kwargs):
        # Both calls have found no such employee before either writes.
        try:
            meeting.wait(timeout=2)
        except threading.BrokenBarrierError:
            pass
        return refuse(*args, **kwargs)

    monkeypatch.setattr(employees, "_refuse_case_collision", after_both_looked)
    outcomes: list = []

    def upsert():
        try:
            _employee, outcome, _changes = employees.do_upsert_employee(
                {"employee_no": "E0900", "name": "并发", "org_unit": world.team_a,
                 "hire_date": world.manager_employee.hire_date}, acting_user=world.city_admin_a)
            outcomes.append(outcome)
        except Exception as error:  # the failure is what the test reports
            outcomes.append(repr(error))
        finally:
            connection.close()

    threads = [threading.Thread(target=upsert) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["created", "unchanged"], outcomes
    assert Employee.objects.filter(employee_no="E0900").count() == 1
