# The (org_unit, status) index grows the columns the home page's grouped counts read, so
# that counting a city's people reads its entries of the index only (one index still, as
# before: each one costs every row an import writes).

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('org', '0010_unit_codes_upper_case'),
    ]

    operations = [
        migrations.RemoveIndex(
            model_name='employee',
            name='org_employe_org_uni_a30fe2_idx',
        ),
        migrations.AddIndex(
            model_name='employee',
            index=models.Index(fields=['org_unit', 'status', 'hire_date', 'grade', 'position'], name='employee_unit_figures'),
        ),
    ]
