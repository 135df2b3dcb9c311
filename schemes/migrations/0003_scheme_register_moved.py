"""The scheme register has moved to bettercare (see bettercare 0004): highlight reports refer
to it there, and this app forgets the models. Nothing in the database changes."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('reports', '0007_scheme_register'),
        ('finance', '0002_scheme_register'),
        ('bettercare', '0004_scheme_register'),
        ('schemes', '0002_highlight_reports'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.RemoveField(
                    model_name='scheme',
                    name='area',
                ),
                migrations.RemoveField(
                    model_name='scheme',
                    name='host',
                ),
                migrations.RemoveField(
                    model_name='scheme',
                    name='leads',
                ),
                migrations.AlterField(
                    model_name='historicalhighlightreport',
                    name='scheme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.scheme'),
                ),
                migrations.RemoveField(
                    model_name='schemeyearname',
                    name='scheme',
                ),
                migrations.AlterField(
                    model_name='highlightreport',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='highlight_reports', to='bettercare.scheme'),
                ),
                migrations.DeleteModel(
                    name='HistoricalScheme',
                ),
                migrations.DeleteModel(
                    name='SchemeYearName',
                ),
                migrations.DeleteModel(
                    name='Scheme',
                ),
            ],
            database_operations=[],
        ),
    ]
