# The search index's tables, in the SQL of the database migrated (search/index.py says what
# each holds): an FTS5 virtual table on SQLite, a tsvector column with a GIN index on
# PostgreSQL. No Django model: nothing but search/index.py reads or writes them. A document's
# id is its kind's key × 10¹² + its object's id (search/index.py).

from django.db import migrations

DOCUMENT = """CREATE TABLE search_document (
    id bigint PRIMARY KEY,
    kind varchar(20) NOT NULL,
    obj_id bigint NOT NULL,
    code varchar(60) NOT NULL,
    title text NOT NULL,
    display text NOT NULL{vector}
)"""
COMMON = [
    "CREATE TABLE search_tag (doc_id bigint NOT NULL, tag varchar(80) NOT NULL)",
    "CREATE INDEX search_tag_doc ON search_tag (doc_id, tag)",
]


def create(apps, schema_editor):
    connection = schema_editor.connection
    with connection.cursor() as cursor:
        if connection.vendor == "sqlite":
            cursor.execute(DOCUMENT.format(vector=""))
            for sql in COMMON:
                cursor.execute(sql)
            cursor.execute("CREATE VIRTUAL TABLE search_fts USING fts5(title, head, body, "
                           "tokenize = 'unicode61 remove_diacritics 0')")
        else:
            cursor.execute(DOCUMENT.format(vector=",\n    vector tsvector NOT NULL"))
            for sql in COMMON:
                cursor.execute(sql)
            cursor.execute("CREATE INDEX search_document_vector ON search_document USING gin (vector)")


def drop(apps, schema_editor):
    with schema_editor.connection.cursor() as cursor:
        if schema_editor.connection.vendor == "sqlite":
            cursor.execute("DROP TABLE search_fts")
        cursor.execute("DROP TABLE search_tag")
        cursor.execute("DROP TABLE search_document")


class Migration(migrations.Migration):

    dependencies: list = []

    operations = [migrations.RunPython(create, drop)]
