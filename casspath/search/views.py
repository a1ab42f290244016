"""The results page (/search/?q=…): the box of every page's navbar sends here. Kind tabs,
the filters given as chips (each removable), the hits with their marked snippets (escaped,
then marked: search/queries.py), 20 a page."""

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.http import urlencode
from django.utils.translation import pgettext_lazy

from casspath.search import registry
from casspath.search.queries import search

PAGE = 20
FILTER_LABELS = {
    "step": pgettext_lazy("search", "Process step"),
    "dimension": pgettext_lazy("search", "Dimension"),
    "product": pgettext_lazy("search", "Product"),
    "industry": pgettext_lazy("search", "Industry"),
}


def _link(params: dict, **change) -> str:
    merged = {key: value for key, value in {**params, **change}.items() if value}
    return "?" + urlencode(merged)


@login_required
def results(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[:200]
    kind = request.GET.get("kind", "")
    kind = kind if registry.get(kind) is not None else ""
    filters = {name: request.GET.get(name, "").strip()[:30] for name in registry.FILTERS}
    try:
        page = max(1, min(int(request.GET.get("page", "1")), 50))
    except ValueError:
        page = 1
    params = {"q": query, "kind": kind, **filters}
    hits = (
        search(
            request.user,
            query,
            kinds=[kind] if kind else None,
            filters=filters,
            limit=PAGE + 1,
            offset=(page - 1) * PAGE,
        )
        if query
        else []
    )
    labels = {k.name: k.label for k in registry.kinds()}
    return render(
        request,
        "search/results.html",
        {
            "query": query,
            "kind": kind,
            "hits": [(hit, labels.get(hit.kind, hit.kind)) for hit in hits[:PAGE]],
            "tabs": [
                {"label": label, "url": _link(params, kind=name, page=""), "active": name == kind}
                for name, label in [("", None), *labels.items()]
            ],
            "chips": [
                {
                    "name": name,
                    "label": FILTER_LABELS[name],
                    "code": code,
                    "shown": registry.filter_names(request.user, name, [code]).get(code, code),
                    "url": _link(params, **{name: "", "page": ""}),
                }
                for name, code in filters.items()
                if code
            ],
            "page": page,
            "next_url": _link(params, page=page + 1) if len(hits) > PAGE else "",
            "previous_url": _link(params, page=page - 1 if page > 2 else "") if page > 1 else "",
        },
    )
