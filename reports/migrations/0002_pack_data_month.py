"""The pack's data month: added empty, then every existing pack (and its history) is given the
default, its quarter's data month (the quarter's second month). 0003 makes it required."""

from django.db import migrations

import bettercare.fields

HELP = (
    "The last month of data the pack reports (activity, and the finance position). It starts as "
    "the quarter's second month, because hospital data lags about a month."
)


def give_existing_packs_the_default(apps, schema_editor):
    for model_name in ("Pack", "HistoricalPack"):
        model = apps.get_model("reports", model_name)
        for quarter in model.objects.values_list("quarter", flat=True).distinct():
            model.objects.filter(quarter=quarter).update(data_month=quarter.data_month)


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0001_initial"),
    ]

    operations = [
        migrations.AddField(
            model_name="historicalpack",
            name="data_month",
            field=bettercare.fields.MonthField(help_text=HELP, null=True, verbose_name="data month"),
        ),
        migrations.AddField(
            model_name="pack",
            name="data_month",
            field=bettercare.fields.MonthField(help_text=HELP, null=True, verbose_name="data month"),
        ),
        migrations.RunPython(give_existing_packs_the_default, migrations.RunPython.noop),
    ]
