"""The search API (mounted at /api/v1/search/): GET /api/v1/search/?q=…&kind=…&step=…
&dimension=…&product=…&industry=…&limit=…&offset=…: the hits the caller may see, best first,
as `casspath search --json` prints them (kind, code, title, score, snippet: escaped text with
the terms in <mark>; and the object's id and page URL), and `next_offset` when there may be
more. `kind` may be repeated."""

from ninja import Field, Query, Router, Schema

from casspath.api.auth import api_user
from casspath.api.errors import ErrorOut
from casspath.search.queries import MAX_LIMIT, search

router = Router(tags=["search"])


class SearchIn(Schema):
    q: str = Field("", max_length=200, description="The words to find (Chinese or not): every one")
    kind: list[str] = Field(default_factory=list, description="case, product, guide, card (all by default)")
    step: str = Field("", max_length=30, description="A process step's code (a phase finds its steps too)")
    dimension: str = Field("", max_length=30)
    product: str = Field("", max_length=30)
    industry: str = Field("", max_length=30)
    limit: int = Field(20, ge=1, le=MAX_LIMIT)
    offset: int = Field(0, ge=0, le=10_000)


class HitOut(Schema):
    kind: str
    code: str
    title: str
    score: float
    snippet: str = Field(description="HTML: the text escaped, the terms in <mark>")
    id: int
    url: str = Field(description="The hit's page, empty when it has none")


class SearchOut(Schema):
    query: str
    hits: list[HitOut]
    next_offset: int | None


@router.get("/", response={200: SearchOut, 401: ErrorOut, 422: ErrorOut}, summary="Full-text search")
def search_endpoint(request, params: Query[SearchIn]):
    user = api_user(request)
    filters = {
        "step": params.step,
        "dimension": params.dimension,
        "product": params.product,
        "industry": params.industry,
    }
    hits = search(
        user,
        params.q,
        kinds=params.kind or None,
        filters=filters,
        limit=params.limit + 1,
        offset=params.offset,
    )
    more = len(hits) > params.limit
    return {
        "query": params.q,
        "hits": [hit.as_json() for hit in hits[: params.limit]],
        "next_offset": params.offset + params.limit if more else None,
    }
