"""Background imports. The task takes the run's id; running it twice does nothing more."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

from casspath.core import jobs
from casspath.core.actors import SystemActor
from casspath.imports.actions import do_execute_import_run, do_purge_import_files


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


@db_periodic_task(crontab(minute="23"))
def purge_import_files() -> int:
    """Hourly: uploaded import files past their retention are deleted (actions.py)."""
    return do_purge_import_files(acting_user=SystemActor(label="task:purge_import_files"))
