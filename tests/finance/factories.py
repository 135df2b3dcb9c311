"""Factories for the pooled fund, budgets and forecasts (2018/19, a CCG's money, unless told)."""

from decimal import Decimal

import factory

from bettercare.funding import FundingSource
from bettercare.periods import FinancialYear, Month
from finance.models import Budget, Contribution, Forecast, FundingStream, PooledFundYear
from tests.factories import AreaFactory, PartnerFactory, SchemeFactory


class PooledFundYearFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PooledFundYear
        django_get_or_create = ["area", "financial_year"]

    area = factory.SubFactory(AreaFactory)
    financial_year = FinancialYear(2018)
    national_minimum = Decimal("16484000.00")


class ContributionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Contribution

    fund = factory.SubFactory(PooledFundYearFactory)
    partner = factory.LazyAttribute(lambda item: PartnerFactory(area=item.fund.area))
    stream = FundingStream.NHS_MINIMUM
    amount = Decimal("16484000.00")


class BudgetFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Budget

    scheme = factory.SubFactory(SchemeFactory)
    area = factory.SelfAttribute("scheme.area")
    financial_year = FinancialYear(2018)
    partner = factory.LazyAttribute(lambda budget: PartnerFactory(area=budget.scheme.area))
    amount = Decimal("1240000.00")
    funding_source = FundingSource.NHS


class ForecastFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Forecast

    scheme = factory.SubFactory(SchemeFactory)
    area = factory.SelfAttribute("scheme.area")
    month = Month(2018, 8)
    financial_year = factory.LazyAttribute(lambda forecast: forecast.month.financial_year)
    partner = factory.LazyAttribute(lambda forecast: PartnerFactory(area=forecast.scheme.area))
    amount = Decimal("1240000.00")
