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
import unicodedata
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


# Full-width punctuation, the ideographic space and half-width CJK punctuation: NFKC makes
# them other punctuation, which no term holds (terms are letters and digits), so for finding
# terms a space does as well, and the rest of most display text is then NFKC already (a check
# of a fraction of a microsecond, where normalizing 300 characters of Chinese takes ~70).
_WIDE_PUNCTUATION = re.compile("[\u3000\uff01-\uff0f\uff1a-\uff20\uff3b-\uff40\uff5b-\uff65]")


def _folded(text: str) -> str:
    """`text` folded as the index folds it (tokens.fold) wherever a term may occur: the same
    length, the same letters and digits."""
    if text.isascii():
        return text.lower()
    plain = _WIDE_PUNCTUATION.sub(" ", text)
    if unicodedata.is_normalized("NFKC", plain):
        folded = plain.lower()
        if len(folded) == len(text):
            return folded
    return tokens.fold(text)


def _spans(text: str, terms: Sequence[str], pattern: re.Pattern | None = None) -> list[tuple[int, int]]:
    """Where the terms occur in `text` (folded as the index folds), adjacent ones joined."""
    merged: list[tuple[int, int]] = []
    if not terms:
        return merged
    for start, end in (m.span() for m in (pattern or _pattern(terms)).finditer(_folded(text))):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return merged


def mark(
    text: str, terms: Sequence[str], spans: list[tuple[int, int]] | None = None,
    pattern: re.Pattern | None = None,
) -> SafeString:
    """`text` escaped, with the terms' occurrences in <mark>. `pattern`: the terms' (_pattern),
    compiled once for a page."""
    spans = _spans(text, terms, pattern) if spans is None else spans
    out, at = [], 0
    for start, end in spans:
        out += [html.escape(text[at:start]), "<mark>", html.escape(text[start:end]), "</mark>"]
        at = end
    out.append(html.escape(text[at:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece of text is escaped above


def snippet(
    text: str, terms: Sequence[str], width: int = SNIPPET_CHARS, pattern: re.Pattern | None = None
) -> SafeString:
    """A window of `text` of about `width` characters around its terms, marked."""
    text = " ".join(text.split())
    spans = _spans(text, terms, pattern)
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


def _scopes(user, wanted: Sequence[registry.Kind]) -> list[ranking.Scope]:
    """The kinds' scopes for the user: each kind's visible SQL, built from its access.py
    filter. Kept on a logged-in user's object beside his role bindings (org/scopes.py), and
    as long as they are the same list: the request's user, never beyond the request (a role
    taken away, or a unit moved, counts at the next request, as every access check does)."""
    names = tuple(kind.name for kind in wanted)
    bindings = getattr(user, "_casspath_bindings", None)
    memo: tuple[object, dict[tuple[str, ...], list[ranking.Scope]]] | None = getattr(
        user, "_casspath_search_scopes", None
    )
    if bindings is not None and memo is not None and memo[0] is bindings and names in memo[1]:
        return memo[1][names]
    found: list[ranking.Scope] = []
    for kind in wanted:
        visible = _visible_sql(kind, user)
        if visible is not None:
            found.append(ranking.Scope(kind, *visible))
    bindings = getattr(user, "_casspath_bindings", None)  # read by the access checks above
    if bindings is not None:
        if memo is None or memo[0] is not bindings:
            memo = (bindings, {})
            user._casspath_search_scopes = memo
        memo[1][names] = found
    return found


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
    found = ranking.matches(
        terms,
        _scopes(user, wanted),
        tags=tags_of(filters),
        limit=max(1, min(limit, MAX_LIMIT)),
        offset=max(0, offset),
    )
    pattern = _pattern(terms)
    urls = {kind.name: registry.url_maker(kind) for kind in wanted}
    hits = []
    for match in found:
        url_of = urls.get(match.kind)
        url = url_of(match.obj_id, match.code) if url_of is not None else ""
        hits.append(
            Hit(
                kind=match.kind,
                obj_id=match.obj_id,
                code=match.code,
                title=match.title,
                score=float(match.score),
                snippet=snippet(match.display, terms, pattern=pattern),
                title_marked=mark(match.title, terms, pattern=pattern),
                url=url,
            )
        )
    return hits
