"""Which documents a search returns and in what order: a tiered ranking that stops early, on
either database, over the index index.py writes.

Scoring every match of a common word does not scale (客户 is in most cases: bm25 or
ts_rank_cd over 80,000 rows is hundreds of milliseconds before the top 20 are kept), and a
page rarely needs more than the few best. So the ranking is the classic one of a tiered
index with a static order (Manning, Raghavan, Schütze, *Introduction to Information
Retrieval*, §7.1.4–7.2.1: static quality ordering, tiered indexes):

1. Tier 1, the head: documents whose title and head (a case's knowledge point, a resource's
   summary) hold every term between them, read from search_head, an index of heads only
   (index.py), whose lists hold none of a word's body matches; ranked by bm25 over title 10,
   head 4 (SQLite) or ts_rank_cd over the head's vector (PostgreSQL).
2. Tier 2, the body: the other documents holding every term (some term only in the body),
   from the full index, less tier 1's (NOT IN the head index's matches); ranked by bm25 over
   title 10, head 4, body 1 or ts_rank_cd over the whole vector.

Every hit of tier 1 comes before every hit of tier 2, so a term in a title (or a knowledge
point) always outranks the same term only in a story. Within a tier and kind, the candidates
are the kind's CANDIDATES newest matches (highest document id first: the index's own rowid
order, read backwards, which both databases stop reading once they have enough), and only
they are scored (ts_rank_cd weights A 1.0, B 0.4, C 0.2); ties by document id. Kinds are
merged by that score; scores of the two tiers are not compared. A tier with fewer matches than
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

from casspath.core.prepared import execute_planned
from casspath.search import registry
from casspath.search.index import SPAN, TS_WEIGHTS

CANDIDATES = 200  # per tier and kind
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"  # title, head, body
HEAD_BM25 = "bm25(search_head, 10.0, 4.0)"  # title, head
# How many candidates are checked for scope at a time, after the first window (the page and
# a half, plus 8: most users see most candidates), then all.
WINDOWS = (64, 512)


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
    """FTS5's query of every term: phrase strings ("a" "b")."""
    return " ".join('"' + term.replace('"', '""') + '"' for term in terms)


def _tsquery(terms: Sequence[str], weights: str = "") -> str:
    """to_tsquery's text of every term, quoted (letters and digits only:
    tokens.query_terms), each with `weights` when given."""
    suffix = f":{weights}" if weights else ""
    return " & ".join("'" + term.replace("'", "''") + "'" + suffix for term in terms)


@dataclass
class _Tier:
    """One tier's SQL: the table, its id column, the condition on a document and its
    parameters (SQLite's tier 2 then takes the kind's range for its NOT IN), its score
    (higher is better, with its parameters) and the ORDER BY of it."""

    table: str
    column: str
    condition: str
    params: list
    score: str
    score_params: list
    order: str
    vector: str = ""  # PostgreSQL: the column the score reads
    ranged: bool = False


def _tiers(terms: Sequence[str]) -> list[_Tier]:
    if _sqlite():
        every = _phrases(terms)
        head = _Tier("search_head", "search_head.rowid", "search_head MATCH %s", [every], f"-{HEAD_BM25}", [],
                 HEAD_BM25)
        body = _Tier(
            "search_fts",
            "search_fts.rowid",
            "search_fts MATCH %s AND search_fts.rowid NOT IN (SELECT search_head.rowid FROM search_head "
            "WHERE search_head MATCH %s AND search_head.rowid BETWEEN %s AND %s)",
            [every, every],
            f"-{BM25}",
            [],
            BM25,
            ranged=True,
        )
        return [head, body]
    every_q = _tsquery(terms)
    # The query is a constant (to_tsquery is immutable): folded once by the planner. The
    # body tier reads `vector` (from TOAST) only for the rows it scans.
    query = "to_tsquery('simple', %s)"
    head = _Tier("search_head d", "d.id", f"d.head_vector @@ {query}", [every_q],
                 f"ts_rank_cd('{TS_WEIGHTS}', d.head_vector, {query})", [every_q], "2 DESC", "d.head_vector")
    body = _Tier(
        "search_document d",
        "d.id",
        f"d.vector @@ {query} AND d.id NOT IN (SELECT h.id FROM search_head h "  # noqa: S608 - marks
        f"WHERE h.head_vector @@ {query} AND h.id BETWEEN %s AND %s)",
        [every_q, every_q],
        f"ts_rank_cd('{TS_WEIGHTS}', d.vector, {query})",
        [every_q],
        "2 DESC",
        "d.vector",
        ranged=True,
    )
    return [head, body]


