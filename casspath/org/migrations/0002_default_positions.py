from django.db import migrations


def forwards(apps, schema_editor):
    from casspath.org.defaults import ensure_positions

    ensure_positions(apps.get_model("org", "Position"))


class Migration(migrations.Migration):
    dependencies = [("org", "0001_initial")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
