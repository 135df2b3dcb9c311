"""Every pack now has a data month (0002 filled them in): make it required. A migration of its
own, so that PostgreSQL alters the table in a transaction that has not just updated its rows."""

from django.db import migrations

import bettercare.fields

HELP = (
    "The last month of data the pack reports (activity, and the finance position). It starts as "
    "the quarter's second month, because hospital data lags about a month."
)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_pack_data_month"),
    ]

    operations = [
        migrations.AlterField(
            model_name="historicalpack",
            name="data_month",
            field=bettercare.fields.MonthField(help_text=HELP, verbose_name="data month"),
        ),
        migrations.AlterField(
            model_name="pack",
            name="data_month",
            field=bettercare.fields.MonthField(help_text=HELP, verbose_name="data month"),
        ),
    ]
