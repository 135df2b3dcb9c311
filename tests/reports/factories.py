"""Factories for board pack records."""

import factory

from bettercare.periods import Quarter, parse_quarter
from reports.models import PortfolioRating, Priority
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