def _filters(column: str, scope: Scope | None, tags: Sequence[str], joined: bool) -> tuple[str, list]:
    """The condition on a document (its id in `column`) beyond its kind's range: every tag,
    and when `joined`, an object the user may see."""
    sql = ""
    params: list = []
    for tag in tags:
        # A column name of ours and a mark: the tag is a parameter.
        sql += f" AND EXISTS (SELECT 1 FROM search_tag t WHERE t.doc_id = {column} AND t.tag = %s)"  # noqa: S608
        params.append(tag)
    if joined and scope is not None and scope.visible_sql is not None:
        sql += f" AND {column} - %s IN ({scope.visible_sql})"
        params += [scope.kind.key * SPAN, *scope.visible_params]
    return sql, params


def _candidates(
    cursor, tier: _Tier, low: int, high: int, scope: Scope | None, tags: Sequence[str], joined: bool
) -> list[tuple[int, float]]:
    """One tier of one kind (document ids low…high): its newest CANDIDATES matches, ranked.
    They are read newest first, by the primary key backwards, which stops after the last of
    them (or by the full-text index, when the planner expects few). On SQLite bm25 needs the
    MATCH of its own statement: the oldest candidate is found first, then the candidates
    ranked; on PostgreSQL one statement ranks its subquery's rows."""
    extra, extra_params = _filters(tier.column, scope, tags, joined)
    condition = [*tier.params, *((low, high) if tier.ranged else ())]
    where = f"{tier.condition} AND {tier.column} BETWEEN %s AND %s{extra}"
    if not _sqlite():
        cursor.execute(
            f"SELECT d.id, {tier.score} FROM (SELECT d.id, {tier.vector} "  # noqa: S608
            f"FROM {tier.table} WHERE {where} ORDER BY d.id DESC LIMIT %s) d ORDER BY {tier.order}, d.id",
            [*tier.score_params, *condition, low, high, *extra_params, CANDIDATES],
        )
        return [(int(pk), float(score)) for pk, score in cursor.fetchall()]
    cursor.execute(
        f"SELECT {tier.column} FROM {tier.table} WHERE {where} "  # noqa: S608 - marks only
        f"ORDER BY {tier.column} DESC LIMIT 1 OFFSET %s",
        [*condition, low, high, *extra_params, CANDIDATES - 1],
    )
    oldest = cursor.fetchone()
    cursor.execute(
        f"SELECT {tier.column}, {tier.score} FROM {tier.table} WHERE {where} "  # noqa: S608
        f"ORDER BY {tier.order}, {tier.column} LIMIT %s",
        [*condition, oldest[0] if oldest else low, high, *extra_params, CANDIDATES],
    )
    return [(int(pk), float(score)) for pk, score in cursor.fetchall()]


def _tier(
    cursor, tier: _Tier, ranges: Sequence[tuple[int, int, Scope | None]], tags: Sequence[str], joined: bool
) -> tuple[list[tuple[int, float]], bool]:
    """The ranked candidates of one tier over every range (kinds merged by score; ties by
    id) and whether any kind's were cut at CANDIDATES."""
    rows: list[tuple[int, float]] = []
    cut = False
    for low, high, scope in ranges:
        found = _candidates(cursor, tier, low, high, scope, tags, joined)
        cut = cut or len(found) >= CANDIDATES
        rows += found
    rows.sort(key=lambda row: (-row[1], row[0]))
    return rows, cut


STORED = "d.id, d.kind, d.obj_id, d.code, d.title, d.display"  # a hit's stored columns


