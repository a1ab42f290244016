"""Full-text search over the knowledge assets: cases, products, work guides, Q&A cards.

An engine below the domain apps (the layers of pyproject.toml: just above the import
framework), which never imports them: each app registers the documents of its kinds
(registry.py: a builder of title, head and body text and filter tags, the visibility filter
of its access.py, the URL of a hit, the models whose writes change them) from its
AppConfig.ready; knowledge/search_kinds.py and cass/search_kinds.py do.

- tokens.py: Chinese words by rjieba (search mode), over text folded to half-width lower case.
- index.py: one index on either database, in SQL of its own: SQLite FTS5 ranked by bm25 with
  weighted columns (title 10, head 4, body 1); PostgreSQL tsvector columns of the `simple`
  configuration over the pre-cut words (setweight A title, B head, C body) on a GIN index,
  ranked by ts_rank_cd. `index_objects(kind, ids)`, `remove(kind, ids)`, `rebuild()`.
- ranking.py: which documents a search returns, in what order: tier 1 (every term in title
  and head) before tier 2 (the rest), each ranked over its newest 500 matches a kind, so
  that a common word costs no more than a rare one.
- receivers.py: the index kept current on commit (signals queue, on_commit writes).
- queries.py: `search(user, query, kinds=, filters=, limit=)`, joined to what the user may
  see, with marked snippets (escaped first: XSS safe). The CLI (`casspath search`), the API
  (GET /api/v1/search/) and the results page (/search/) all call it.
"""
