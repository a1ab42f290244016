"""The diagnosis as a job (casspath.core.jobs): a computation longer than JOB_STALE_AFTER
keeps beating its heartbeat, so the sweeper does not take it for a dead worker."""

import time
from datetime import date

from casspath.analytics import correlation, distribution
from casspath.core import jobs
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
