"""Factories for highlight reports and their rows: a report in any status of the workflow, with
only the rows a test asks for (`FinancialLineFactory(report=report)`)."""

from decimal import Decimal

import factory
from django.utils import timezone

from bettercare.periods import Quarter
from schemes.models import (
    OTHER_SOURCE,
    AssociatedContract,
    BcfAim,
    FinancialLine,
    HighlightReport,
    HighlightReportEvent,
    KeyDevelopment,
    KeyDevelopmentAim,
    PerformanceIndicator,
    Risk,
)
from schemes.workflow import Action, Status
from tests.factories import PartnerFactory, SchemeFactory, UserFactory


class HighlightReportFactory(factory.django.DjangoModelFactory):
    """A report of a scheme for 2018/19 Quarter 1, as a Draft unless `status` says otherwise
    (the record only: no workflow step is taken, so no event is recorded)."""

    class Meta:
        model = HighlightReport

    scheme = factory.SubFactory(SchemeFactory)
    quarter = Quarter.parse("2018-19-Q1")
    status = Status.DRAFT
    host_organisation = factory.LazyAttribute(lambda report: report.scheme.host_label)
    report_author = "Alex Morgan"


class FinancialLineFactory(factory.django.DjangoModelFactory):
    """The partner's own contribution (a CCG's NHS money) unless told otherwise."""

    class Meta:
        model = FinancialLine

    report = factory.SubFactory(HighlightReportFactory)
    partner = factory.LazyAttribute(lambda line: PartnerFactory(area=line.report.scheme.area))
    source = "nhs"
    other_source = ""
    annual_value = Decimal("1240000.00")
    projected_spend = Decimal("1208000.00")

    class Params:
        other = factory.Trait(partner=None, source=OTHER_SOURCE, other_source="Other grant")


class KeyDevelopmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyDevelopment
        skip_postgeneration_save = True

    report = factory.SubFactory(HighlightReportFactory)
    text = "A new contract."

    @factory.post_generation
    def aims(development, create, aims, **kwargs):
        for aim in aims or ():
            KeyDevelopmentAim.objects.create(development=development, aim=BcfAim(aim))


class KeyDevelopmentAimFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = KeyDevelopmentAim

    development = factory.SubFactory(KeyDevelopmentFactory)
    aim = BcfAim.EXPERIENCE


class PerformanceIndicatorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PerformanceIndicator

    report = factory.SubFactory(HighlightReportFactory)
    indicator = "Carers identified"
    progress = "On track"


class RiskFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Risk

    report = factory.SubFactory(HighlightReportFactory)
    risk = "Demand"
    mitigation = "A waiting list"


class AssociatedContractFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AssociatedContract

    report = factory.SubFactory(HighlightReportFactory)
    contract = "Carers support service"


class HighlightReportEventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = HighlightReportEvent

    report = factory.SubFactory(HighlightReportFactory)
    action = Action.START
    from_status = ""
    to_status = Status.DRAFT
    actor = factory.SubFactory(UserFactory)
    at = factory.LazyFunction(timezone.now)
