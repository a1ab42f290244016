"""Work guides, product courses, lecturer manuals and pocket books printed to PDF in the
background (a PrintedPdf job: GuidePdf, CoursePdf, PocketBook; casspath.core.jobs); guides'
and courses' are kept until what they print changes. One way to queue (`queue`) and one print
path (`_render`) serve them all; each names how its document is laid out."""

import logging
from functools import partial

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from casspath.cass.access import access_map_by_id
from casspath.core import audit, jobs
from casspath.core.actors import SystemActor
from casspath.core.errors import BilingualError
from casspath.knowledge import document
from casspath.knowledge.access import access_course_by_id, access_guide_by_id, access_manual_by_course_id
from casspath.knowledge.audit_verbs import KnowledgeVerb
from casspath.knowledge.models import Course, CoursePdf, GuidePdf, PocketBook, PrintedPdf, WorkGuide
from casspath.knowledge.pocketbook_selection import check_selection
from casspath.knowledge.queries import steps_of

logger = logging.getLogger(__name__)

# Phases after the document is laid out (one unit of progress each).
AFTER_LAYOUT = ("printing", "storing")


def _request(
    owner, job_model: type[PrintedPdf], lookup: dict, *, progress_total: int, summary: str, verb, acting_user
) -> PrintedPdf:
    """The PDF of `owner` (locked, with its updated_at the edition) matching `lookup`: the one
    queued, running or printed already, else a new job, audited and sent to the background
    once this commits (asking twice queues once); failed ones of the owner are removed."""
    owner_field = lookup["owner"]
    keys = {owner_field: owner, "edition": owner.updated_at, **lookup["values"]}
    live = job_model._default_manager.filter(**keys).exclude(status=job_model.Status.FAILED).first()
    if live is not None:
        return live
    for failed in job_model._default_manager.filter(**{owner_field: owner}, status=job_model.Status.FAILED):
        transaction.on_commit(partial(delete_files, failed.file.storage, failed.file_names()))
    job = job_model(**keys, progress_total=progress_total)
    return queue(
        job, summary=summary, verb=verb, unit=owner.resource.cass_map.org_unit, acting_user=acting_user
    )


def queue(job: PrintedPdf, *, summary: str, verb, unit, acting_user) -> PrintedPdf:
    """Save a new PDF job (its `progress_total` counts the layout's steps; the phases after
    it are added here) as asked by `acting_user`, audited, sent to the background once this
    commits."""
    job.progress_total += len(AFTER_LAYOUT)
    job.created_by = None if isinstance(acting_user, SystemActor) else acting_user
    job.created_by_label = audit.actor_label(acting_user)
    job.full_clean()
    job.save()
    audit.record(acting_user, verb, job, summary=summary, unit=unit)
    jobs.enqueue(job)
    return job


def do_request_guide_pdf(guide: WorkGuide, *, page_size: str = GuidePdf.PageSize.A5, acting_user) -> GuidePdf:
    """The guide's PDF of its current version and `page_size` (see _request). The caller has
    accessed the guide (read access suffices)."""
    if page_size not in GuidePdf.PageSize.values:
        raise ValueError(f"no page size {page_size!r}")
    with transaction.atomic():
        locked = (
            WorkGuide.objects.select_for_update(of=("self",))
            .select_related("resource__cass_map")
            .get(pk=guide.pk)
        )
        job = _request(
            locked,
            GuidePdf,
            {"owner": "guide", "values": {"page_size": page_size}},
            progress_total=locked.steps.count(),
            summary=f"{locked.title} {page_size}",
            verb=KnowledgeVerb.QUEUE_PDF,
            acting_user=acting_user,
        )
    return job  # type: ignore[return-value]


def do_request_course_pdf(course: Course, document: str, *, acting_user) -> CoursePdf:
    """The course's or its manual's PDF (A4) of its current version (see _request). The caller
    has accessed the course, or its manual for the manual's PDF."""
    if document not in CoursePdf.Document.values:
        raise ValueError(f"no document {document!r}")
    with transaction.atomic():
        locked = (
            Course.objects.select_for_update(of=("self",))
            .select_related("resource__cass_map")
            .get(pk=course.pk)
        )
        job = _request(
            locked,
            CoursePdf,
            {"owner": "course", "values": {"document": document}},
            progress_total=1,
            summary=f"{locked.title} {document}",
            verb=KnowledgeVerb.QUEUE_COURSE_PDF,
            acting_user=acting_user,
        )
    return job  # type: ignore[return-value]


