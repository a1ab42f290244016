"""The knowledge API (mounted at /api/v1/knowledge/): work guides.

- GET /guides: the guides the caller may read (learners: published ones), by id, a page at
  a time by cursor; `map` narrows to one CASS map.
- GET /guides/{id}: a guide with its steps in order (text, tips, mistakes, images as API
  links) and its PDF of the current version, if asked.
- GET /guides/{id}/images/{image_id}: a step's image.
- POST /guides/{id}/pdf: print the guide to PDF in the background (asking again while one
  is queued, running or printed returns that one); GET /guides/{id}/pdf: that job's
  progress; GET /guides/{id}/pdf/file: the PDF once printed.

A guide one may not read answers 404, as an absent one. The process map's endpoints
(GET /maps/{id}/process, …/process/{code_or_id}) are in process_api.py, the case library's
(/cases…) in case_api.py, the product map's (/maps/{id}/products, /products/{id},
/maps/{id}/solutions, /solutions/{id}) in product_api.py, added below.
"""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from casspath.api.auth import api_user
from casspath.api.cursors import cursor_field, cursor_keys
from casspath.api.errors import ApiError, ErrorOut
from casspath.api.schemas import JobOut, job_fields
from casspath.cass.access import access_map_by_id
from casspath.core import paging
from casspath.knowledge import queries
from casspath.knowledge.access import access_guide_by_id, access_image_in_guide, may_edit_guide
from casspath.knowledge.actions.pdf import do_request_guide_pdf
from casspath.knowledge.case_api import router as case_router
from casspath.knowledge.downloads import guide_pdf_name, image_file_response, pdf_file_response
from casspath.knowledge.models import GuidePdf, WorkGuide
from casspath.knowledge.process_api import router as process_router
from casspath.knowledge.product_api import router as product_router

router = Router(tags=["knowledge"])
router.add_router("", process_router)
router.add_router("", case_router)
router.add_router("", product_router)

MAX_PAGE_SIZE = 100
GUIDES_CURSOR_SALT = "casspath.knowledge.api.guides"


class WorkItemRefOut(Schema):
    id: int
    code: str
    name: str


class GuideListedOut(Schema):
    id: int
    title: str
    status: str
    map_id: int
    work_item: WorkItemRefOut
    resource_id: int
    reading_minutes: int
    step_count: int
    image_count: int
    updated_at: datetime


class GuidePageOut(Schema):
    page_size: int
    next_cursor: str | None
    previous_cursor: str | None
    items: list[GuideListedOut]


class GuidesIn(Schema):
    map: int | None = Field(None, description="A CASS map's id: its guides only")
    cursor: str | None = cursor_field()
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class ImageOut(Schema):
    id: int
    url: str
    caption: str
    content_type: str
    width: int
    height: int


class StepOut(Schema):
    number: int
    title: str
    text: str
    tips: list[str] = Field(description="One point an entry")
    mistakes: list[str] = Field(description="One point an entry")
    images: list[ImageOut]


class PdfOut(JobOut):
    page_size: str
    created_at: datetime
    file_url: str | None = Field(description="The PDF, once printed")


class GuideOut(GuideListedOut):
    intro: str
    may_edit: bool
    page_url: str
    steps: list[StepOut]
    pdf: PdfOut | None = Field(description="The PDF of the guide's current version last asked, if any")


class PdfIn(Schema):
    page_size: Literal["A4", "A5"] = "A5"


def _listed(guide: WorkGuide, steps: int, images: int) -> dict:
    item = guide.work_item
    return {"id": guide.pk, "title": guide.title, "status": guide.resource.status,
            "map_id": guide.resource.cass_map_id, "resource_id": guide.resource_id,
            "work_item": {"id": item.pk, "code": item.code, "name": item.name},
            "reading_minutes": guide.resource.duration_minutes, "step_count": steps, "image_count": images,
            "updated_at": guide.updated_at}


