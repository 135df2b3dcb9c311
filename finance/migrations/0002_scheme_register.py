"""Budgets and forecasts refer to the scheme register where it now lives (bettercare); only
Django's record changes, the tables are as they were."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('bettercare', '0004_scheme_register'),
        ('finance', '0001_initial'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name='budget',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='budgets', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='forecast',
                    name='scheme',
                    field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='forecasts', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='historicalbudget',
                    name='scheme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.scheme'),
                ),
                migrations.AlterField(
                    model_name='historicalforecast',
                    name='scheme',
                    field=models.ForeignKey(blank=True, db_constraint=False, null=True, on_delete=django.db.models.deletion.DO_NOTHING, related_name='+', to='bettercare.scheme'),
                ),
            ],
            database_operations=[],
        ),
    ]
