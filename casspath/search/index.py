"""The full-text index itself, on either database, in SQL of its own (an FTS5 virtual
table is no Django model): what `index_objects`, `remove` and `rebuild` write and what
`matches` reads. Migration 0001 creates the tables for the database it runs on.

A document's id says its kind and object: `kind.key × SPAN + object id` (a case 1·10¹², a
product 2·10¹², …). A search narrows to a kind by a range of ids and joins scope by
`id - base IN (the visible objects' ids)`, so on SQLite it reads the full-text index only
(bm25 needs no stored row): the stored columns of the page's hits are read afterwards.

- search_document: one row per document: kind, object id, code, title and the display text
  (the original head and body, which the snippets mark), and on PostgreSQL its `vector`:
  setweight(to_tsvector('simple', words), 'A') for the title, 'B' for the head (a case's
  knowledge point, a resource's summary), 'C' for the body, over a GIN index. `simple`
  takes the pre-cut words as they are (lower case; no stemming, no stop words).
- search_fts (SQLite only): an FTS5 table (unicode61: the words split on their spaces) of the
  same documents' words in three columns (title, head, body), its rowid the document's id;
  ranked by bm25 with the columns weighed 10, 4, 1.
- search_tag: (document, tag) for the filters (step, dimension, product, industry).

Ranks: bm25 (SQLite, negated) and ts_rank_cd with weights {C 0.2, B 0.4, A 1.0}
(PostgreSQL) are higher for a better hit; the score a hit shows is that number (comparable
within one query on one database only).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from casspath.search import registry, tokens
from casspath.search.registry import Document

CHUNK = 500
SPAN = 10**12  # object ids of a kind stay below it
BM25 = "bm25(search_fts, 10.0, 4.0, 1.0)"  # title, head, body
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: A the title, B the head, C the body


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _kind(name: str) -> registry.Kind:
    found = registry.get(name)
    if found is None:
        raise ValueError(f"no search kind {name!r}")
    return found


def doc_id(kind: registry.Kind, obj_id: int) -> int:
    return kind.key * SPAN + int(obj_id)


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _delete(cursor, doc_ids: Sequence[int]) -> None:
    marks = _placeholders(len(doc_ids))
    tables = ["search_fts", "search_document"] if _sqlite() else ["search_document"]
    for table in tables:
        column = "rowid" if table == "search_fts" else "id"
        cursor.execute(f"DELETE FROM {table} WHERE {column} IN ({marks})", list(doc_ids))  # noqa: S608 - marks only
    cursor.execute(f"DELETE FROM search_tag WHERE doc_id IN ({marks})", list(doc_ids))  # noqa: S608


def _display(doc: Document) -> str:
    return "\n".join(part for part in (doc.head, doc.body) if part)


def _insert(cursor, kind: registry.Kind, docs: Sequence[Document]) -> None:
    if not docs:
        return
    rows = [
        (doc_id(kind, doc.obj_id), kind.name, doc.obj_id, doc.code, doc.title, _display(doc)) for doc in docs
    ]
    words = [tuple(tokens.indexed_parts(doc.title, doc.head, doc.body)) for doc in docs]
    if _sqlite():
        cursor.executemany(
            "INSERT INTO search_document (id, kind, obj_id, code, title, display) "
            "VALUES (%s, %s, %s, %s, %s, %s)",
            rows,
        )
        cursor.executemany(
            "INSERT INTO search_fts (rowid, title, head, body) VALUES (%s, %s, %s, %s)",
            [(row[0], *parts) for row, parts in zip(rows, words, strict=True)],
        )
    else:
        cursor.executemany(
            "INSERT INTO search_document (id, kind, obj_id, code, title, display, vector) VALUES "
            "(%s, %s, %s, %s, %s, %s, setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C'))",
            [(*row, *parts) for row, parts in zip(rows, words, strict=True)],
        )
    tags = [(doc_id(kind, doc.obj_id), tag) for doc in docs for tag in sorted(doc.tags)]
    if tags:
        cursor.executemany("INSERT INTO search_tag (doc_id, tag) VALUES (%s, %s)", tags)


def index_objects(kind: str, ids: Iterable[int]) -> int:
    """(Re)write the documents of these objects of `kind`: those that exist are built and
    written, the others' documents removed. Returns how many were written."""
    found = _kind(kind)
    wanted = sorted(set(ids))
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(wanted):
            docs = list(found.build(list(chunk)))
            _delete(cursor, [doc_id(found, pk) for pk in chunk])
            _insert(cursor, found, docs)
            written += len(docs)
    return written


