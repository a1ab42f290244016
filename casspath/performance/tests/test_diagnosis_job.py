"""The diagnosis as a job (casspath.core.jobs): a computation longer than JOB_STALE_AFTER
keeps beating its heartbeat, so the sweeper does not take it for a dead worker; on
PostgreSQL its two big reads run side by side, each on its own connection."""

import threading
import time
from datetime import date

import pytest
from django.db import connection, transaction

from casspath.analytics import correlation, distribution
from casspath.core import jobs
from casspath.performance import diagnosis
from casspath.performance.actions import do_diagnose
from casspath.performance.diagnosis import Period

STALE_AFTER = 2
# Each slowed step takes well over half of JOB_STALE_AFTER: two of them in a row, with no
# beat between, leave the heartbeat stale.
STEP_SECONDS = 1.3


def test_it_is_not_taken_over_while_a_long_computation_runs(world, diagnosable, settings, monkeypatch):
    settings.JOB_STALE_AFTER = STALE_AFTER
    swept = []
    gini, correlations = distribution.gini, correlation.skill_correlations

    def slow_gini(*args, **kwargs):
        time.sleep(STEP_SECONDS)
        return gini(*args, **kwargs)

    def slow_correlations_then_sweep(*args, **kwargs):
        time.sleep(STEP_SECONDS)
        swept.append(jobs.sweep())  # the sweeper's minute comes while the job computes
        return correlations(*args, **kwargs)

    monkeypatch.setattr(distribution, "gini", slow_gini)
    monkeypatch.setattr(correlation, "skill_correlations", slow_correlations_then_sweep)
    snapshot = do_diagnose(world.city_a, Period(date(2026, 1, 1), date(2026, 5, 1)),
                           acting_user=world.city_admin_a)
    assert swept == [{"requeued": 0, "failed": 0, "resent": 0}]
    assert snapshot.status == "succeeded", (snapshot.error_en, snapshot.phase)
    assert snapshot.attempt == 1
    assert snapshot.figures is not None and snapshot.figures["headcount"] == 12


@pytest.mark.django_db(transaction=True)
def test_it_reads_the_evidence_beside_the_months_on_postgresql_to_the_same_figures(world, diagnosable,
                                                                                     monkeypatch):
    # Committed data (transaction=True): the second connection must see the rows.
    period = Period(date(2026, 1, 1), date(2026, 5, 1))
    threads, backends = [], []
    levels = diagnosis.unit_current_levels

    def recording(*args, **kwargs):
        threads.append(threading.current_thread())
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT pg_backend_pid()")
                backends.append(cursor.fetchone()[0])
        return levels(*args, **kwargs)

    monkeypatch.setattr(diagnosis, "unit_current_levels", recording)
    beside = diagnosis.compute(world.city_admin_a, world.city_a, period)
    with transaction.atomic():  # inside a transaction: one after the other, on this connection
        in_turn = diagnosis.compute(world.city_admin_a, world.city_a, period)
    assert beside == in_turn and beside["headcount"] == 12
    assert (threads[0] is not threading.main_thread()) is (connection.vendor == "postgresql")
    assert threads[1] is threading.main_thread()
    if connection.vendor == "postgresql":
        # The thread's connection is closed once the diagnosis is done (its server process
        # ends a moment after the client leaves).
        for _ in range(50):
            with connection.cursor() as cursor:
                cursor.execute("SELECT count(*) FROM pg_stat_activity WHERE pid = %s", [backends[0]])
                if cursor.fetchone()[0] == 0:
                    break
            time.sleep(0.1)
        else:
            raise AssertionError("the reading thread left its connection open")
