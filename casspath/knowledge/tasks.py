"""Background work of the knowledge app: tasks take ids and call an action; running one
twice does nothing more."""

from huey.contrib.djhuey import db_task

from casspath.knowledge.actions.pdf import do_render_course_pdf, do_render_guide_pdf, do_render_pocketbook


@db_task()
def render_guide_pdf(job_id: int) -> str:
    """Print a queued work guide PDF (knowledge.actions.pdf.do_render_guide_pdf): idempotent."""
    job = do_render_guide_pdf(job_id)
    return job.status if job is not None else "skipped"


@db_task()
def render_course_pdf(job_id: int) -> str:
    """Print a queued course or lecturer manual PDF (knowledge.actions.pdf.do_render_course_pdf)."""
    job = do_render_course_pdf(job_id)
    return job.status if job is not None else "skipped"


@db_task()
def render_pocketbook(job_id: int) -> str:
    """Print a queued pocket book (knowledge.actions.pdf.do_render_pocketbook): idempotent."""
    job = do_render_pocketbook(job_id)
    return job.status if job is not None else "skipped"
