# The head of every document (its title's and head's words, search/index.py) indexed on its
# own, the first tier of search/ranking.py, whose lists hold no body words: on SQLite a second
# FTS5 table filled from search_fts's own columns; on PostgreSQL a tsvector column generated
# from the weights A and B of `vector` (small, so stored in the row: the big vector is read
# from TOAST only for the body tier), over a GIN index of its own.

from django.db import migrations


def create(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("CREATE VIRTUAL TABLE search_head USING fts5(title, head, "
                           "tokenize = 'unicode61 remove_diacritics 0')")
            cursor.execute("INSERT INTO search_head (rowid, title, head) "
                           "SELECT rowid, title, head FROM search_fts")
        else:
            cursor.execute("ALTER TABLE search_document ADD COLUMN head_vector tsvector "
                           "GENERATED ALWAYS AS (ts_filter(vector, '{a,b}')) STORED")
            cursor.execute("CREATE INDEX search_document_head ON search_document USING gin (head_vector)")


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("DROP TABLE search_head")
        else:
            cursor.execute("ALTER TABLE search_document DROP COLUMN head_vector")


class Migration(migrations.Migration):

    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