def _visible_among(
    cursor, scopes: Sequence[Scope], doc_ids: list[int], stored: dict | None = None
) -> set[int]:
    """Which of these documents the scopes let the user see (each kind's visible SQL, asked
    about these objects only: its primary key index). With `stored`, the visible ones'
    stored columns are read in the same statement, into it by document id."""
    seen: set[int] = set()
    for scope in scopes:
        base = scope.kind.key * SPAN
        mine = [pk - base for pk in doc_ids if base <= pk < base + SPAN]
        if not mine:
            continue
        if scope.visible_sql is None:
            seen.update(pk + base for pk in mine)
            continue
        # PostgreSQL: one array, so the statement is the same for any number of ids and
        # planned once per connection (core.prepared.execute_planned).
        among, ids = ("= ANY(%s)", [mine]) if not _sqlite() else (f"IN ({_placeholders(len(mine))})", mine)
        if stored is None:
            execute_planned(
                cursor,
                f"SELECT v.pk FROM ({scope.visible_sql}) v WHERE v.pk {among}",  # noqa: S608 - Django's SQL
                [*scope.visible_params, *ids],
            )
            seen.update(row[0] + base for row in cursor.fetchall())
            continue
        execute_planned(
            cursor,
            f"SELECT {STORED} FROM ({scope.visible_sql}) v "  # noqa: S608 - Django's SQL, marks
            f"JOIN search_document d ON d.id = v.pk + %s WHERE v.pk {among}",
            [*scope.visible_params, base, *ids],
        )
        for row in cursor.fetchall():
            seen.add(row[0])
            stored[row[0]] = row[1:]
    return seen


def _first_visible(
    cursor, scopes: Sequence[Scope], rows: list, need: int, stored: dict | None = None
) -> list:
    """The first `need` of the ranked rows the user may see, checked a window at a time
    (fewer only when every row was checked)."""
    visible: list = []
    at = 0
    for window in (need + need // 2 + 8, *WINDOWS, len(rows)):
        if at >= len(rows) or len(visible) >= need:
            break
        if window <= at:
            continue
        chunk = rows[at:window]
        seen = _visible_among(cursor, scopes, [row[0] for row in chunk], stored)
        visible += [row for row in chunk if row[0] in seen]
        at = window
    return visible[:need]


def ranked(
    terms: Sequence[str], scopes: Sequence[Scope], *, tags: Sequence[str] = (), limit: int = 20,
    offset: int = 0, stored: dict | None = None,
) -> list[tuple[int, float]]:
    """(document id, score) of the page: tier 1's hits the user may see, then tier 2's. With
    `stored`, the stored columns of the hits read while checking scope go into it."""
    ranges = [(scope.kind.key * SPAN, scope.kind.key * SPAN + SPAN - 1, scope) for scope in scopes]
    wanted = offset + limit
    hits: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        for tier in _tiers(terms):
            rows, cut = _tier(cursor, tier, ranges, tags, joined=False)
            need = wanted - len(hits)
            visible = _first_visible(cursor, scopes, rows, need, stored)
            if len(visible) < need and cut and len(visible) < len(rows):
                # Hidden documents took candidates' places: the newest the user may see.
                visible = _tier(cursor, tier, ranges, tags, joined=True)[0]
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
    stored: dict = {}  # the scope check's reads, for kinds with a visible SQL
    page = ranked(terms, scopes, tags=tags, limit=limit, offset=offset, stored=stored)
    if not page:
        return []
    missing = [row[0] for row in page if row[0] not in stored]
    if missing:
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {STORED} FROM search_document d "  # noqa: S608
                f"WHERE d.id IN ({_placeholders(len(missing))})",
                missing,
            )
            stored.update({row[0]: row[1:] for row in cursor.fetchall()})
    found = []
    for pk, score in page:
        if pk in stored:
            kind, obj_id, code, title, display = stored[pk]
            found.append(Match(kind, obj_id, code, title, display, float(score)))
    return found


def bare_matches(terms: Sequence[str], limit: int = 20) -> list[tuple[int, float]]:
    """The same tiers' SQL run bare against the index (every document id one range; no
    kinds, scope, tags, stored columns nor snippets): the benchmark's baseline."""
    hits: list[tuple[int, float]] = []
    with connection.cursor() as cursor:
        for tier in _tiers(terms):
            hits += _tier(cursor, tier, [(0, 2**62, None)], (), joined=False)[0]
            if len(hits) >= limit:
                break
    return hits[:limit]
