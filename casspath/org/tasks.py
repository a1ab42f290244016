"""Background work of the org app. Tasks take ids and call an action; running one twice
does nothing more."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from casspath.core import jobs
from casspath.core.actors import SystemActor
from casspath.org.actions.login_files import do_purge_login_files
from casspath.org.actions.logins import do_run_login_batch
from casspath.org.models import LoginBatch


@db_task()
def issue_logins(batch_id: int) -> str:
    """Run a queued login batch (org.actions.logins.do_run_login_batch): idempotent, so a retry or
    a duplicate delivery of the message issues nothing twice."""
    batch = do_run_login_batch(batch_id)
    return batch.status if batch is not None else "skipped"


def enqueue_issue_logins(batch: LoginBatch) -> None:
    """Queue the batch's task once the action that queued it has committed; when the queue
    cannot be reached the batch fails at once, with the reason (casspath.core.jobs.enqueue)."""
    jobs.enqueue(batch)


@db_periodic_task(crontab(minute="17"))
def purge_login_files() -> int:
    """Hourly: issued-logins files nobody downloaded are deleted once they expire."""
    return do_purge_login_files(acting_user=SystemActor(label="task:purge_login_files"))
