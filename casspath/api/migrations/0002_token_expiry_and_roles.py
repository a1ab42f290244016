from django.conf import settings
from django.db import migrations, models
from django.utils import timezone


def end_the_endless(apps, schema_editor):
    # Tokens made before expiries were required get the full lifetime from today, so that
    # integrations keep running while their owners learn of it.
    ApiToken = apps.get_model("api", "ApiToken")
    ApiToken.objects.filter(expires_at__isnull=True).update(
        expires_at=timezone.now() + settings.API_TOKEN_MAX_AGE)


class Migration(migrations.Migration):

    dependencies = [
        ("api", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="apitoken",
            name="revoked_reason",
            field=models.CharField(blank=True, max_length=200, verbose_name="revoked because"),
        ),
        migrations.AddField(
            model_name="apitoken",
            name="role_bindings",
            field=models.JSONField(blank=True, default=list, editable=False, verbose_name="roles at creation"),
        ),
        migrations.RunPython(end_the_endless, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="apitoken",
            name="expires_at",
            field=models.DateTimeField(verbose_name="expires"),
        ),
    ]
