"""The roster's token (org/figures.py) is replaced once per transaction that writes the
roster, and the figures the home page and the org tree keep under it stay right through
nested blocks, rolled-back savepoints, rolled-back transactions, autocommit and other
connections. These tests commit for real (transaction=True): a test's own transaction
never ends, so the other tests end the mark at once (conftest.py)."""

import threading
from datetime import date

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from casspath.org import figures
from casspath.org.actions.employees import do_upsert_employee
from casspath.org.models import Employee, RosterVersion
from casspath.testing import make_employee

pytestmark = pytest.mark.django_db(transaction=True)

TREE = reverse("org:tree")


@pytest.fixture(autouse=True)
def _real_commits(monkeypatch):
    monkeypatch.setattr(figures, "on_commit", transaction.on_commit)


def _active(client) -> int:
    """The province's active headcount on the home page and on the tree, which must agree."""
    on_home = client.get(reverse("home")).context["roster"]["active"]
    on_tree = client.get(TREE).context["roots"][0].headcount
    assert on_home == on_tree
    return on_home


def _counts_people(queries) -> bool:
    return any("GROUP BY" in q["sql"] and '"org_employee"' in q["sql"] for q in queries)


def _reads_kept_figures(client) -> bool:
    with CaptureQueriesContext(connection) as captured:
        _active(client)
    return not _counts_people(captured.captured_queries)


def _hire(world, no: str) -> None:
    do_upsert_employee({"employee_no": no, "name": "新同事", "org_unit": world.team_a,
                        "hire_date": date(2024, 3, 1)}, acting_user=world.city_admin_a)


def _token() -> str:
    return RosterVersion.objects.get(pk=1).token


@pytest.fixture
def admin_client(world):
    client = Client()
    client.force_login(world.province_admin)
    return client


def test_it_replaces_the_token_once_for_a_big_delete_in_one_transaction(world, admin_client):
    for n in range(40):
        make_employee(f"X{n:03d}", f"临时{n}", world.team_b)
    before = _active(admin_client)
    with CaptureQueriesContext(connection) as captured, transaction.atomic():
        assert Employee.objects.filter(employee_no__startswith="X").delete()[0] >= 40
    writes = [q for q in captured.captured_queries if '"org_rosterversion"' in q["sql"]]
    assert len(writes) == 1
    assert _active(admin_client) == before - 40


def test_it_counts_afresh_within_a_transaction_after_it_wrote(world, admin_client):
    before = _active(admin_client)
    with transaction.atomic():
        _hire(world, "E0200")  # in a block of its own (the action's), inside this one
        assert _active(admin_client) == before + 1
        _hire(world, "E0201")  # no new token: the figures read above were not kept
        assert _active(admin_client) == before + 2
        assert not _reads_kept_figures(admin_client)
    assert _active(admin_client) == before + 2
    assert _reads_kept_figures(admin_client)  # kept again once the transaction ended


def test_it_replaces_the_token_again_after_a_savepoint_rolled_back(world, admin_client):
    before, token = _active(admin_client), _token()
    with transaction.atomic():
        with pytest.raises(RuntimeError), transaction.atomic():
            _hire(world, "E0200")
            raise RuntimeError  # the hire and its new token are undone
        assert _token() == token
        assert _active(admin_client) == before and _reads_kept_figures(admin_client)
        _hire(world, "E0201")
        assert _token() != token
    assert _active(admin_client) == before + 1


def test_it_keeps_the_token_of_a_write_before_a_savepoint_that_rolled_back(world, admin_client):
    before = _active(admin_client)
    with transaction.atomic():
        _hire(world, "E0200")
        token = _token()
        with pytest.raises(RuntimeError), transaction.atomic():
            _hire(world, "E0201")
            raise RuntimeError
        assert _token() == token and _active(admin_client) == before + 1
        _hire(world, "E0202")
        assert _active(admin_client) == before + 2
    assert _active(admin_client) == before + 2


def test_it_forgets_a_transaction_that_rolled_back(world, admin_client):
    before, token = _active(admin_client), _token()
    with transaction.atomic():
        _hire(world, "E0200")
        transaction.set_rollback(True)
    assert _token() == token
    assert _active(admin_client) == before and _reads_kept_figures(admin_client)
    with transaction.atomic():
        _hire(world, "E0201")  # a new transaction: replaces the token at its first write
    assert _token() != token and _active(admin_client) == before + 1


def test_it_replaces_the_token_at_each_write_in_autocommit(world, admin_client):
    before = _active(admin_client)
    tokens = {_token()}
    for n in range(3):
        make_employee(f"E02{n:02d}", "新同事", world.team_a)  # no transaction of its own
        tokens.add(_token())
        assert _active(admin_client) == before + n + 1 and _reads_kept_figures(admin_client)
    assert len(tokens) == 4


def test_it_shows_other_connections_the_old_figures_until_the_commit(world, admin_client):
    before = _active(admin_client)
    seen: dict[str, object] = {}
    other = Client()
    other.force_login(world.province_admin)  # before the transaction: its session is a write

    def read(name: str) -> None:
        try:
            seen[name] = (_active(other), _reads_kept_figures(other))
        finally:
            from django.db import connections

            connections.close_all()  # this thread's own connection

    with transaction.atomic():
        _hire(world, "E0200")
        reader = threading.Thread(target=read, args=("during",))
        reader.start()
        reader.join()
    reader = threading.Thread(target=read, args=("after",))
    reader.start()
    reader.join()
    assert seen == {"during": (before, True), "after": (before + 1, True)}
