# Stages and grades describe employees (a stage by tenure, a grade by promotion), so they
# move from competency to org, which no longer has to import competency. Three steps keep
# the rows: org takes the models over on the existing tables (state only, here), competency
# lets them go (its 0004), then org renames the tables to its own (0007).

import django.db.models.deletion
from django.db import migrations, models


def move_content_types(apps, schema_editor):
    """Keep permissions and admin history attached: the content types change app."""
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("stage", "grade"):
        if not ContentType.objects.filter(app_label="org", model=model).exists():
            ContentType.objects.filter(app_label="competency", model=model).update(app_label="org")


def restore_content_types(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    for model in ("stage", "grade"):
        if not ContentType.objects.filter(app_label="competency", model=model).exists():
            ContentType.objects.filter(app_label="org", model=model).update(app_label="competency")


class Migration(migrations.Migration):

    dependencies = [
        ("contenttypes", "0002_remove_content_type_name"),
        ("competency", "0003_default_value_lists"),
        ("org", "0005_fewer_employee_indexes"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="Stage",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=20, verbose_name="name")),
                        ("name_en", models.CharField(blank=True, max_length=40, verbose_name="English name")),
                        ("min_years", models.PositiveSmallIntegerField(verbose_name="from year")),
                        ("max_years", models.PositiveSmallIntegerField(blank=True, null=True, verbose_name="before year")),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "stage",
                        "verbose_name_plural": "stages",
                        "ordering": ["min_years"],
                        "db_table": "competency_stage",
                    },
                ),
                migrations.CreateModel(
                    name="Grade",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("code", models.CharField(max_length=20, unique=True, verbose_name="code")),
                        ("name", models.CharField(max_length=20, unique=True, verbose_name="name")),
                        ("name_en", models.CharField(blank=True, max_length=40, verbose_name="English name")),
                        ("order", models.PositiveSmallIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "grade",
                        "verbose_name_plural": "grades",
                        "ordering": ["order", "id"],
                        "db_table": "competency_grade",
                    },
                ),
                migrations.AlterField(
                    model_name="employee",
                    name="grade",
                    field=models.ForeignKey(blank=True, db_index=False, null=True, on_delete=django.db.models.deletion.PROTECT, to="org.grade", verbose_name="grade"),
                ),
            ],
            database_operations=[],
        ),
        migrations.RunPython(move_content_types, restore_content_types),
    ]
