"""Background work of the performance app: tasks take ids and call an action; running one
twice does nothing more."""

from huey.contrib.djhuey import db_task

from casspath.performance.actions import do_render_report, do_run_diagnosis


@db_task()
def run_diagnosis(snapshot_id: int) -> str:
    """Run a queued diagnosis (performance.actions.do_run_diagnosis): idempotent."""
    snapshot = do_run_diagnosis(snapshot_id)
    return snapshot.status if snapshot is not None else "skipped"


@db_task()
def render_report(report_id: int) -> str:
    """Print a queued diagnosis report (performance.actions.do_render_report): idempotent."""
    report = do_render_report(report_id)
    return report.status if report is not None else "skipped"
