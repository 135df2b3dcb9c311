"""Southampton's pooled fund, budgets and forecasts for the demo (`manage.py load_demo`).

2017/18 is from the Better Care Plan 2017-19 (sections 9.1 and 9.2); 2018/19 is illustrative
and marked so. Budgets and forecasts are imported from the CSV files in `fixtures/southampton/`
through the same import as an analyst's upload; everything is written through the services, so
loading twice leaves the same data as loading once.
"""

from __future__ import annotations

from decimal import Decimal

from bettercare.demo import FIXTURES, read_fixture
from bettercare.demo_scaling import scaled_finance
from bettercare.periods import parse_financial_year, parse_month

from .models import Budget, Forecast
from .services import (
    budget_funding_source_set,
    finance_file_import,
    forecast_note_save,
    pooled_fund_save,
)


def load(*, area, log) -> None:
    data = read_fixture("finance.json")
    partners = {partner.code: partner for partner in area.partners.all()}
    for fund in data["pooled_funds"]:
        pooled_fund_save(
            area=area,
            financial_year=parse_financial_year(fund["financial_year"]),
            national_minimum=Decimal(fund["national_minimum"]),
            contributions={
                (partners[item["partner"]], item["stream"]): Decimal(item["amount"])
                for item in fund["contributions"]
            },
            illustrative=fund["illustrative"],
            source=fund["source"],
        )

    imported = []
    for name in data["budget_files"]:
        plan = finance_file_import(data=(FIXTURES / name).read_bytes(), file_name=name, area=area)
        imported.append(f"{name} ({plan.summary()})")

    for item in data["funding_sources"]:
        budget = Budget.objects.get(
            area=area,
            financial_year=parse_financial_year(item["financial_year"]),
            scheme__number=item["scheme"],
            partner__code=item["partner"],
        )
        budget_funding_source_set(budget=budget, source=item["source"])

    for item in data["notes"]:
        forecast = Forecast.objects.get(
            area=area,
            month=parse_month(item["month"]),
            scheme__number=item["scheme"],
            partner__code=item["partner"],
        )
        forecast_note_save(forecast=forecast, note=item["note"])
    log(f"Finance: pooled funds 2017/18 and 2018/19 (illustrative); {'; '.join(imported)}")


def load_scaled(*, area, scale, years, log) -> None:
    """Another demo area's pooled fund, budgets and forecasts: Southampton's, scaled by
    population to the penny (`bettercare.demo_scaling`), every pooled fund marked
    illustrative. (`years` are those the demo files hold: 2017/18 and 2018/19.)"""
    data = read_fixture("finance.json")
    partners = {partner.code: partner for partner in area.partners.all()}
    for fund in data["pooled_funds"]:
        pooled_fund_save(
            area=area,
            financial_year=parse_financial_year(fund["financial_year"]),
            national_minimum=scale.money(fund["national_minimum"]),
            contributions={
                (partners[scale.partner(item["partner"])], item["stream"]): scale.money(
                    item["amount"]
                )
                for item in fund["contributions"]
            },
            illustrative=True,
            source=f"Illustrative: Southampton's demo pool scaled to {area.name}'s population.",
        )
    imported = []
    for name in data["budget_files"]:
        content = scaled_finance((FIXTURES / name).read_bytes(), scale)
        plan = finance_file_import(data=content, file_name=f"{area.code}-{name}", area=area)
        imported.append(plan.summary())
    log(f"{area.name} finance (illustrative): {'; '.join(imported)}")
