"""Building metric figures for tests: as import files (the way figures really arrive) or as
rows straight in the database when a test needs many."""

import csv
import io

import factory
from openpyxl import Workbook

from bettercare.periods import Month
from metrics.models import Metric, MetricImport, MetricValue, SpcRecalculation
from tests.factories import AreaFactory, UserFactory

HEADER = ["area", "metric", "period", "series", "value", "breakdown", "status", "note"]


def figures_csv(rows, header=HEADER) -> bytes:
    """CSV bytes of `rows`, each a tuple in the order of `header` (missing cells empty)."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(header)
    for row in rows:
        writer.writerow([*row, *[""] * (len(header) - len(row))])
    return out.getvalue().encode()


def figures_xlsx(rows, header=HEADER) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def monthly(area_code, metric, first: Month, values, series="actual", breakdown=""):
    """Rows for consecutive months from `first`."""
    return [
        (area_code, metric, str(first.plus(i)), series, str(value), breakdown)
        for i, value in enumerate(values)
    ]


class MetricValueFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricValue

    area = factory.SubFactory(AreaFactory)
    metric = factory.LazyFunction(lambda: Metric.objects.get(code="nel_admissions"))
    end_month = Month(2018, 8)
    period = factory.LazyAttribute(lambda value: str(value.end_month))
    series = MetricValue.Series.ACTUAL
    breakdown = ""
    value = 100
    status = MetricValue.Status.FINAL


class MetricImportFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = MetricImport

    file_name = "figures.csv"
    sha256 = "0" * 64
    via = MetricImport.Via.COMMAND


class SpcRecalculationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SpcRecalculation

    area = factory.SubFactory(AreaFactory)
    metric = factory.LazyFunction(lambda: Metric.objects.get(code="nel_admissions"))
    month = Month(2017, 10)
    reason = "A provider changed how it counts admissions."
    created_by = factory.SubFactory(UserFactory)
