"""The full-text index itself, on either database, in SQL of its own (an FTS5 virtual
table is no Django model): what `index_objects`, `remove` and `rebuild` write and what
ranking.py reads. Migration 0001 creates the tables for the database it runs on.

A document's id says its kind and object: `kind.key × SPAN + object id` (a case 1·10¹², a
product 2·10¹², …). A search narrows to a kind by a range of ids and joins scope by
`id - base IN (the visible objects' ids)`, so on SQLite it reads the full-text index only
(bm25 needs no stored row): the stored columns of the page's hits are read afterwards.
Which documents a search returns and in what order is ranking.py's (a tier of title and
head matches, then one of body matches, each ranked over its newest candidates).

- search_document: one row per document: kind, object id, code, title and the display text
  (the original head and body, which the snippets mark), and on PostgreSQL its `vector`:
  setweight(to_tsvector('simple', words), 'A') for the title, 'B' for the head (a case's
  knowledge point, a resource's summary), 'C' for the body, over a GIN index. `simple`
  takes the pre-cut words as they are (lower case; no stemming, no stop words).
- search_fts (SQLite only): an FTS5 table (unicode61: the words split on their spaces) of the
  same documents' words in three columns (title, head, body), its rowid the document's id;
  ranked by bm25 with the columns weighed 10, 4, 1.
- search_head (migration 0002): the title and head only, ranking.py's first tier, whose lists
  hold no body words, so that a common word's head matches are read without its body
  matches: on SQLite an FTS5 table (title, head; bm25 10, 4), on PostgreSQL (id,
  head_vector: A title, B head) over a GIN of its own, a narrow table (`vector` is mostly in
  TOAST, which the first tier never reads).
- search_tag: (document, tag) for the filters (step, dimension, product, industry).

Ranks: bm25 (SQLite, negated) and ts_rank_cd with weights {C 0.2, B 0.4, A 1.0}
(PostgreSQL) are higher for a better hit; the score a hit shows is that number (comparable
within one query on one database only).
"""

from collections.abc import Callable, Iterable, Sequence

from django.db import connection, transaction

from casspath.search import registry, tokens
from casspath.search.registry import Document

CHUNK = 500
SPAN = 10**12  # object ids of a kind stay below it
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
    tables = ["search_head", "search_document"]
    if _sqlite():
        tables.insert(0, "search_fts")
    for table in tables:
        column = "rowid" if table.endswith(("fts", "head")) and _sqlite() else "id"
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
        cursor.executemany(
            "INSERT INTO search_head (rowid, title, head) VALUES (%s, %s, %s)",
            [(row[0], *parts[:2]) for row, parts in zip(rows, words, strict=True)],
        )
    else:
        cursor.executemany(
            "INSERT INTO search_document (id, kind, obj_id, code, title, display, vector) VALUES "
            "(%s, %s, %s, %s, %s, %s, setweight(to_tsvector('simple', %s), 'A') || "
            "setweight(to_tsvector('simple', %s), 'B') || setweight(to_tsvector('simple', %s), 'C'))",
            [(*row, *parts) for row, parts in zip(rows, words, strict=True)],
        )
        cursor.executemany(
            "INSERT INTO search_head (id, head_vector) VALUES "
            "(%s, setweight(to_tsvector('simple', %s), 'A') || setweight(to_tsvector('simple', %s), 'B'))",
            [(row[0], *parts[:2]) for row, parts in zip(rows, words, strict=True)],
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
            cursor.execute("DELETE FROM search_head")
            cursor.execute("DELETE FROM search_document")
            cursor.execute("DELETE FROM search_tag")
        else:
            # The GIN index built once over all rows, not row by row (several times faster).
            # TRUNCATE and DROP INDEX hold the tables until the commit: searches wait for it.
            cursor.execute("TRUNCATE search_document, search_head, search_tag")
            cursor.execute("DROP INDEX IF EXISTS search_document_vector")
            cursor.execute("DROP INDEX IF EXISTS search_head_vector")
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
            cursor.execute("INSERT INTO search_head (search_head) VALUES ('optimize')")
        else:
            cursor.execute("CREATE INDEX search_document_vector ON search_document USING gin (vector)")
            cursor.execute("CREATE INDEX search_head_vector ON search_head USING gin (head_vector)")
    if not _sqlite():
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE search_document")
            cursor.execute("ANALYZE search_head")
            cursor.execute("ANALYZE search_tag")
    return counts


def document_count() -> int:
    with connection.cursor() as cursor:
        cursor.execute("SELECT COUNT(*) FROM search_document")
        return int(cursor.fetchone()[0])
