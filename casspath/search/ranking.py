"""Which documents a search returns and in what order: a tiered ranking that stops early, on
either database, over the index index.py writes.

Scoring every match of a common word does not scale (客户 is in most cases: bm25 or
ts_rank_cd over 80,000 rows is hundreds of milliseconds before the top 20 are kept), and a
page rarely needs more than the few best. So the ranking is the classic one of a tiered
index with a static order (Manning, Raghavan, Schütze, *Introduction to Information
Retrieval*, §7.1.4–7.2.1: static quality ordering, tiered indexes):

1. Tier 1, the head: documents whose title and head (a case's knowledge point, a resource's
   summary) hold every term between them. FTS5's column filter `{title head} : (…)` on
   SQLite; on PostgreSQL a tsquery whose lexemes carry the weights A and B (`'客户':AB`), the
   title's and the head's.
2. Tier 2, the body: the other documents holding every term (some term only in the body):
   the same expressions with NOT.

Every hit of tier 1 comes before every hit of tier 2, so a term in a title (or a knowledge
point) always outranks the same term only in a story. Within a tier and kind, the candidates
are the kind's CANDIDATES newest matches (highest document id first: the index's own rowid
order, read backwards, which both databases stop reading once they have enough), ranked by
bm25 (SQLite, weights title 10, head 4, body 1) or ts_rank_cd (PostgreSQL, A 1.0, B 0.4,
C 0.2); ties by document id. Kinds are merged by that score. A tier with fewer matches than
CANDIDATES is ranked whole, so for all but common words the ranking is exact; for a common
word, an older document is found by a more specific query or a filter. The list a query
pages through is tier 1's candidates then tier 2's: at most 2 × CANDIDATES hits per kind.

Scope: the candidates are read without it and the page is what the user may see among them
(most users see most of what matches); when a kind's candidates were cut at CANDIDATES and
those the user may see do not fill the page, that tier is read again with scope in the SQL,
the candidates then being the newest CANDIDATES the user may see. An unpublished case is
never a hit of one who may not see it, either way.
"""

from collections.abc import Sequence
from dataclasses import dataclass

from django.db import connection

from casspath.search import registry
from casspath.search.index import SPAN, TS_WEIGHTS

CANDIDATES = 500  # per tier and kind
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"  # title, head, body
HEAD_COLUMNS = "{title head}"
HEAD_WEIGHTS = "AB"  # the title's and the head's tsvector weights (index.py)


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


@dataclass
class Match:
    kind: str
    obj_id: int
    code: str
    title: str
    display: str
    score: float


@dataclass
class Scope:
    """One kind a search reads: the SQL of the ids of its objects the user may see (None:
    all of them) and that SQL's parameters."""

    kind: registry.Kind
    visible_sql: str | None = None
    visible_params: Sequence = ()


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _phrases(terms: Sequence[str]) -> str:
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _tsquery(terms: Sequence[str], weights: str = "") -> str:
    """to_tsquery's text: every term quoted (letters and digits only: tokens.query_terms),
    each with `weights` when given."""
    suffix = f":{weights}" if weights else ""
    return " & ".join("'" + term.replace("'", "''") + "'" + suffix for term in terms)


def tier_expressions(terms: Sequence[str]) -> list[str]:
    """The full-text query of each tier (its text, a parameter of the tier's SQL)."""
    if _sqlite():
        every = _phrases(terms)
        head = f"{HEAD_COLUMNS} : ({every})"
        return [head, f"({every}) NOT ({head})"]
    return [_tsquery(terms, HEAD_WEIGHTS), _tsquery(terms)]


def _tier_condition(tier: int, alias: str) -> str:
    """PostgreSQL: the documents of tier `tier`, its parameters the head's to_tsquery text,
    then (tier 2) every term's."""
    head = f"{alias}.vector @@ to_tsquery('simple', %s)"
    return head if tier == 0 else f"NOT {head} AND {alias}.vector @@ to_tsquery('simple', %s)"


def _filters(column: str, scope: Scope | None, tags: Sequence[str], joined: bool) -> tuple[str, list]:
    """The condition on a document (its id in `column`) beyond its kind's range: every tag,
    and when `joined`, an object the user may see."""
    sql, params = "", []
    for tag in tags:
        # A column name of ours and a mark: the tag is a parameter.
        sql += f" AND EXISTS (SELECT 1 FROM search_tag t WHERE t.doc_id = {column} AND t.tag = %s)"
        params.append(tag)
    if joined and scope is not None and scope.visible_sql is not None:
        sql += f" AND {column} - %s IN ({scope.visible_sql})"
        params += [scope.kind.key * SPAN, *scope.visible_params]
    return sql, params


