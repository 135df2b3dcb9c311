"""Factories for board pack records: priorities, packs (a Draft JCB pack for 2018/19 Quarter 2
unless told otherwise), their text about priorities and metrics, ratings and kept drawings."""

import factory

from bettercare.periods import Month, Quarter, parse_quarter
from metrics.models import Metric
from reports.models import ChartDrawing, Pack, PackHighlight, PackMetric, PortfolioRating, Priority
from tests.factories import AreaFactory


class PriorityFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Priority
        django_get_or_create = ["area", "number"]

    area = factory.SubFactory(AreaFactory)
    number = factory.Sequence(lambda n: n + 1)
    title = factory.Sequence(lambda n: f"Priority {n + 1}")


class PortfolioRatingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PortfolioRating
        django_get_or_create = ["scheme", "quarter"]

    quarter: Quarter = parse_quarter("2018-19-Q2")
    rag = "green"
    narrative = "On track."


class PackFactory(factory.django.DjangoModelFactory):
    """The record only (no highlights or headlines are added: `reports.services.pack_create`
    does that)."""

    class Meta:
        model = Pack

    area = factory.SubFactory(AreaFactory)
    board = "JCB"
    quarter: Quarter = parse_quarter("2018-19-Q2")
    data_month = Month(2018, 8)


class PackHighlightFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackHighlight

    pack = factory.SubFactory(PackFactory)
    priority = factory.LazyAttribute(lambda item: PriorityFactory(area=item.pack.area))
    text = "Clusters now cover working age adults."


class PackMetricFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PackMetric

    pack = factory.SubFactory(PackFactory)
    metric = factory.LazyFunction(lambda: Metric.objects.get(code="nel_admissions"))
    commentary = "Admissions are above plan."


class ChartDrawingFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ChartDrawing

    key = factory.Sequence(lambda n: f"{n:064x}")
    svg = '<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10"></svg>'
