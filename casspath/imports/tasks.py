"""Background imports. The task takes the run's id; running it twice does nothing more."""

from huey.contrib.djhuey import db_task

from casspath.core import jobs
from casspath.imports.actions import do_execute_import_run


def execute_run(run_id: int) -> str:
    run = do_execute_import_run(run_id)
    return run.status if run is not None else "skipped"


@db_task()
def run_import_task(run_id: int) -> str:
    return execute_run(run_id)


def enqueue(run) -> None:
    """Queue the run's task once the action that created it has committed; when the queue
    cannot be reached the run fails at once, with the reason (casspath.core.jobs.enqueue)."""
    jobs.enqueue(run)
