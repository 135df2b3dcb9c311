"""Building metric figures for tests: as import files (the way figures really arrive) or as
rows straight in the database when a test needs many."""

import csv
import io

import factory
from openpyxl import Workbook

from bettercare.periods import FinancialYear, Month
from metrics.models import (
    AgeGroup,
    Metric,
    MetricImport,
    MetricValue,
    Population,
    SpcRecalculation,
)
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


class PopulationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Population
        django_get_or_create = ("area", "financial_year", "age_group")

    area = factory.SubFactory(AreaFactory)
    financial_year = FinancialYear(2018)
    age_group = AgeGroup.AGED_18_PLUS
    people = 200_000
    source = "ONS mid-2018 estimates"


def revise_plans(area, metric, plans: dict, *, effective, reason="Reset by national guidance"):
    """A plan revision as an import records it: the plan now held (`plans`, period -> value,
    None to remove), the one it replaced kept in the revision."""
    from metrics.models import PlanRevision, SupersededPlan

    year = next(iter(plans)).split("-")
    revision = PlanRevision.objects.create(
        area=area,
        metric=metric,
        financial_year=Month(int(year[0]), int(year[1])).financial_year,
        effective=effective,
        reason=reason,
    )
    for period, value in plans.items():
        held = MetricValue.objects.filter(
            area=area, metric=metric, period=period, series="plan", breakdown=""
        ).first()
        SupersededPlan.objects.create(
            revision=revision,
            period=period,
            end_month=Month(int(period[:4]), int(period[5:])),
            value=None if held is None else held.value,
        )
        if held is None:
            MetricValueFactory(
                area=area, metric=metric, end_month=Month(int(period[:4]), int(period[5:])),
                series="plan", value=value,
            )  # fmt: skip
        else:
            held.value = value
            held.save()
    return revision


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
