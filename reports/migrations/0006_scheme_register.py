"""Portfolio ratings refer to the scheme register where it now lives (bettercare); only
Django's record changes, the tables are as they were."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bettercare', '0003_scheme_register'),
        ('reports', '0005_chart_drawings'),
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
            ],
            database_operations=[],
        ),
    ]
