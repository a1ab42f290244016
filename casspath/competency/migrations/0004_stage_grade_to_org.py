# Stages and grades now belong to org (org 0006 took them over on the same tables): the
# requirements point at org's models and competency forgets its own. No table changes here.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ("competency", "0003_default_value_lists"),
        ("org", "0006_stage_grade_from_competency"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="requirement",
                    name="stage",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="org.stage"),
                ),
                migrations.AlterField(
                    model_name="requirement",
                    name="grade",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, to="org.grade"),
                ),
                migrations.DeleteModel(name="Stage"),
                migrations.DeleteModel(name="Grade"),
            ],
            database_operations=[],
        ),
    ]
