"""Background work of the org app. Tasks take ids and call an action; running one twice
does nothing more."""

import logging

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from casspath.core.actors import SystemActor
from casspath.org.actions.login_files import do_purge_login_files
from casspath.org.actions.logins import do_fail_login_batch, do_run_login_batch
from casspath.org.models import LoginBatch

logger = logging.getLogger(__name__)


@db_task()
def issue_logins(batch_id: int) -> str:
    """Run a queued login batch (org.actions.logins.do_run_login_batch): idempotent, so a retry or
    a duplicate delivery of the message issues nothing twice."""
    batch = do_run_login_batch(batch_id)
    return batch.status if batch is not None else "skipped"


def enqueue_issue_logins(batch: LoginBatch) -> None:
    """Queue the batch's task. Call it once the action that queued the batch has committed
    (views run without ATOMIC_REQUESTS, so returning from it is enough). When the queue
    cannot be reached the batch fails at once, with the reason, instead of waiting forever."""
    try:
        issue_logins(batch.pk)
    except Exception as exc:
        logger.exception("could not enqueue login batch %s", batch.pk)
        do_fail_login_batch(
            batch.pk,
            reason_zh="无法把签发任务加入后台队列，未签发任何登录。请稍后重新签发。",
            reason_en=f"The batch could not be queued for the background worker ({type(exc).__name__}); "
                      "no login was issued. Issue the logins again later.",
            acting_user=batch.created_by or SystemActor(label=batch.created_by_label),
        )


@db_periodic_task(crontab(minute="17"))
def purge_login_files() -> int:
    """Hourly: issued-logins files nobody downloaded are deleted once they expire."""
    return do_purge_login_files(acting_user=SystemActor(label="task:purge_login_files"))
