"""The one search interface the CLI, the API and the results page call:
`search(user, query, kinds=..., filters=..., limit=...)` → the hits, best first.

The query is cut into terms (tokens.query_terms), each of which a hit holds. Scope: for
each kind asked, the index's documents are joined to the ids of the objects the user may
see (the kind's `visible_q(user)`, from its app's access.py, compiled into the same SQL
statement), so a hit he may not see is neither shown nor counted; an unrestricted user's
visible filter is empty and the join is left out. Filters narrow to documents tagged with
every code given (a step also matches its sub-steps: a case's builder tags a sub-step's
parent too).

Snippets: the display text (the original, not the index's words) around the first place
with the most terms, escaped, then the terms wrapped in <mark>: HTML safe to show as it is
(a case's story holding `<script>` is shown as text). Only the hits of the page are marked.
"""

import html
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass

from django.core.exceptions import EmptyResultSet
from django.db.models import Q
from django.utils.safestring import SafeString, mark_safe

from casspath.search import ranking, registry, tokens

MAX_LIMIT = 100
SNIPPET_CHARS = 90
SNIPPET_BEFORE = 20


@dataclass
class Hit:
    kind: str
    obj_id: int
    code: str
    title: str
    score: float
    snippet: SafeString  # escaped text, the terms in <mark>
    title_marked: SafeString
    url: str

    def as_json(self) -> dict:
        return {
            "kind": self.kind,
            "code": self.code,
            "title": self.title,
            "score": round(self.score, 6),
            "snippet": str(self.snippet),
            "id": self.obj_id,
            "url": self.url,
        }


def _pattern(terms: Sequence[str]) -> re.Pattern:
    # Longest first: 中国移动 is marked whole, not as 中国 then the rest.
    return re.compile("|".join(re.escape(term) for term in sorted(terms, key=len, reverse=True)))


def _spans(text: str, terms: Sequence[str]) -> list[tuple[int, int]]:
    """Where the terms occur in `text` (folded as the index folds), adjacent ones joined."""
    merged: list[tuple[int, int]] = []
    if not terms:
        return merged
    for start, end in (m.span() for m in _pattern(terms).finditer(tokens.fold(text))):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mark(text: str, terms: Sequence[str], spans: list[tuple[int, int]] | None = None) -> SafeString:
    """`text` escaped, with the terms' occurrences in <mark>."""
    spans = _spans(text, terms) if spans is None else spans
    out, at = [], 0
    for start, end in spans:
        out += [html.escape(text[at:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        at = end
    out.append(html.escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def snippet(text: str, terms: Sequence[str], width: int = SNIPPET_CHARS) -> SafeString:
    """A window of `text` of about `width` characters around its terms, marked."""
    text = " ".join(text.split())
    spans = _spans(text, terms)
    if not spans:
        start = 0
    else:
        # The window holding the most occurrences, from one occurrence on (the first 50).
        best, start = -1, 0
        for first, _end in spans[:50]:
            inside = sum(1 for s, e in spans if s >= first and e <= first + width)
            if inside > best:
                best, start = inside, first
        start = max(0, start - SNIPPET_BEFORE)
    end = min(len(text), start + width)
    window = [(s - start, e - start) for s, e in spans if s >= start and e <= end]
    body = mark(text[start:end], terms, window)
    return mark_safe(("…" if start else "") + body + ("…" if end < len(text) else ""))  # noqa: S308


def _visible_sql(kind: registry.Kind, user) -> tuple[str | None, list] | None:
    """The SQL of the ids of the kind's objects the user may see; (None, []) for all of
    them; None for none."""
    visible: Q = kind.visible_q(user)
    if not visible:  # Q(): every object of the kind
        return None, []
    queryset = kind.model._default_manager.filter(visible).values("pk").order_by()
    try:
        sql, params = queryset.query.sql_with_params()
    except EmptyResultSet:  # a filter that matches nothing (Q(pk__in=[]))
        return None
    return sql, list(params)


def tags_of(filters: Mapping[str, str | None] | None) -> list[str]:
    tags = []
    for name in registry.FILTERS:
        code = (filters or {}).get(name)
        if code:
            tags.append(registry.tag(name, tokens.fold(code).upper()))
    return tags


def search(
    user,
    query: str,
    *,
    kinds: Iterable[str] | None = None,
    filters: Mapping[str, str | None] | None = None,
    limit: int = 20,
    offset: int = 0,
) -> list[Hit]:
    """The hits of `query` the user may see, best first. `kinds`: names of registered kinds
    (all by default; an unknown name finds nothing of it). `filters`: codes by filter name
    (step, dimension, product, industry)."""
    terms = tokens.query_terms(query or "")
    wanted = [kind for kind in registry.kinds() if kinds is None or kind.name in set(kinds)]
    if not terms or not wanted:
        return []
    scopes = []
    for kind in wanted:
        visible = _visible_sql(kind, user)
        if visible is not None:
            scopes.append(ranking.Scope(kind, *visible))
    found = ranking.matches(
        terms, scopes, tags=tags_of(filters), limit=max(1, min(limit, MAX_LIMIT)), offset=max(0, offset)
    )
    hits = []
    for match in found:
        found_kind = registry.get(match.kind)
        url = found_kind.url(match.obj_id, match.code) if found_kind is not None else ""
        hits.append(
            Hit(
                kind=match.kind,
                obj_id=match.obj_id,
                code=match.code,
                title=match.title,
                score=float(match.score),
                snippet=snippet(match.display, terms),
                title_marked=mark(match.title, terms),
                url=url,
            )
        )
    return hits
