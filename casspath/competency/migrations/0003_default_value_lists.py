from django.db import migrations


def forwards(apps, schema_editor):
    from casspath.org.defaults import ensure_value_lists

    ensure_value_lists(apps.get_model("competency", "Stage"), apps.get_model("competency", "Grade"))


class Migration(migrations.Migration):
    dependencies = [("competency", "0002_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
