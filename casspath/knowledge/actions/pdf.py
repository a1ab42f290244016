"""A work guide printed to PDF in the background (a GuidePdf job, casspath.core.jobs) and
kept until the guide changes."""

import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from casspath.core import audit, jobs
from casspath.core.actors import SystemActor
from casspath.core.errors import BilingualError
from casspath.knowledge import document
from casspath.knowledge.access import access_guide_by_id
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import GuidePdf, WorkGuide
from casspath.knowledge.queries import steps_of

logger = logging.getLogger(__name__)

# Phases after the steps' images are read (one unit of progress each).
AFTER_STEPS = ("printing", "storing")


def do_request_guide_pdf(guide: WorkGuide, *, page_size: str = GuidePdf.PageSize.A5, acting_user) -> GuidePdf:
    """The guide's PDF of its current version and `page_size`: the one queued, running or
    printed already, else a new job, audited and sent to the background once this commits
    (asking twice queues once). The caller has accessed the guide (read access suffices)."""
    if page_size not in GuidePdf.PageSize.values:
        raise ValueError(f"no page size {page_size!r}")
    with transaction.atomic():
        locked = WorkGuide.objects.select_for_update(of=("self",)).get(pk=guide.pk)
        live = (
            GuidePdf.objects.filter(guide=locked, edition=locked.updated_at, page_size=page_size)
            .exclude(status=GuidePdf.Status.FAILED)
            .first()
        )
        if live is not None:
            return live
        for failed in GuidePdf.objects.filter(guide=locked, status=GuidePdf.Status.FAILED):
            transaction.on_commit(partial(delete_files, failed.file.storage, failed.file_names()))
        job = GuidePdf(
            guide=locked,
            edition=locked.updated_at,
            page_size=page_size,
            progress_total=locked.steps.count() + len(AFTER_STEPS),
            created_by=None if isinstance(acting_user, SystemActor) else acting_user,
            created_by_label=audit.actor_label(acting_user),
        )
        job.full_clean()
        job.save()
        audit.record(
            acting_user,
            KnowledgeVerb.QUEUE_PDF,
            job,
            summary=f"{locked.title} {page_size}",
            unit=guide.resource.cass_map.org_unit,
        )
        jobs.enqueue(job)
    return job


def do_render_guide_pdf(pk: int) -> GuidePdf | None:
    """Print a queued guide PDF and keep its file. Idempotent (casspath.core.jobs): a finished
    one is not printed again, a running one is left to its worker."""
    job = jobs.claim(GuidePdf, pk)
    if job is None:
        return None
    acting_user = jobs.acting_user_of(job)
    saved = ""
    try:
        guide = access_guide_by_id(acting_user, job.guide_id)
        steps = steps_of(guide)
        jobs.heartbeat(job, phase="images", done=0, total=len(steps) + len(AFTER_STEPS))
        text = document.html(
            guide,
            steps,
            page_size=job.page_size,
            on_step=lambda n: jobs.heartbeat(job, phase="images", done=n),
        )
        jobs.heartbeat(job, phase="printing", done=len(steps))
        data = document.print_pdf(text)
        jobs.heartbeat(job, phase="storing", done=len(steps) + 1)
        delete_files(job.file.storage, job.file_names())
        saved = job.file.storage.save(job.attempt_file_name(job.attempt), ContentFile(data))
        with transaction.atomic():
            locked = jobs.hold(job)
            jobs.set_status(
                locked,
                GuidePdf.Status.SUCCEEDED,
                file=saved,
                progress_done=locked.progress_total,
                finished_at=timezone.now(),
                heartbeat_at=timezone.now(),
            )
        return locked
    except jobs.JobLost:
        _remove(job, saved)
        return None
    except Exception as exc:
        from django.http import Http404

        _remove(job, saved)
        if isinstance(exc, Http404):
            return jobs.fail(
                job,
                BilingualError(
                    "该工作指引已不存在，或您已无权查看。",
                    "The work guide is gone, or no longer visible to you.",
                ),
                acting_user=acting_user,
            )
        logger.exception("guide PDF %s failed", pk)
        return jobs.fail(
            job,
            BilingualError(
                "生成 PDF 时发生内部错误，未保存任何文件。请稍后重试，或联系系统管理员。",
                "An internal error stopped printing the PDF; no file was kept. Try again later, or tell the "
                "system administrator.",
            ),
            retryable=True,
            acting_user=acting_user,
        )


def delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete the private file %s", name, exc_info=True)


def _remove(job: GuidePdf, name: str) -> None:
    if name:
        job.file.storage.delete(name)
