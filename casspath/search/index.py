"""The full-text index itself, on either database, in SQL of its own (an FTS5 virtual
table is no Django model): what `index_objects`, `remove` and `rebuild` write and what
`matches` reads. Migration 0001 creates the tables for the database it runs on.

- search_document: one row per (kind, object): its code, title and display text (the
  original head and body, which the snippets mark), and on PostgreSQL its `vector`:
  setweight(to_tsvector('simple', words), 'A') for the title, 'B' for the head (a case's
  knowledge point, a resource's summary), 'C' for the body, over a GIN index. `simple`
  takes the pre-cut words as they are (lower case; no stemming, no stop words).
- search_fts (SQLite only): an FTS5 table (unicode61: the words split on their spaces) of the
  same rows' words in three columns (title, head, body), its rowid the document's id;
  ranked by bm25 with the columns weighed 10, 4, 1.
- search_tag: (kind, object, tag) for the filters (step, dimension, product, industry).

Ranks: bm25 (SQLite) and ts_rank_cd with weights {C 0.2, B 0.4, A 1.0} (PostgreSQL) are
higher for a better hit; the score a hit shows is that number (only comparable within one
query on one database).
"""

from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, transaction

from casspath.search import registry, tokens
from casspath.search.registry import Document

CHUNK = 500
BM25_WEIGHTS = (10.0, 4.0, 1.0)  # title, head, body
TS_WEIGHTS = "{0.1, 0.2, 0.4, 1.0}"  # D, C, B, A: A the title, B the head, C the body


def _sqlite() -> bool:
    return connection.vendor == "sqlite"


def _chunks(values: Sequence, size: int = CHUNK) -> Iterable[Sequence]:
    for start in range(0, len(values), size):
        yield values[start:start + size]


def _placeholders(count: int) -> str:
    return ", ".join(["%s"] * count)


def _delete(cursor, kind: str, ids: Sequence[int]) -> None:
    marks = _placeholders(len(ids))
    if _sqlite():
        cursor.execute(
            f"DELETE FROM search_fts WHERE rowid IN (SELECT id FROM search_document "  # noqa: S608 - marks only
            f"WHERE kind = %s AND obj_id IN ({marks}))", [kind, *ids])
    cursor.execute(f"DELETE FROM search_document WHERE kind = %s AND obj_id IN ({marks})",  # noqa: S608
                   [kind, *ids])
    cursor.execute(f"DELETE FROM search_tag WHERE kind = %s AND obj_id IN ({marks})", [kind, *ids])  # noqa: S608


def _display(doc: Document) -> str:
    return "\n".join(part for part in (doc.head, doc.body) if part)


def _insert(cursor, kind: str, docs: Sequence[Document]) -> None:
    if not docs:
        return
    words = [(tokens.indexed(doc.title), tokens.indexed(doc.head), tokens.indexed(doc.body)) for doc in docs]
    if _sqlite():
        cursor.executemany(
            "INSERT INTO search_document (kind, obj_id, code, title, display) VALUES (%s, %s, %s, %s, %s)",
            [(kind, doc.obj_id, doc.code, doc.title, _display(doc)) for doc in docs])
        marks = _placeholders(len(docs))
        cursor.execute(f"SELECT obj_id, id FROM search_document WHERE kind = %s AND obj_id IN ({marks})",  # noqa: S608
                       [kind, *(doc.obj_id for doc in docs)])
        rowids = dict(cursor.fetchall())
        cursor.executemany("INSERT INTO search_fts (rowid, title, head, body) VALUES (%s, %s, %s, %s)",
                           [(rowids[doc.obj_id], *parts) for doc, parts in zip(docs, words, strict=True)])
    else:
        cursor.executemany(
            "INSERT INTO search_document (kind, obj_id, code, title, display, vector) VALUES "
            "(%s, %s, %s, %s, %s, setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C'))",
            [(kind, doc.obj_id, doc.code, doc.title, _display(doc), *parts)
             for doc, parts in zip(docs, words, strict=True)])
    tags = [(kind, doc.obj_id, tag) for doc in docs for tag in sorted(doc.tags)]
    if tags:
        cursor.executemany("INSERT INTO search_tag (kind, obj_id, tag) VALUES (%s, %s, %s)", tags)


def index_objects(kind: str, ids: Iterable[int]) -> int:
    """(Re)write the documents of these objects of `kind`: those that exist are built and
    written, the others' documents removed. Returns how many were written."""
    found = registry.get(kind)
    if found is None:
        raise ValueError(f"no search kind {kind!r}")
    wanted = sorted(set(ids))
    written = 0
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(wanted):
            docs = list(found.build(list(chunk)))
            _delete(cursor, kind, chunk)
            _insert(cursor, kind, docs)
            written += len(docs)
    return written


