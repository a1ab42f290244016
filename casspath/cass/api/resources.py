"""The cass API's learning resources (mounted at /api/v1/cass/).

- GET /maps/{map_id}/resources: a map's library as its page lists it (learners: published
  resources only; editors also drafts and retired ones), filtered, in code order, a page at
  a time by cursor.
- GET /resources/{id}: one resource with its skills, work items and key actions, its media
  and poster (as API links), the caller's progress in it, and for a Q&A card its question,
  answer and SMS length.
- GET /resources/{id}/media and /poster: the file itself, in byte ranges (206) so that a
  player seeks, under the API's authentication (a token works, unlike the page's links).
- PUT /resources/{id}/progress: where the caller's player is (idempotent: the furthest point
  and completion never go back).
- GET /maps/{map_id}/cards: a map's Q&A cards, filtered as the cards page.

A resource one may not see answers 404, as an absent one.
"""

import mimetypes
from datetime import datetime

from django.urls import reverse
from ninja import Field, Query, Router, Schema

from casspath.analytics.sms import sms_length
from casspath.api.auth import api_user
from casspath.api.cursors import cursor_field, cursor_keys
from casspath.api.errors import ApiError, ErrorOut
from casspath.cass.access import access_map_by_id, access_resource_by_id, may_edit_map
from casspath.cass.actions.media import do_record_media_progress
from casspath.cass.models import MEDIA_KINDS, Device, Resource, ResourceKind, ResourceStatus, StudyMode
from casspath.cass.queries import (
    CardFilters,
    ResourceFilters,
    cards_of_map,
    library,
    map_dimensions,
    my_media_progress,
    resource_page,
)
from casspath.core import paging
from casspath.core.errors import BilingualError
from casspath.core.ranges import stored_file_response

router = Router(tags=["cass"])

MAX_PAGE_SIZE = 100
RESOURCES_CURSOR_SALT = "casspath.cass.api.resources"
CARDS_CURSOR_SALT = "casspath.cass.api.cards"


class SkillOut(Schema):
    dimension: str
    name: str  # in the competency model that applies to the map; "" when it has no such code
    level: int


class ResourceListedOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    status: str
    duration_minutes: int
    devices: list[str]
    study_modes: list[str]
    skills: list[SkillOut]
    has_media: bool


class ResourcePageOut(Schema):
    page_size: int
    next_cursor: str | None = Field(description="Pass as cursor for the next page; null on the last")
    previous_cursor: str | None = Field(description="Pass as cursor for the previous page; null on the first")
    items: list[ResourceListedOut]


def _choice(description: str, choices) -> str:
    return f"{description}: one of {', '.join(choices)}; anything else is refused (400)"


class LibraryIn(Schema):
    kind: str = Field("", description=_choice("Kind", ResourceKind.values))
    status: str = Field("", description=_choice("Status (editors of the map only)", ResourceStatus.values))
    dimension: str = Field("", max_length=10, description="Dimension code (D01): resources teaching it")
    mode: str = Field("", description=_choice("Study mode", StudyMode.values))
    device: str = Field("", description=_choice("Device", Device.values))
    cursor: str | None = cursor_field()
    page_size: int = Field(25, ge=1, le=MAX_PAGE_SIZE)


class CardsIn(Schema):
    q: str = Field("", max_length=100, description="Text in the question, answer, code or product code")
    dimension: str = Field("", max_length=10, description="Dimension code (D01)")
    item: str = Field("", max_length=20, description="Work item code (W01)")
    tag: str = Field("", max_length=30, description="A tag, exactly")
    cursor: str | None = cursor_field()
    page_size: int = Field(50, ge=1, le=MAX_PAGE_SIZE)


class WorkItemRefOut(Schema):
    id: int
    code: str
    name: str


class KeyActionRefOut(Schema):
    id: int
    code: str
    name: str
    work_item_code: str


class MediaOut(Schema):
    url: str = Field(description="The file, in byte ranges, under the API's authentication")
    content_type: str
    bytes: int | None
    seconds: float | None
    poster_url: str | None


class ProgressOut(Schema):
    position_seconds: float
    furthest_seconds: float
    completed: bool
    completed_at: datetime | None


class SmsOut(Schema):
    encoding: str = Field(description="gsm7 or ucs2: how a phone sends the answer")
    length: int = Field(description="Septets (gsm7) or UTF-16 code units (ucs2)")
    limit: int = Field(description="What one message holds in that encoding")
    parts: int = Field(description="Messages the answer takes")
    fits_one: bool


class QACardOut(Schema):
    question: str
    answer: str
    product_code: str
    tags: list[str]
    sms: SmsOut


class CardListedOut(Schema):
    id: int
    code: str
    status: str
    question: str
    answer: str
    product_code: str
    tags: list[str]
    skills: list[SkillOut]
    work_items: list[str]
    sms_parts: int