def _render(job_model: type[PrintedPdf], pk: int, layout, gone: BilingualError) -> PrintedPdf | None:
    """Print a queued PDF and keep its file. Idempotent (casspath.core.jobs): a finished one is
    not printed again, a running one is left to its worker. `layout(job, acting_user)` loads
    what to print through access.py (as the one who asked), reports its own progress and
    returns the document and the progress done; an Http404 from it fails the job with `gone`,
    a BilingualError (what it prints is no longer printable) with that error."""
    from django.http import Http404

    job = jobs.claim(job_model, pk)
    if job is None:
        return None
    acting_user = jobs.acting_user_of(job)
    saved = ""
    try:
        text, done = layout(job, acting_user)
        jobs.heartbeat(job, phase="printing", done=done)
        data = document.print_pdf(text)
        jobs.heartbeat(job, phase="storing", done=done + 1)
        delete_files(job.file.storage, job.file_names())
        saved = job.file.storage.save(job.attempt_file_name(job.attempt), ContentFile(data))
        with transaction.atomic():
            locked = jobs.hold(job)
            jobs.set_status(
                locked,
                job_model.Status.SUCCEEDED,
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
        _remove(job, saved)
        if isinstance(exc, Http404):
            return jobs.fail(job, gone, acting_user=acting_user)
        if isinstance(exc, BilingualError):
            return jobs.fail(job, exc, acting_user=acting_user)
        logger.exception("%s %s failed", job_model.__name__, pk)
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


def _layout_guide(job: GuidePdf, acting_user) -> tuple[str, int]:
    guide = access_guide_by_id(acting_user, job.guide_id)
    steps = steps_of(guide)
    jobs.heartbeat(job, phase="images", done=0, total=len(steps) + len(AFTER_LAYOUT))
    text = document.html(
        guide, steps, page_size=job.page_size, on_step=lambda n: jobs.heartbeat(job, phase="images", done=n)
    )
    return text, len(steps)


def _layout_course(job: CoursePdf, acting_user) -> tuple[str, int]:
    if job.document == CoursePdf.Document.MANUAL:
        course = access_manual_by_course_id(acting_user, job.course_id)
    else:
        course = access_course_by_id(acting_user, job.course_id)
    jobs.heartbeat(job, phase="layout", done=0, total=1 + len(AFTER_LAYOUT))
    return document.course_html(course, job.document), 1


def do_render_guide_pdf(pk: int) -> GuidePdf | None:
    return _render(  # type: ignore[return-value]
        GuidePdf,
        pk,
        _layout_guide,
        BilingualError(
            "该工作指引已不存在，或您已无权查看。", "The work guide is gone, or no longer visible to you."
        ),
    )


def do_render_course_pdf(pk: int) -> CoursePdf | None:
    return _render(  # type: ignore[return-value]
        CoursePdf,
        pk,
        _layout_course,
        BilingualError(
            "该课程已不存在，或您已无权查看。", "The course is gone, or no longer visible to you."
        ),
    )


def _layout_pocketbook(job: PocketBook, acting_user) -> tuple[str, int]:
    """The book's items read again as the one who asked (one may have been taken back to
    draft since: the book fails naming it), laid out one by one."""
    cass_map = access_map_by_id(acting_user, job.cass_map_id)
    selection = check_selection(cass_map, acting_user, job.guide_ids, job.product_codes, job.card_ids)
    jobs.heartbeat(job, phase="items", done=0, total=selection.count + len(AFTER_LAYOUT))
    text = document.pocketbook_html(
        job, selection, on_item=lambda n: jobs.heartbeat(job, phase="items", done=n)
    )
    return text, selection.count


def do_render_pocketbook(pk: int) -> PocketBook | None:
    return _render(  # type: ignore[return-value]
        PocketBook,
        pk,
        _layout_pocketbook,
        BilingualError(
            "口袋书所在的 CASS 地图已不存在，或您已无权查看。",
            "The pocket book's CASS map is gone, or no longer visible to you.",
        ),
    )


def delete_files(storage, names) -> None:
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete the private file %s", name, exc_info=True)


def _remove(job: PrintedPdf, name: str) -> None:
    if name:
        job.file.storage.delete(name)
