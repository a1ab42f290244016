"""Background work of the job machinery itself (casspath.core.jobs)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from casspath.core import jobs


@db_periodic_task(crontab(minute="*"))
def sweep_jobs() -> dict[str, int]:
    """Every minute: requeue or fail the jobs whose worker died (see jobs.sweep)."""
    return jobs.sweep()
