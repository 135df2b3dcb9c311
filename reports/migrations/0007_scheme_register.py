"""Portfolio ratings and the pack's programme risks refer to the scheme register where it now
lives (bettercare); only Django's record changes, the tables are as they were."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bettercare', '0004_scheme_register'),
        ('reports', '0006_council_template'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='historicalportfoliorating',
                    name='scheme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='portfoliorating',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='ratings', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='historicalpackrisk',
                    name='scheme',
                    field=models.ForeignKey(blank=True, db_constraint=False, help_text='The scheme whose highlight report raised it, if it came from one.', null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='packrisk',
                    name='scheme',
                    field=models.ForeignKey(blank=True, help_text='The scheme whose highlight report raised it, if it came from one.', null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='+', to='bettercare.scheme'),
                ),
            ],
            database_operations=[],
        ),
    ]
