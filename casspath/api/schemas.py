"""Shapes several apps' operations share."""

from datetime import datetime

from ninja import Field, Schema

from casspath.core.jobs import Job


class JobOut(Schema):
    """What every background job (core/jobs.py) tells of itself: an operation's job schema
    adds its own fields to these."""

    id: int
    status: str = Field(description="queued, running, succeeded or failed")
    phase: str
    progress_done: int
    progress_total: int
    percent: int
    started_at: datetime | None
    finished_at: datetime | None
    error_zh: str
    error_en: str
    retryable: bool = Field(description="The failure was the machinery's: asking again may work")


def job_fields(job: Job) -> dict:
    """A job's JobOut fields."""
    return {"id": job.pk, "status": job.status, "phase": job.phase, "progress_done": job.progress_done,
            "progress_total": job.progress_total, "percent": job.percent, "started_at": job.started_at,
            "finished_at": job.finished_at, "error_zh": job.error_zh, "error_en": job.error_en,
            "retryable": job.retryable}