def remove(kind: str, ids: Iterable[int]) -> None:
    wanted = sorted(set(ids))
    with transaction.atomic(), connection.cursor() as cursor:
        for chunk in _chunks(wanted):
            _delete(cursor, kind, chunk)


def rebuild(progress: Callable[[str, int, int], None] | None = None) -> dict[str, int]:
    """Empty the index and write every registered kind's documents again, in one
    transaction (searches see the old index until it commits). `progress(kind, done,
    total)` after each chunk. Returns the documents written per kind."""
    counts: dict[str, int] = {}
    with transaction.atomic(), connection.cursor() as cursor:
        if _sqlite():
            cursor.execute("DELETE FROM search_fts")
        cursor.execute("DELETE FROM search_document")
        cursor.execute("DELETE FROM search_tag")
        for kind in registry.kinds():
            ids = kind.ids()
            done = written = 0
            for chunk in _chunks(ids):
                docs = list(kind.build(list(chunk)))
                _insert(cursor, kind.name, docs)
                done += len(chunk)
                written += len(docs)
                if progress is not None:
                    progress(kind.name, done, len(ids))
            counts[kind.name] = written
        if _sqlite():
            cursor.execute("INSERT INTO search_fts (search_fts) VALUES ('optimize')")
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


def match_expression(terms: Sequence[str]) -> str:
    """The full-text query of the terms, all of them required: FTS5's phrase strings
    ("a" "b"), PostgreSQL's words for plainto_tsquery (a b). The terms are letters and digits
    only (tokens.query_terms), quoted all the same."""
    if _sqlite():
        return " ".join('"' + term.replace('"', '""') + '"' for term in terms)
    return " ".join(terms)


def matches(terms: Sequence[str], scopes: Sequence[tuple[str, str | None, list]], *,
            tags: Sequence[str] = (), limit: int = 20, offset: int = 0) -> list[Match]:
    """The best `limit` documents holding every term, among those of the `scopes`: (kind,
    the SQL of the visible objects' ids or None for all of them, its parameters), and with
    every tag. Best first; ties by document id."""
    if not terms or not scopes:
        return []
    where_kinds, params_kinds = [], []
    for kind, visible_sql, visible_params in scopes:
        if visible_sql is None:
            where_kinds.append("d.kind = %s")
            params_kinds.append(kind)
        else:
            where_kinds.append(f"(d.kind = %s AND d.obj_id IN ({visible_sql}))")
            params_kinds += [kind, *visible_params]
    where = "(" + " OR ".join(where_kinds) + ")"
    for _tag in tags:
        where += (" AND EXISTS (SELECT 1 FROM search_tag t WHERE t.kind = d.kind AND t.obj_id = d.obj_id "
                  "AND t.tag = %s)")
    expression = match_expression(terms)
    if _sqlite():
        bm25 = "bm25(search_fts, {}, {}, {})".format(*BM25_WEIGHTS)
        sql = (f"SELECT d.kind, d.obj_id, d.code, d.title, d.display, -{bm25} AS score "  # noqa: S608
               f"FROM search_fts JOIN search_document d ON d.id = search_fts.rowid "
               f"WHERE search_fts MATCH %s AND {where} ORDER BY {bm25}, d.id LIMIT %s OFFSET %s")
    else:
        sql = (f"SELECT d.kind, d.obj_id, d.code, d.title, d.display, "  # noqa: S608
               f"ts_rank_cd('{TS_WEIGHTS}', d.vector, q) AS score "
               f"FROM search_document d, plainto_tsquery('simple', %s) q "
               f"WHERE d.vector @@ q AND {where} ORDER BY score DESC, d.id LIMIT %s OFFSET %s")
    with connection.cursor() as cursor:
        cursor.execute(sql, [expression, *params_kinds, *tags, limit, offset])
        return [Match(*row) for row in cursor.fetchall()]


def bare_matches(terms: Sequence[str], limit: int = 20) -> list[tuple]:
    """The same full-text query run bare against the index (no kinds, scope, tags nor
    snippets): the benchmark's baseline."""
    expression = match_expression(terms)
    with connection.cursor() as cursor:
        if _sqlite():
            bm25 = "bm25(search_fts, {}, {}, {})".format(*BM25_WEIGHTS)
            cursor.execute(f"SELECT rowid, {bm25} FROM search_fts WHERE search_fts MATCH %s "  # noqa: S608
                           f"ORDER BY {bm25} LIMIT %s", [expression, limit])
        else:
            cursor.execute(f"SELECT id, ts_rank_cd('{TS_WEIGHTS}', vector, q) AS score "  # noqa: S608
                           f"FROM search_document, plainto_tsquery('simple', %s) q WHERE vector @@ q "
                           f"ORDER BY score DESC LIMIT %s", [expression, limit])
        return cursor.fetchall()


def document_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_document")
        return int(cursor.fetchone()[0])
