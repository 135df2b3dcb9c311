"""Loads the metric catalogue (metrics/catalogue.py) into a new database."""

from django.db import migrations

from metrics.catalogue import CATALOGUE, catalogue_fields


def load_catalogue(apps, schema_editor):
    Metric = apps.get_model("metrics", "Metric")
    for order, row in enumerate(CATALOGUE, start=1):
        Metric.objects.update_or_create(code=row["code"], defaults=catalogue_fields(order, row))


class Migration(migrations.Migration):
    dependencies = [("metrics", "0001_initial")]

    operations = [migrations.RunPython(load_catalogue, migrations.RunPython.noop)]
