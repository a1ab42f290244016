"""What a page reads once per request: the stage table, the user's own employee record and
his roles, whatever number of cards, rows and checks ask for them (core/request_cache.py,
org/scopes.py); and the query budgets of the pages the issue measures."""

from contextlib import contextmanager

from django.core.signals import request_finished, request_started
from django.db import close_old_connections, connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casspath.competency.actions.loading import do_load_default_model
from casspath.core import request_cache
from casspath.core.actors import SystemActor
from casspath.org import queries
from casspath.org.models import Stage

HOME = reverse("home")


@contextmanager
def a_request():
    """Between the signals a request sends, as Django's test client sends them (without the
    connection clean-up they trigger, which would close the test's database connection)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        request_started.send(sender=None)
        try:
            yield
        finally:
            request_finished.send(sender=None)
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _stage_reads(captured) -> int:
    return sum('FROM "org_stage"' in query["sql"] for query in captured.captured_queries)


def test_it_reads_the_stage_table_once_per_request(world):
    with a_request(), CaptureQueriesContext(connection) as captured:
        queries.StageLookup()
        queries.stage_bounds()
        queries.stages_by_code()
    assert _stage_reads(captured) == 1
    # Outside a request nothing is kept: a command or a task reads it each time it asks.
    with CaptureQueriesContext(connection) as captured:
        queries.stage_bounds()
        queries.stage_bounds()
    assert _stage_reads(captured) == 2


def test_it_reads_a_changed_stage_table_again_in_the_same_request(world):
    with a_request():
        assert queries.stages_by_code()["growth"].name == "成长期"
        growth = Stage.objects.get(code="growth")
        growth.name = "新人期"
        growth.save(update_fields=["name"])
        assert queries.stages_by_code()["growth"].name == "新人期"


def test_it_forgets_the_values_of_a_request_when_it_ends(world):
    calls: list[int] = []
    with a_request():
        request_cache.cached("k", lambda: calls.append(1))
        request_cache.cached("k", lambda: calls.append(1))
    with a_request():
        request_cache.cached("k", lambda: calls.append(1))
    request_cache.cached("k", lambda: calls.append(1))  # outside a request: computed each time
    assert calls == [1, 1, 1]


def test_it_shows_an_account_managers_home_in_ten_queries(client, world, django_assert_num_queries):
    do_load_default_model(org_unit=world.province, acting_user=SystemActor.cli())
    client.force_login(world.manager)
    # Session, user, his roles, his employee record, the stage table, the published model,
    # his requirements, the models he may read, the CASS map his learning map card reads
    # (cass/learning_map.py: one query, its summary kept), his cases sent back to him (the
    # case card; a manager reviews none: his queue costs nothing).
    with django_assert_num_queries(10):
        response = client.get(HOME)
    assert response.context["requirements"]["requirements"] and response.context["me"]
    # What the published model requires of his stage and grade is kept: the next visit, and
    # every manager's of the same stage and grade, reads it no more.
    with django_assert_num_queries(9):
        again = client.get(HOME)
    assert again.context["requirements"]["requirements"] == response.context["requirements"]["requirements"]


def test_it_shows_an_employee_page_in_seven_queries(client, world, django_assert_num_queries):
    client.force_login(world.city_admin_a)
    # Session, user, the employee (with unit, position, grade, login), the admin's roles, the
    # stage table, the unit's path, the login's lock-out.
    with django_assert_num_queries(7):
        assert client.get(reverse("org:employee_detail", args=["E0001"])).status_code == 200