class CardPageOut(Schema):
    page_size: int
    next_cursor: str | None
    previous_cursor: str | None
    items: list[CardListedOut]


class ResourceDetailOut(Schema):
    id: int
    code: str
    title: str
    kind: str
    status: str
    summary: str
    body: str
    duration_minutes: int
    devices: list[str]
    study_modes: list[str]
    map_id: int
    skills: list[SkillOut]
    work_items: list[WorkItemRefOut]
    key_actions: list[KeyActionRefOut]
    media: MediaOut | None
    progress: ProgressOut | None = Field(description="The caller's, in a video or audio he started")
    qa_card: QACardOut | None
    page_url: str
    may_edit: bool
    published_at: datetime | None
    updated_at: datetime


class ProgressIn(Schema):
    position: float = Field(ge=0, le=10 * 3600, description="Seconds from the start")
    ended: bool = Field(False, description="The player reached the end")


def _picked(value: str, choices, what_zh: str, what_en: str) -> str:
    """`value` when it is one of `choices` (or ""), else a 400 naming it: the page drops an
    unknown filter, an API caller is told."""
    if value and value not in choices:
        raise ApiError(400, f"{what_zh}无效：{value}（可选：{'、'.join(choices)}）",
                       f"Unknown {what_en}: {value} (one of {', '.join(choices)})")
    return value


def _skills(resource: Resource, names: dict[str, str]) -> list[dict]:
    return [{"dimension": s.dimension_code, "name": names.get(s.dimension_code, ""), "level": s.level}
            for s in resource.skills.all()]


@router.get("/maps/{map_id}/resources", response={200: ResourcePageOut, 400: ErrorOut, 404: ErrorOut,
                                                 422: ErrorOut},
            summary="A CASS map's learning resources, filtered and paginated")