def remove(kind: str, ids: Iterable[int]) -> None:
    found = _kind(kind)
    wanted = sorted(set(ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(wanted):
            _delete(cursor, [doc_id(found, pk) for pk in chunk])


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Empty the index and write every registered kind's documents again, in one
    transaction (on SQLite searches see the old index until it commits; on PostgreSQL they
    wait for the commit). `progress(kind, done,
    total)` after each chunk. Returns the documents written per kind."""
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if _sqlite():
            cursor.execute("DELETE FROM search_fts")
            cursor.execute("DELETE FROM search_document")
            cursor.execute("DELETE FROM search_tag")
        else:
            # The GIN index built once over all rows, not row by row (several times faster).
            # TRUNCATE and DROP INDEX hold the tables until the commit: searches wait for it.
            cursor.execute("TRUNCATE search_document, search_tag")
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
        for kind in registry.kinds():
            ids = kind.ids()
            done = written = 0
            for chunk in _chunks(ids):
                docs = list(kind.build(list(chunk)))
                _insert(cursor, kind, docs)
                done += len(chunk)
                written += len(docs)
                if progress is not None:
                    progress(kind.name, done, len(ids))
            counts[kind.name] = written
        if _sqlite():
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
        else:
            cursor.execute("CREATE INDEX search_document_vector ON search_document USING gin (vector)")
    if not _sqlite():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_tag")
    return counts


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


def match_expression(terms: Sequence[str]) -> str:
    """The full-text query of the terms, all of them required: FTS5's phrase strings
    ("a" "b"), PostgreSQL's words for plainto_tsquery (a b). The terms are letters and digits
    only (tokens.query_terms), quoted all the same."""
    if _sqlite():
        return " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return " ".join(terms)


def _where(id_column: str, scopes: Sequence[Scope], tags: Sequence[str], *, joined: bool) -> tuple[str, list]:
    """The condition on documents: of the scopes' kinds (a range of ids each), with every tag,
    and when `joined`, of the objects the user may see."""
    parts: list[str] = []
    params: list = []
    for scope in scopes:
        base = scope.kind.key * SPAN
        part = f"({id_column} BETWEEN %s AND %s"
        params += [base, base + SPAN - 1]
        if joined and scope.visible_sql is not None:
            part += f" AND {id_column} - %s IN ({scope.visible_sql})"
            params += [base, *scope.visible_params]
        parts.append(part + ")")
    where = "(" + " OR ".join(parts) + ")"
    for tag in tags:
        # A column name of ours and a mark: the tag is a parameter.
        where += f" AND EXISTS (SELECT 1 FROM search_tag t WHERE t.doc_id = {id_column} AND t.tag = %s)"  # noqa: S608
        params.append(tag)
    return where, params


def _ranked(cursor, expression: str, where: str, params: list, limit: int, offset: int) -> list[tuple]:
    if _sqlite():
        cursor.execute(
            f"SELECT search_fts.rowid, -{BM25} FROM search_fts "  # noqa: S608 - no value in it
            f"WHERE search_fts MATCH %s AND {where} ORDER BY {BM25}, search_fts.rowid "
            f"LIMIT %s OFFSET %s",
            [expression, *params, limit, offset],
        )
    else:
        cursor.execute(
            f"SELECT d.id, ts_rank_cd('{TS_WEIGHTS}', d.vector, q) AS score "  # noqa: S608
            f"FROM search_document d, plainto_tsquery('simple', %s) q "
            f"WHERE d.vector @@ q AND {where} ORDER BY score DESC, d.id LIMIT %s OFFSET %s",
            [expression, *params, limit, offset],
        )
    return cursor.fetchall()


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


# Ranked first, scope second: the best `window` matches of the kinds and tags, then which of
# them the user may see, the window growing until the page is full or the matches end; past
# the last window, one query joins scope to the ranking. Most users see most of what matches
# (the published cases of their maps), so the first window is the page.
WINDOWS = (64, 512, 4096)


def matches(
    terms: Sequence[str],
    scopes: Sequence[Scope],
    *,
    tags: Sequence[str] = (),
    limit: int = 20,
    offset: int = 0,
) -> list[Match]:
    """The best `limit` documents holding every term, among those of the scopes the user may
    see, with every tag. Best first; ties by document id."""
    if not terms or not scopes:
        return []
    expression = match_expression(terms)
    column = "search_fts.rowid" if _sqlite() else "d.id"
    wanted = offset + limit
    page: list[tuple] | None = None
    with connection.cursor() as cursor:
        where, params = _where(column, scopes, tags, joined=False)
        for window in WINDOWS:
            if window < 2 * wanted:
                continue
            ranked = _ranked(cursor, expression, where, params, window, 0)
            seen = _visible_among(cursor, scopes, [row[0] for row in ranked])
            visible = [row for row in ranked if row[0] in seen]
            if len(visible) >= wanted or len(ranked) < window:
                page = visible[offset:wanted]
                break
        if page is None:
            joined_where, joined_params = _where(column, scopes, tags, joined=True)
            page = _ranked(cursor, expression, joined_where, joined_params, limit, offset)
        if not page:
            return []
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


def bare_matches(terms: Sequence[str], limit: int = 20) -> list[tuple]:
    """The same full-text query run bare against the index (no kinds, scope, tags, stored
    columns nor snippets): the benchmark's baseline."""
    expression = match_expression(terms)
    with connection.cursor() as cursor:
        if _sqlite():
            cursor.execute(
                f"SELECT rowid, {BM25} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
                f"ORDER BY {BM25} LIMIT %s",
                [expression, limit],
            )
        else:
            cursor.execute(
                f"SELECT id, ts_rank_cd('{TS_WEIGHTS}', vector, q) AS score "  # noqa: S608
                f"FROM search_document, plainto_tsquery('simple', %s) q WHERE vector @@ q "
                f"ORDER BY score DESC LIMIT %s",
                [expression, limit],
            )
        return cursor.fetchall()


def document_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_document")
        return int(cursor.fetchone()[0])
