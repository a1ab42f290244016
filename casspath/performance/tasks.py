"""Background work of the performance app: tasks take ids and call an action; running one
twice does nothing more."""

import importlib

from huey.contrib.djhuey import db_task, on_startup

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


# What the first diagnosis and the first report load on first use (the command line and
# the web processes import them lazily, to start quickly): SciPy, statsmodels, matplotlib,
# WeasyPrint and Pango. A worker loads them as it starts instead, so that the first
# diagnosis of the day does not wait 5–10 s on "computing" for its libraries.
WARM_MODULES = ("scipy.stats", "statsmodels.regression.linear_model",
                "casspath.performance.report.charts", "weasyprint")


@on_startup()
def load_the_libraries_of_diagnoses() -> None:
    for name in WARM_MODULES:
        importlib.import_module(name)