@router.get("/guides", response={200: GuidePageOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="Work guides the caller may read")
def list_guides(request, params: Query[GuidesIn]):
    user = api_user(request)
    guides = queries.guides_for(user)
    if params.map is not None:
        guides = guides.filter(resource__cass_map=access_map_by_id(user, params.map))
    after, before = cursor_keys(GUIDES_CURSOR_SALT, params.cursor)
    page = paging.keyset_page(guides, "id", size=params.page_size, after=after, before=before)
    return {
        "page_size": params.page_size,
        **paging.cursor_links(GUIDES_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [_listed(g, g.step_count, g.image_count)  # type: ignore[attr-defined]  # annotated
                  for g in page.rows],
    }


def _pdf(request, guide: WorkGuide, job: GuidePdf | None) -> dict | None:
    if job is None:
        return None
    done = job.status == GuidePdf.Status.SUCCEEDED
    return {**job_fields(job), "page_size": job.page_size, "created_at": job.created_at,
            "file_url": request.build_absolute_uri(reverse("api:knowledge_guide_pdf_file", args=[guide.pk]))
            if done else None}


@router.get("/guides/{guide_id}", response={200: GuideOut, 404: ErrorOut},
            summary="A work guide with its steps and images")
def get_guide(request, guide_id: int):
    user = api_user(request)
    guide = access_guide_by_id(user, guide_id)
    steps = queries.steps_of(guide)

    def image_url(image) -> str:
        return request.build_absolute_uri(reverse("api:knowledge_guide_image", args=[guide.pk, image.pk]))

    return {
        **_listed(guide, len(steps), sum(len(s.images.all()) for s in steps)),
        "intro": guide.intro, "may_edit": may_edit_guide(user, guide),
        "page_url": request.build_absolute_uri(reverse("knowledge:guide", args=[guide.pk])),
        "steps": [{"number": n, "title": s.title, "text": s.text, "tips": s.tip_lines,
                   "mistakes": s.mistake_lines,
                   "images": [{"id": i.pk, "url": image_url(i), "caption": i.caption,
                               "content_type": i.content_type, "width": i.width, "height": i.height}
                              for i in s.images.all()]}
                  for n, s in enumerate(steps, start=1)],
        "pdf": _pdf(request, guide, queries.latest_pdf(guide)),
    }


@router.get("/guides/{guide_id}/images/{image_id}", url_name="knowledge_guide_image",
            response={404: ErrorOut}, summary="A step's image")
def get_guide_image(request, guide_id: int, image_id: int):
    image = access_image_in_guide(access_guide_by_id(api_user(request), guide_id), image_id)
    return image_file_response(image)


@router.post("/guides/{guide_id}/pdf", response={200: PdfOut, 202: PdfOut, 404: ErrorOut, 422: ErrorOut},
             summary="Print a work guide to PDF in the background")
def post_guide_pdf(request, guide_id: int, body: PdfIn):
    """Anyone who may read the guide may ask. Idempotent: while a PDF of the guide's current
    version and this page size is queued, running or printed, the same job is returned.
    202 while it is being printed (follow GET …/pdf), 200 once it is."""
    user = api_user(request)
    guide = access_guide_by_id(user, guide_id)
    job = do_request_guide_pdf(guide, page_size=body.page_size, acting_user=user)
    return Status(200 if job.status == GuidePdf.Status.SUCCEEDED else 202, _pdf(request, guide, job))


@router.get("/guides/{guide_id}/pdf", response={200: PdfOut, 404: ErrorOut},
            summary="The progress of a work guide's PDF")
def get_guide_pdf(request, guide_id: int):
    """404 when no PDF of the guide's current version was asked (POST first)."""
    guide = access_guide_by_id(api_user(request), guide_id)
    job = queries.latest_pdf(guide)
    if job is None:
        raise ApiError(404, "尚未为该指引的当前版本生成 PDF：请先 POST 申请",
                       "No PDF of this guide's current version was asked: POST to ask for one")
    return _pdf(request, guide, job)


@router.get("/guides/{guide_id}/pdf/file", url_name="knowledge_guide_pdf_file",
            response={404: ErrorOut, 409: ErrorOut}, summary="A work guide's printed PDF")
def get_guide_pdf_file(request, guide_id: int):
    guide = access_guide_by_id(api_user(request), guide_id)
    job = queries.latest_pdf(guide)
    if job is None or job.status != GuidePdf.Status.SUCCEEDED:
        raise ApiError(409, "PDF 尚未生成完毕：请先 POST 申请，并在 GET …/pdf 显示 succeeded 后下载",
                       "The PDF is not printed yet: POST to ask for it, and download once GET …/pdf says "
                       "succeeded")
    return pdf_file_response(job, guide_pdf_name(guide))
