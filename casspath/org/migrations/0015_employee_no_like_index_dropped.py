"""Drop the pattern index PostgreSQL's backend adds for the unique employee number.

Django makes `org_employee_employee_no_b51a29c3_like` (varchar_pattern_ops) for every
unique CharField, for a case-sensitive LIKE 'prefix%'. Nothing asks that: the search's
prefix is case-insensitive and reads `org_employee_no_prefix` (org 0012), and an equal
number is found by the unique index. Every index costs each row a roster import writes.
A later migration that changes the column's type makes Django create it again: drop it
there too.
"""

from django.db import migrations

INDEX = "org_employee_employee_no_b51a29c3_like"


def drop(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"DROP INDEX IF EXISTS {INDEX}")


def create(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {INDEX} ON org_employee (employee_no varchar_pattern_ops)")


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0014_roster_version'),
    ]

    operations = [migrations.RunPython(drop, create)]
