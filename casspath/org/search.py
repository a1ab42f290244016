"""The employee search: what a text typed in the list's search box matches, each field read
from an index on both databases (migration org 0011 creates them).

- Name: a text of 3 characters or more matches names containing it, in any case (陈伟明,
  "tom"); a text of 1 or 2 characters matches names beginning with it: "陈伟" finds 陈伟 and
  陈伟明, the surname and given name people type, not 李陈伟. Trigram indexes (PostgreSQL's
  pg_trgm, SQLite's FTS5 trigram tokenizer) need 3 characters for a substring; for a prefix
  PostgreSQL's trigram index pads the word's start, SQLite reads a NOCASE index as a range.
- Employee number (工号): numbers beginning with the text, in any case ("gd0999" finds
  GD09990…GD09999): people type a number from its start. A B-tree index (UPPER with a pattern
  operator class on PostgreSQL, NOCASE on SQLite) reads it as a range.
- Phone: numbers beginning with the digits typed, from the third ("138 0013", "+86 138…" and
  full-width digits read as the stored 11 digits: every mobile number begins with 1, so one
  or two digits would match nearly everyone), likewise from a B-tree index; and only among the
  employees whose phone the user may read (VIEW_PERSONAL_DATA): a user who sees masked phones
  (consultants, analysts) finds nobody by phone, so typing digits reveals nothing of a number.
"""

import re
from contextlib import contextmanager

from django.db import connection
from django.db.models import Q
from django.db.models.expressions import RawSQL

from casspath.core.validators import normalise
from casspath.org import scopes
from casspath.org.scopes import Perm

# The shortest text a trigram index finds as a substring; shorter texts match from the start.
SUBSTRING_FROM = 3
# The fewest digits that search phones (every Chinese mobile number begins with 1).
PHONE_FROM = 3
# Separators people type inside a phone number, and the country code they may put first.
_PHONE_NOISE = re.compile(r"[\s\-()（）.]")
_PHONE_TEXT = re.compile(r"^\+?\d+$")

SQLITE_NAME_INDEX = "org_employee_name_fts"
SQLITE_INSERT_TRIGGER = f"{SQLITE_NAME_INDEX}_insert"


def search_q(user, text: str) -> Q:
    """The condition for employees matching `text` (already stripped) by name, number or phone,
    each an index lookup; nothing for an empty text."""
    text = text.strip()
    if not text:
        return Q()
    match = _name_q(text) | Q(employee_no__istartswith=text)
    digits = phone_digits(text)
    if len(digits) >= PHONE_FROM:
        match |= Q(phone__startswith=digits) & scopes.employees_q(user, Perm.VIEW_PERSONAL_DATA)
    return match


def names_matched_from_start_only(text: str) -> bool:
    """Whether a name search for `text` reads only the start of names (1 or 2 characters, not
    digits of a phone): the list then says so, with how to search inside names. Infix search
    of 2 characters would read every name in scope (neither trigram index holds them): a full
    scan of 100,000 names on every keystroke, where people mostly type a surname anyway."""
    text = text.strip()
    return 0 < len(text) < SUBSTRING_FROM and not text.isdigit()


def _name_q(text: str) -> Q:
    if len(text) < SUBSTRING_FROM:
        return Q(name__istartswith=text)
    if connection.vendor == "sqlite":
        # FTS5 reads a double-quoted string as one phrase: every character literal, a quote
        # doubled. The trigram tokenizer folds case, as the PostgreSQL index's UPPER does.
        phrase = '"' + text.replace('"', '""') + '"'
        # The table's name is a constant; the text is a parameter.
        return Q(pk__in=RawSQL(  # noqa: S611
            f"SELECT rowid FROM {SQLITE_NAME_INDEX} WHERE {SQLITE_NAME_INDEX} MATCH %s",  # noqa: S608
            [phrase]))
    return Q(name__icontains=text)


def phone_digits(text: str) -> str:
    """The digits of a phone number as typed (１３８ 0013-8000, +86 138…), as stored; "" when
    the text is no phone number at all (a name)."""
    value = _PHONE_NOISE.sub("", normalise(text))
    if not _PHONE_TEXT.match(value):
        return ""
    if value.startswith("+86"):
        return value[3:]
    if value.startswith("0086"):
        return value[4:]
    return value.lstrip("+")


@contextmanager
def sqlite_names_indexed_after(cursor):
    """For a big load into the employee table on SQLite (the roster import's): the name
    index's insert trigger is dropped for the load, and the new rows indexed after it in one
    statement: FTS5 takes 100,000 names in 0.4 s of CPU at once, 3.2 s row by row here. Inside
    the load's transaction: a failure rolls the trigger back with the rows; SQLite's one
    writer means no other insert can pass meanwhile. New rows have ids above every old one
    (the table is AUTOINCREMENT)."""
    found = None
    if connection.vendor == "sqlite":
        cursor.execute("SELECT sql FROM sqlite_master WHERE type = 'trigger' AND name = %s",
                       [SQLITE_INSERT_TRIGGER])
        found = cursor.fetchone()
    if found is None:
        yield
        return
    cursor.execute("SELECT COALESCE(MAX(id), 0) FROM org_employee")
    (last,) = cursor.fetchone()
    cursor.execute(f"DROP TRIGGER {SQLITE_INSERT_TRIGGER}")
    yield
    cursor.execute(
        f"INSERT INTO {SQLITE_NAME_INDEX}(rowid, name) SELECT id, name FROM org_employee WHERE id > %s",  # noqa: S608
        [last])
    cursor.execute(found[0])
