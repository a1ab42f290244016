import casspath.core.validators
from django.db import migrations, models


def upper_case_codes(apps, schema_editor):
    """Unit codes become upper-case (org.validators.unit_code); two codes differing only in
    case would collide, and the migration names them instead of choosing."""
    OrgUnit = apps.get_model("org", "OrgUnit")
    codes = list(OrgUnit.objects.values_list("pk", "code"))
    taken: dict[str, str] = {}
    for _pk, code in codes:
        other = taken.setdefault(code.upper(), code)
        if other != code:
            raise RuntimeError(
                f"单位编码“{other}”与“{code}”只有大小写不同，请先改掉其中一个。 / "
                f"Unit codes '{other}' and '{code}' differ only in case: rename one first."
            )
    for pk, code in codes:
        if code != code.upper():
            OrgUnit.objects.filter(pk=pk).update(code=code.upper())


class Migration(migrations.Migration):
    dependencies = [
        ("org", "0009_jobs"),
    ]

    operations = [
        migrations.RunPython(upper_case_codes, migrations.RunPython.noop),
        migrations.AlterField(
            model_name="orgunit",
            name="code",
            field=models.CharField(
                max_length=40, unique=True, validators=[casspath.core.validators.validate_upper_code],
                verbose_name="unit code",
            ),
        ),
    ]
