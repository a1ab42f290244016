"""Background imports. The task takes the run's id; running it twice does nothing more."""

from huey.contrib.djhuey import db_task

from casspath.imports.actions import do_execute_import_run


def execute_run(run_id: int) -> str:
    run = do_execute_import_run(run_id)
    return run.status if run is not None else "skipped"


@db_task()
def run_import_task(run_id: int) -> str:
    return execute_run(run_id)


def enqueue(run) -> None:
    """Queue the run's task. Call it after the action that created the run has committed
    (views and the API run without ATOMIC_REQUESTS, so returning from it is enough)."""
    run_import_task(run.pk)
