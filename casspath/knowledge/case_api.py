"""The case library API (mounted with knowledge/api.py at /api/v1/knowledge/), for a phone
app or an intranet portal showing the cases beside its own pages:

- GET /cases: the published cases the caller may read, best first (the library's order,
  casspath.analytics.cases), filtered as the library page is: `map`, `step` (its sub-steps
  with it), `dimension`, `product`, `industry` (id or code), `size`; a page at a time.
  `view=mine` gives the caller's own cases in any status instead, `view=review` the cases
  waiting for his review.
- GET /cases/{id}: one case, its story and parts, tags, author, attachments (as links to
  the access-checked download), useful count and the caller's own mark; its comments only
  to its author and reviewers. It counts the caller as a reader, as the page does.
- POST /cases/{id}/useful, DELETE /cases/{id}/useful: mark it useful (有用) or take the mark
  back; idempotent (the body says whether anything changed).
- DELETE /cases/{id}: delete a case never published (CASE_DISCARDS: its author's draft or one
  he withdraws, a reviewer's submission sent to him); 409 for a published or retired one.

Scoped as the pages: a case the caller may not see (another city's, a draft of another
manager) answers 404, as an absent one. Writes go through the actions the pages use.
"""

from datetime import datetime
from typing import Literal

from django.urls import reverse
from ninja import Field, Query, Router, Schema, Status

from casspath.api.auth import api_user
from casspath.api.errors import ApiError, ErrorOut
from casspath.cass.access import access_map_by_id
from casspath.cass.queries import maps_for
from casspath.knowledge import queries
from casspath.knowledge.access import access_case_by_id, may_read_case_comments
from casspath.knowledge.actions.cases import (
    PARTS,
    CaseError,
    do_discard_case,
    do_mark_case_useful,
    do_record_case_read,
    do_unmark_case_useful,
)
from casspath.knowledge.models import Case, CustomerSize

router = Router(tags=["knowledge"])

MAX_PAGE_SIZE = 100


class TagOut(Schema):
    id: int
    code: str
    name: str


class DimensionTagOut(Schema):
    code: str
    name: str = Field(description="In the map's competency model; '' if it lacks the code")


class CaseListedOut(Schema):
    id: int
    code: str
    title: str
    knowledge_point: str
    status: str
    map_id: int
    author: str = Field(description="The author's name, '' when none is recorded")
    customer_size: str
    picked: bool = Field(description="A reviewer's pick (推荐)")
    published_at: datetime | None
    page_url: str


class CaseRankedOut(CaseListedOut):
    useful_count: int
    reader_count: int


class CasePageOut(Schema):
    total: int
    page: int
    page_size: int
    items: list[CaseRankedOut]


class CasesIn(Schema):
    view: Literal["library", "mine", "review"] = Field(
        "library", description="library: published cases; mine: the caller's own; review: waiting for him"
    )
    map: int | None = Field(None, description="A CASS map's id (library: default the caller's first map)")
    step: str = Field("", description="A process step's id or code: its cases and its sub-steps'")
    dimension: str = Field("", description="A dimension code, e.g. D01")
    product: str = Field("", description="A product's id or code")
    industry: str = Field("", description="An industry's id or code")
    size: Literal["", "micro", "small", "large"] = ""
    page: int = Field(1, ge=1, le=100_000)
    page_size: int = Field(20, ge=1, le=MAX_PAGE_SIZE)


class AttachmentOut(Schema):
    id: int
    name: str
    content_type: str
    size: int
    url: str


class CommentOut(Schema):
    author: str
    text: str
    status: str = Field(description="The case's status when it was written")
    created_at: datetime


class PartOut(Schema):
    part: str = Field(description="background, challenge, actions, result or tools")
    text: str


class CaseOut(CaseListedOut):
    story: str
    parts: list[PartOut] = Field(description="The parts written, in order")
    customer_type: str
    steps: list[TagOut]
    dimensions: list[DimensionTagOut]
    products: list[TagOut]
    industries: list[TagOut]
    attachments: list[AttachmentOut]
    useful_count: int
    marked: bool = Field(description="Whether the caller marked it useful")
    comments: list[CommentOut] | None = Field(
        description="To its author and reviewers; null to other readers"
    )


class UsefulOut(Schema):
    marked: bool
    changed: bool
    useful_count: int


def _author(case: Case) -> str:
    return case.author.name if case.author is not None else ""


def _listed(request, case: Case) -> dict:
    return {
        "id": case.pk,
        "code": case.code,
        "title": case.title,
        "knowledge_point": case.knowledge_point,
        "status": case.status,
        "map_id": case.cass_map_id,
        "author": _author(case),
        "customer_size": case.customer_size,
        "picked": case.picked,
        "published_at": case.published_at,
        "page_url": request.build_absolute_uri(reverse("knowledge:case", args=[case.pk])),
    }


def _pick(rows, value: str):
    """The row a filter names by id or code; None for none named, False for one not there."""
    if not value:
        return None
    return next((row for row in rows if str(row.pk) == value or row.code == value), False)


