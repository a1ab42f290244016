"""The indexes that make the employee search an index lookup on each database
(`casspath/org/search.py` says which query uses which).

They differ by database, and Django's model state has no per-database index, so they are
created here outside it: the model does not declare them, and `makemigrations` leaves them
alone. `org/tests/test_search_indexes.py` checks that they exist after every migration: on
SQLite a later migration that rebuilds the employee table (Django copies it into a new one
for most column changes) drops the triggers and indexes Django does not know, and must then
create them again as this one does.

PostgreSQL (pg_trgm, a trusted extension since PostgreSQL 13: the database owner may create
it; trigrams of Chinese need a UTF-8 LC_CTYPE such as C.UTF-8 or zh_CN.UTF-8, not C):
- a GIN trigram index on UPPER(name): substrings of 3 characters or more (ILIKE-like
  `icontains`), and prefixes of 1 or 2 characters (a prefix pattern gives trigrams padded
  at the word's start: "陈伟%" is "  陈" and " 陈伟");
- B-tree indexes with pattern operator classes for prefixes: UPPER(employee_no) and phone
  (any collation: `LIKE 'x%'` is a range of the index only with a pattern operator class).

SQLite (3.34 or later, with FTS5, as Python's own sqlite3 module has been built for years):
- an FTS5 table of names with the trigram tokenizer (case-insensitive), kept by triggers on
  every insert, update of the name and delete, whichever way the row is written (the
  roster import's executemany, an UPDATE, the ORM): substrings of 3 characters or more;
- NOCASE indexes on name, employee_no and phone, which SQLite's LIKE (case-insensitive for
  ASCII) reads as a range for a prefix pattern.
"""

import sqlite3

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

FTS = "org_employee_name_fts"

SQLITE_FTS = [
    f"CREATE VIRTUAL TABLE {FTS} USING fts5(name, content='org_employee', content_rowid='id', "
    "tokenize='trigram')",
    f"INSERT INTO {FTS}({FTS}) VALUES ('rebuild')",
    f"""CREATE TRIGGER {FTS}_insert AFTER INSERT ON org_employee BEGIN
        INSERT INTO {FTS}(rowid, name) VALUES (new.id, new.name);
    END""",
    f"""CREATE TRIGGER {FTS}_delete AFTER DELETE ON org_employee BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.id, old.name);
    END""",
    f"""CREATE TRIGGER {FTS}_update AFTER UPDATE OF name ON org_employee BEGIN
        INSERT INTO {FTS}({FTS}, rowid, name) VALUES ('delete', old.id, old.name);
        INSERT INTO {FTS}(rowid, name) VALUES (new.id, new.name);
    END""",
]
SQLITE_FTS_REVERSE = [
    f"DROP TRIGGER IF EXISTS {FTS}_insert",
    f"DROP TRIGGER IF EXISTS {FTS}_delete",
    f"DROP TRIGGER IF EXISTS {FTS}_update",
    f"DROP TABLE IF EXISTS {FTS}",
]


# What each database is given, and how it is taken back.
INDEXES = {
    "postgresql": [
        ("org_employee_name_trgm", "USING gin (UPPER(name) gin_trgm_ops)"),
        ("org_employee_no_prefix", "(UPPER(employee_no) text_pattern_ops)"),
        ("org_employee_phone_prefix", "(phone varchar_pattern_ops)"),
    ],
    "sqlite": [
        ("org_employee_name_nocase", "(name COLLATE NOCASE)"),
        ("org_employee_no_nocase", "(employee_no COLLATE NOCASE)"),
        ("org_employee_phone_nocase", "(phone COLLATE NOCASE)"),
    ],
}


class Trigrams(TrigramExtension):
    """pg_trgm on PostgreSQL; nothing elsewhere (Django's operation forgets to ask which
    database it is on when it is unapplied)."""

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        if schema_editor.connection.vendor == "postgresql":
            super().database_backwards(app_label, schema_editor, from_state, to_state)


class SearchIndexes(migrations.operations.base.Operation):
    """This database's search indexes (and on SQLite the FTS5 table and its triggers);
    nothing in the model state."""

    reduces_to_sql = False
    reversible = True

    def state_forwards(self, app_label, state):
        pass

    def database_forwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        if vendor == "sqlite":
            _require_fts5_trigram()
            for sql in SQLITE_FTS:
                schema_editor.execute(sql)
        for name, definition in INDEXES.get(vendor, []):
            schema_editor.execute(f"CREATE INDEX {name} ON org_employee {definition}")

    def database_backwards(self, app_label, schema_editor, from_state, to_state):
        vendor = schema_editor.connection.vendor
        for name, _definition in INDEXES.get(vendor, []):
            schema_editor.execute(f"DROP INDEX IF EXISTS {name}")
        if vendor == "sqlite":
            for sql in SQLITE_FTS_REVERSE:
                schema_editor.execute(sql)

    def describe(self):
        return "Employee search indexes of this database (trigram GIN / FTS5, prefix B-trees)"


def _require_fts5_trigram() -> None:
    if sqlite3.sqlite_version_info < (3, 34, 0):
        raise RuntimeError(
            f"员工搜索需要 SQLite 3.34 或更高版本（FTS5 三元分词），当前为 {sqlite3.sqlite_version}。"
            f" / Employee search needs SQLite 3.34 or later (FTS5's trigram tokenizer); "
            f"this Python has {sqlite3.sqlite_version}."
        )


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0011_employee_unit_figures_index"),
    ]

    operations = [
        Trigrams(),
        SearchIndexes(),
    ]
