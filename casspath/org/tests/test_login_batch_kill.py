"""A real consumer killed with SIGKILL while it writes a login batch (hole 1.5): no login
is half-issued, the batch is resumed by the next consumer, and no login is issued twice.
Runs on the configured database (SQLite file or PostgreSQL)."""

from pathlib import Path

import pytest

from casspath.core import jobs
from casspath.core.models import AuditEvent, User
from casspath.org.actions.logins import do_queue_issue_logins
from casspath.org.models import LoginBatch
from casspath.org.tasks import enqueue_issue_logins
from casspath.testing import build_world, make_employee

pytestmark = pytest.mark.slow


def test_it_resumes_a_batch_whose_consumer_was_killed_and_issues_each_login_once(consumers, settings):
    world = build_world()
    make_employee("E0003", "新经理", world.team_a)
    batch = do_queue_issue_logins(world.city_a, acting_user=world.city_admin_a)
    enqueue_issue_logins(batch)
    first = consumers.start(pause="logins.written")
    assert consumers.wait_until_paused(first) == "logins.written"
    consumers.kill(first)
    batch.refresh_from_db()
    assert (batch.status, batch.attempt, batch.count) == ("running", 1, 0)
    assert not User.objects.filter(username__in=["E0002", "E0003"]).exists()  # died with it
    assert not list(Path(settings.PRIVATE_FILES_DIR, "logins").glob("*.xlsx"))

    settings.JOB_STALE_AFTER = 0
    assert jobs.sweep() == {"requeued": 1, "failed": 0, "resent": 0}
    second = consumers.start()

    def finished() -> bool:
        batch.refresh_from_db()
        return batch.is_finished

    consumers.wait_until(finished, second)
    assert (batch.status, batch.attempt, batch.count) == ("succeeded", 2, 2)
    assert User.objects.filter(username__in=["E0002", "E0003"]).count() == 2
    assert AuditEvent.objects.filter(verb="org.issue_logins", object_id=str(batch.pk)).count() == 1
    assert len(list(Path(settings.PRIVATE_FILES_DIR, "logins").glob("*.xlsx"))) == 1
    assert LoginBatch.objects.get(pk=batch.pk).file_name