def _library(user, params: CasesIn) -> list[int]:
    cass_map = access_map_by_id(user, params.map) if params.map is not None else maps_for(user).first()
    if cass_map is None:
        return []
    tags = queries.case_filters(cass_map)
    chosen = {
        "step": _pick(tags["steps"], params.step),
        "product": _pick(tags["products"], params.product),
        "industry": _pick(tags["industries"], params.industry),
    }
    # A filter naming nothing of this map finds nothing (as the page's select would not offer it).
    if False in chosen.values() or (params.dimension and params.dimension not in tags["dimensions"]):
        return []
    size = params.size if params.size in CustomerSize.values else ""
    return queries.case_library(user, cass_map=cass_map, dimension=params.dimension, size=size, **chosen)


@router.get(
    "/cases",
    response={200: CasePageOut, 404: ErrorOut, 422: ErrorOut},
    summary="Published cases best first (or the caller's own, or his review queue)",
)
def list_cases(request, params: Query[CasesIn]):
    user = api_user(request)
    start = (params.page - 1) * params.page_size
    shown: list[Case]
    if params.view == "library":
        ranked = _library(user, params)  # ids best first: only the page's rows are loaded
        total, shown = len(ranked), queries.in_order(ranked[start : start + params.page_size])
    else:
        found = queries.my_cases(user) if params.view == "mine" else list(queries.review_queue(user))
        total, shown = len(found), found[start : start + params.page_size]
    return {
        "total": total,
        "page": params.page,
        "page_size": params.page_size,
        "items": [
            {
                **_listed(request, c),
                "useful_count": getattr(c, "useful_count", 0),
                "reader_count": getattr(c, "reader_count", 0),
            }
            for c in shown
        ],
    }


@router.get("/cases/{case_id}", response={200: CaseOut, 404: ErrorOut}, summary="A case with its story")
def get_case(request, case_id: int):
    user = api_user(request)
    case = access_case_by_id(user, case_id)
    do_record_case_read(case, acting_user=user)  # a reader in an app reads as on the page
    detail = queries.case_detail(case, user)
    names = queries.case_form_tags(case.cass_map)["dimensions"]
    return {
        **_listed(request, case),
        "story": case.story,
        "parts": [{"part": part, "text": getattr(case, part)} for part in PARTS if getattr(case, part)],
        "customer_type": case.customer_type,
        "steps": [{"id": s.pk, "code": s.code, "name": s.name} for s in detail["steps"]],
        "dimensions": [{"code": code, "name": names.get(code, "")} for code in case.dimension_codes],
        "products": [{"id": p.pk, "code": p.code, "name": p.name} for p in detail["products"]],
        "industries": [{"id": i.pk, "code": i.code, "name": i.name} for i in detail["industries"]],
        "attachments": [
            {
                "id": a.pk,
                "name": a.name,
                "content_type": a.content_type,
                "size": a.size,
                "url": request.build_absolute_uri(reverse("knowledge:case_attachment", args=[case.pk, a.pk])),
            }
            for a in detail["attachments"]
        ],
        "useful_count": detail["useful_count"],
        "marked": detail["marked"],
        "comments": [
            {
                "author": c.author_label or (c.author.get_full_name() if c.author else ""),
                "text": c.text,
                "status": c.status,
                "created_at": c.created_at,
            }
            for c in detail["comments"]
        ]
        if may_read_case_comments(user, case)
        else None,
    }


def _useful(case: Case, user, changed: bool) -> dict:
    detail = queries.case_detail(case, user)
    return {"marked": detail["marked"], "changed": changed, "useful_count": detail["useful_count"]}


@router.post(
    "/cases/{case_id}/useful",
    response={200: UsefulOut, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Mark a published case useful (有用); marking twice changes nothing",
)
def mark_useful(request, case_id: int):
    user = api_user(request)
    case = access_case_by_id(user, case_id)
    try:
        changed = do_mark_case_useful(case, acting_user=user)
    except CaseError as refused:  # not published, or his own case
        raise ApiError(409, refused.message_zh, refused.message_en) from None
    return _useful(case, user, changed)


@router.delete(
    "/cases/{case_id}/useful", response={200: UsefulOut, 404: ErrorOut}, summary="Take one's useful mark back"
)
def unmark_useful(request, case_id: int):
    user = api_user(request)
    case = access_case_by_id(user, case_id)
    return _useful(case, user, do_unmark_case_useful(case, acting_user=user))


@router.delete(
    "/cases/{case_id}",
    response={204: None, 403: ErrorOut, 404: ErrorOut, 409: ErrorOut},
    summary="Delete a case never published: its author's, or one sent to the reviewer (CASE_DISCARDS)",
)
def discard_case(request, case_id: int):
    user = api_user(request)
    case = access_case_by_id(user, case_id)
    try:
        do_discard_case(case, acting_user=user)
    except CaseError as refused:  # published or retired: retire it instead
        raise ApiError(409, refused.message_zh, refused.message_en) from None
    return Status(204, None)
