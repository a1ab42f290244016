# The head of every document (its title's and head's words, search/index.py) indexed on its
# own, the first tier of search/ranking.py, whose lists hold no body words: on SQLite a second
# FTS5 table filled from search_fts's own columns; on PostgreSQL a narrow table of the
# weights A and B of `vector` (small rows: the big vector is in TOAST, which the first tier
# never reads), over a GIN index of its own; and `vector` kept in its row (STORAGE MAIN:
# compressed, not in TOAST), `display` out of it (EXTERNAL: read for a page's hits only), so
# that the body tier's scan reads no TOAST for each row it tests. Rows written from now on
# (`casspath search --rebuild` rewrites them all).

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("CREATE VIRTUAL TABLE search_head USING fts5(title, head, "
                           "tokenize = 'unicode61 remove_diacritics 0')")
            cursor.execute("INSERT INTO search_head (rowid, title, head) "
                           "SELECT rowid, title, head FROM search_fts")
        else:
            cursor.execute("CREATE TABLE search_head (id bigint PRIMARY KEY, head_vector tsvector NOT NULL)")
            cursor.execute("INSERT INTO search_head (id, head_vector) "
                           "SELECT id, ts_filter(vector, '{a,b}') FROM search_document")
            cursor.execute("CREATE INDEX search_head_vector ON search_head USING gin (head_vector)")
            cursor.execute("ALTER TABLE search_document ALTER COLUMN vector SET STORAGE MAIN, "
                           "ALTER COLUMN display SET STORAGE EXTERNAL")


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        cursor.execute("DROP TABLE search_head")


class Migration(migrations.Migration):

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