def _tier_sql(
    tier: int, expressions: Sequence[str], low: int, high: int, scope: Scope | None, tags: Sequence[str],
    joined: bool, cap: int,
) -> tuple[str, list]:
    """One tier of one kind (document ids low…high): its newest `cap` matches (a scalar
    subquery reading the index backwards finds the oldest of them), ranked."""
    if _sqlite():
        inner, inner_params = _filters("g.rowid", scope, tags, joined)
        outer, outer_params = _filters("f.rowid", scope, tags, joined)
        bound = (
            f"SELECT g.rowid FROM search_fts g WHERE g.search_fts MATCH %s AND g.rowid BETWEEN %s AND %s"
            f"{inner} ORDER BY g.rowid DESC LIMIT 1 OFFSET %s"
        )
        sql = (
            f"SELECT f.rowid, -{BM25} FROM search_fts f WHERE f.search_fts MATCH %s "
            f"AND f.rowid BETWEEN coalesce(({bound}), %s) AND %s{outer} "
            f"ORDER BY {BM25}, f.rowid LIMIT %s"
        )
        expression = expressions[tier]
        params = [expression, expression, low, high, *inner_params, cap - 1, low, high, *outer_params, cap]
        return sql, params
    inner, inner_params = _filters("g.id", scope, tags, joined)
    outer, outer_params = _filters("d.id", scope, tags, joined)
    # The queries are constants (to_tsquery is immutable): folded once by the planner.
    bound = (
        f"SELECT g.id FROM search_document g WHERE {_tier_condition(tier, 'g')} "
        f"AND g.id BETWEEN %s AND %s{inner} ORDER BY g.id DESC LIMIT 1 OFFSET %s"
    )
    sql = (
        f"SELECT d.id, ts_rank_cd('{TS_WEIGHTS}', d.vector, to_tsquery('simple', %s)) AS score "
        f"FROM search_document d WHERE {_tier_condition(tier, 'd')} "
        f"AND d.id BETWEEN coalesce(({bound}), %s) AND %s{outer} ORDER BY score DESC, d.id LIMIT %s"
    )
    every = [expressions[1]] if tier == 1 else []
    params = [
        expressions[1], expressions[0], *every, expressions[0], *every, low, high, *inner_params,
        cap - 1, low, high, *outer_params, cap,
    ]
    return sql, params


def _tier(
    cursor, tier: int, expressions: Sequence[str], ranges: Sequence[tuple[int, int, Scope | None]],
    tags: Sequence[str], joined: bool, cap: int,
) -> tuple[list[tuple[int, float]], bool]:
    """The ranked candidates of one tier over every range (kinds merged by score) and
    whether any kind's were cut at `cap`."""
    rows: list[tuple[int, float]] = []
    cut = False
    for low, high, scope in ranges:
        sql, params = _tier_sql(tier, expressions, low, high, scope, tags, joined, cap)
        cursor.execute(sql, params)
        found = [(int(pk), float(score)) for pk, score in cursor.fetchall()]
        cut = cut or len(found) >= cap
        rows += found
    rows.sort(key=lambda row: (-row[1], row[0]))
    return rows, cut


def _visible_among(cursor, scopes: Sequence[Scope], doc_ids: list[int]) -> set[int]:
    """Which of these documents the scopes let the user see (each kind's visible SQL, asked
    about these objects only: its primary key index)."""
    seen: set[int] = set()
    for scope in scopes:
        base = scope.kind.key * SPAN
        mine = [pk - base for pk in doc_ids if base <= pk < base + SPAN]
        if not mine:
            continue
        if scope.visible_sql is None:
            seen.update(pk + base for pk in mine)
            continue
        cursor.execute(
            f"SELECT v.pk FROM ({scope.visible_sql}) v "  # noqa: S608 - Django's SQL, marks
            f"WHERE v.pk IN ({_placeholders(len(mine))})",
            [*scope.visible_params, *mine],
        )
        seen.update(row[0] + base for row in cursor.fetchall())
    return seen


def ranked(
    terms: Sequence[str], scopes: Sequence[Scope], *, tags: Sequence[str] = (), limit: int = 20, offset: int = 0
) -> list[tuple[int, float]]:
    """(document id, score) of the page: tier 1's hits the user may see, then tier 2's."""
    expressions = tier_expressions(terms)
    ranges = [(scope.kind.key * SPAN, scope.kind.key * SPAN + SPAN - 1, scope) for scope in scopes]
    wanted = offset + limit
    hits: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        for tier in (0, 1):
            rows, cut = _tier(cursor, tier, expressions, ranges, tags, False, CANDIDATES)
            seen = _visible_among(cursor, scopes, [row[0] for row in rows])
            visible = [row for row in rows if row[0] in seen]
            if cut and len(visible) < len(rows) and len(hits) + len(visible) < wanted:
                rows, _cut = _tier(cursor, tier, expressions, ranges, tags, True, CANDIDATES)
                visible = rows
            hits += visible
            if len(hits) >= wanted:
                break
    return hits[offset:wanted]


def matches(
    terms: Sequence[str],
    scopes: Sequence[Scope],
    *,
    tags: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
) -> list[Match]:
    """The page of documents holding every term, among those of the scopes the user may
    see, with every tag, in the order of the module's ranking, with their stored columns."""
    if not terms or not scopes:
        return []
    page = ranked(terms, scopes, tags=tags, limit=limit, offset=offset)
    if not page:
        return []
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id, kind, obj_id, code, title, display FROM search_document "  # noqa: S608
            f"WHERE id IN ({_placeholders(len(page))})",
            [row[0] for row in page],
        )
        stored = {row[0]: row[1:] for row in cursor.fetchall()}
    found = []
    for pk, score in page:
        if pk in stored:
            kind, obj_id, code, title, display = stored[pk]
            found.append(Match(kind, obj_id, code, title, display, float(score)))
    return found


def bare_matches(terms: Sequence[str], limit: int = 20) -> list[tuple[int, float]]:
    """The same tiers' SQL run bare against the index (every document id one range; no
    kinds, scope, tags, stored columns nor snippets): the benchmark's baseline."""
    expressions = tier_expressions(terms)
    hits: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        for tier in (0, 1):
            rows, _cut = _tier(cursor, tier, expressions, [(0, 2**62, None)], (), False, CANDIDATES)
            hits += rows
            if len(hits) >= limit:
                break
    return hits[:limit]
