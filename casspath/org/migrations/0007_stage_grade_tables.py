# The last step of moving stages and grades to org: their tables take org's names. Foreign
# keys follow the rename on PostgreSQL and on SQLite (3.26+ rewrites the references).

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ("competency", "0004_stage_grade_to_org"),
        ("org", "0006_stage_grade_from_competency"),
    ]

    operations = [
        migrations.AlterModelTable(name="stage", table=None),
        migrations.AlterModelTable(name="grade", table=None),
    ]