def list_resources(request, map_id: int, params: Query[LibraryIn]):
    """In code order, `page_size` at a time: follow `next_cursor`. Learners get published
    resources only; `status` is for editors of the map (anyone else is refused, 400)."""
    user = api_user(request)
    cass_map = access_map_by_id(user, map_id)
    may_edit = may_edit_map(user, cass_map)
    if params.status and not may_edit:
        raise ApiError(400, "只有可编辑该地图的人可以按状态筛选",
                       "Only editors of the map may filter by status")
    dimension = params.dimension.strip().upper()
    filters = ResourceFilters(
        kind=_picked(params.kind, ResourceKind.values, "资源类型", "kind"),
        status=_picked(params.status, ResourceStatus.values, "状态", "status"),
        dimension=dimension, mode=_picked(params.mode, StudyMode.values, "学习模式", "study mode"),
        device=_picked(params.device, Device.values, "设备", "device"))
    after, before = cursor_keys(RESOURCES_CURSOR_SALT, params.cursor)
    page = paging.keyset_page(library(user, cass_map, filters), "code", size=params.page_size,
                              after=after, before=before)
    names = map_dimensions(cass_map)
    return {
        "page_size": params.page_size,
        **paging.cursor_links(RESOURCES_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [{"id": r.pk, "code": r.code, "title": r.title, "kind": r.kind, "status": r.status,
                   "duration_minutes": r.duration_minutes, "devices": r.devices, "study_modes": r.study_modes,
                   "skills": _skills(r, names), "has_media": bool(r.media)} for r in page.rows],
    }


def _api_url(request, name: str, resource: Resource) -> str:
    return request.build_absolute_uri(reverse(f"api:{name}", args=[resource.pk]))


def _media(request, resource: Resource) -> dict | None:
    if resource.kind not in MEDIA_KINDS or not resource.media:
        return None
    return {"url": _api_url(request, "cass_resource_media", resource),
            "content_type": resource.media_type, "bytes": resource.media_bytes,
            "seconds": resource.media_seconds,
            "poster_url": _api_url(request, "cass_resource_poster", resource) if resource.poster else None}


def _progress(progress) -> dict | None:
    if progress is None:
        return None
    return {"position_seconds": progress.position_seconds, "furthest_seconds": progress.furthest_seconds,
            "completed": progress.completed, "completed_at": progress.completed_at}


def _sms(answer: str) -> dict:
    count = sms_length(answer)
    return {"encoding": count.encoding, "length": count.length, "limit": count.limit, "parts": count.parts,
            "fits_one": count.fits_one}


@router.get("/resources/{resource_id}", response={200: ResourceDetailOut, 404: ErrorOut},
            summary="One learning resource, with its media and the caller's progress")
def get_resource(request, resource_id: int):
    user = api_user(request)
    resource = resource_page(access_resource_by_id(user, resource_id))
    card = getattr(resource, "qa_card", None) if resource.kind == ResourceKind.QA_CARD else None
    return {
        "id": resource.pk, "code": resource.code, "title": resource.title, "kind": resource.kind,
        "status": resource.status, "summary": resource.summary, "body": resource.body,
        "duration_minutes": resource.duration_minutes, "devices": resource.devices,
        "study_modes": resource.study_modes, "map_id": resource.cass_map_id,
        "skills": _skills(resource, map_dimensions(resource.cass_map)),
        "work_items": [{"id": i.pk, "code": i.code, "name": i.name} for i in resource.work_items.all()],
        "key_actions": [{"id": a.pk, "code": a.code, "name": a.name, "work_item_code": a.work_item.code}
                        for a in resource.key_actions.all()],
        "media": _media(request, resource),
        "progress": _progress(my_media_progress(user, resource) if resource.kind in MEDIA_KINDS else None),
        "qa_card": ({"question": card.question, "answer": card.answer, "product_code": card.product_code,
                     "tags": card.tags, "sms": _sms(card.answer)} if card is not None else None),
        "page_url": request.build_absolute_uri(reverse("cass:resource_detail", args=[resource.pk])),
        "may_edit": may_edit_map(user, resource.cass_map),
        "published_at": resource.published_at, "updated_at": resource.updated_at,
    }


# The files themselves: not JSON, so no response schema; the refusals are the API's JSON.
@router.api_operation(["GET", "HEAD"], "/resources/{resource_id}/media", url_name="cass_resource_media",
                      response={404: ErrorOut}, summary="A video's or audio's file, in byte ranges")
def get_resource_media(request, resource_id: int):
    """200 with the whole file, or 206 with the one range a `Range` header asks
    (`bytes=first-last`, `bytes=first-`, `bytes=-suffix`); 416 for a range past the end."""
    resource = access_resource_by_id(api_user(request), resource_id)
    if resource.kind not in MEDIA_KINDS:
        raise ApiError(404, "该资源不是音视频", "This resource is not a video or audio")
    return stored_file_response(request, resource.media, resource.media_type or "application/octet-stream",
                                size=resource.media_bytes)


@router.api_operation(["GET", "HEAD"], "/resources/{resource_id}/poster", url_name="cass_resource_poster",
                      response={404: ErrorOut}, summary="A video's poster image")
def get_resource_poster(request, resource_id: int):
    resource = access_resource_by_id(api_user(request), resource_id)
    content_type = mimetypes.guess_type(resource.poster.name or "")[0] or "application/octet-stream"
    return stored_file_response(request, resource.poster, content_type)


@router.put("/resources/{resource_id}/progress", response={200: ProgressOut, 400: ErrorOut, 404: ErrorOut,
                                                          422: ErrorOut},
            summary="Record where the caller is in a video or audio")
def put_progress(request, resource_id: int, body: ProgressIn):
    """The caller must be an employee (his progress is his own). A position past the end
    counts as the end; the furthest point and completion never go back, so sending the same
    position twice changes nothing."""
    user = api_user(request)
    resource = access_resource_by_id(user, resource_id)
    try:
        progress = do_record_media_progress(resource, position=body.position, ended=body.ended,
                                            acting_user=user)
    except BilingualError as refused:
        raise ApiError(400, refused.message_zh, refused.message_en) from None
    return _progress(progress)


@router.get("/maps/{map_id}/cards", response={200: CardPageOut, 400: ErrorOut, 404: ErrorOut, 422: ErrorOut},
            summary="A CASS map's Q&A cards, filtered and paginated")
def list_cards(request, map_id: int, params: Query[CardsIn]):
    """In code order, `page_size` at a time (follow `next_cursor`); learners get published
    cards only. `sms_parts` is how many text messages the answer takes."""
    user = api_user(request)
    cass_map = access_map_by_id(user, map_id)
    filters = CardFilters(q=params.q.strip(), dimension=params.dimension.strip().upper(),
                          work_item=params.item.strip(), tag=params.tag.strip())
    after, before = cursor_keys(CARDS_CURSOR_SALT, params.cursor)
    page = paging.keyset_page(cards_of_map(user, cass_map, filters), "code", size=params.page_size,
                              after=after, before=before)
    names = map_dimensions(cass_map)
    return {
        "page_size": params.page_size,
        **paging.cursor_links(CARDS_CURSOR_SALT, page.next_key, page.previous_key),
        "items": [{"id": r.pk, "code": r.code, "status": r.status, "question": r.qa_card.question,
                   "answer": r.qa_card.answer, "product_code": r.qa_card.product_code, "tags": r.qa_card.tags,
                   "skills": _skills(r, names), "work_items": [i.code for i in r.work_items.all()],
                   "sms_parts": sms_length(r.qa_card.answer).parts} for r in page.rows],
    }
