"""Reading a finance file of budgets and forecasts, and what importing it would change.

The file has exactly the columns `area,financial_year,scheme,partner,kind,month,amount`, and
may end with a `note` column:

    area            the area's ONS code, e.g. E06000045
    financial_year  2018-19 (or 2018/19)
    scheme          the scheme's number in the area
    partner         the partner's short code, e.g. CCG or SCC
    kind            budget (month empty) or forecast
    month           for a forecast, the month it was made in: 2018-08 (Month 5)
    amount          pounds: 1300000.00, £1.3m, £1,300,000
    note            optional: the finance lead's reason for a forecast (empty for a budget); an
                    empty note leaves the note already held as it is

This module declares the file for the import engine (`bettercare.imports`): its columns, the
checks of each row, what is held and how budgets and forecasts are written. The engine checks
the whole file before anything is written: any bad row refuses the file, with every bad row
listed by line number. `services.finance_file_import` applies a file.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Q
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from bettercare.funding import OWN_CONTRIBUTION
from bettercare.import_templates import TemplateColumn
from bettercare.imports import Change, CheckedRow, ImportPlan, Lookups, TabularImport
from bettercare.models import Area, Partner, Scheme
from bettercare.money import MoneyError, format_full, parse_money
from bettercare.periods import FinancialYear, Month, PeriodError, parse_financial_year, parse_month

from . import permissions
from .models import Budget, Forecast

COLUMNS = ("area", "financial_year", "scheme", "partner", "kind", "month", "amount")
OPTIONAL_COLUMNS = ("note",)
NOTE_LENGTH = 2000  # characters: a reason, not a report
# What each column holds, for the template the upload page offers (same order as COLUMNS).
TEMPLATE_COLUMNS = (
    TemplateColumn("area", "The area's ONS code, e.g. E06000045."),
    TemplateColumn("financial_year", "The financial year, e.g. 2018-19 (or 2018/19)."),
    TemplateColumn("scheme", "The scheme's number in the area, e.g. 2."),
    TemplateColumn("partner", "The partner's short code, e.g. CCG or SCC."),
    TemplateColumn("kind", "budget, or forecast."),
    TemplateColumn(
        "month",
        "For a forecast, the month it was made in, e.g. 2018-08 (Month 5); empty for a budget.",
        required=False,
    ),
    TemplateColumn("amount", "Pounds, e.g. 1300000.00, £1.3m or £1,300,000."),
    TemplateColumn(
        "note",
        "For a forecast, the finance lead's reason for it (optional); empty for a budget.",
        required=False,
    ),
)
BUDGET, FORECAST = "budget", "forecast"


@dataclass(slots=True, kw_only=True)
class FinanceRow(CheckedRow):
    """A checked row of a finance file. `key` is what the row replaces when imported again: one
    budget per scheme, partner and year, one forecast per scheme, partner and month; `values`
    its amount."""

    area: Area
    financial_year: FinancialYear
    scheme: Scheme
    partner: Partner
    kind: str
    month: Month | None
    amount: Decimal
    note: str = ""

    @property
    def period_label(self) -> str:
        if self.kind == BUDGET:
            return self.financial_year.label
        return f"Month {self.month.number} ({self.month})"

    @property
    def current(self) -> Decimal | None:
        """The amount held now, None for a new budget or forecast."""
        return self.held[0] if self.held else None

    def describe(self) -> str:
        return f"scheme {self.scheme.number}, {self.partner.code}, {self.kind} {self.period_label}"


class FinancePlan(ImportPlan):
    """What importing a finance file would do, with the years and months it covers."""

    @property
    def months(self) -> list[Month]:
        return sorted({row.month for row in self.rows if row.month is not None})

    @property
    def years(self) -> list[FinancialYear]:
        return sorted({row.financial_year for row in self.rows})

    @property
    def budget_count(self) -> int:
        return sum(1 for row in self.rows if row.kind == BUDGET)

    @property
    def forecast_count(self) -> int:
        return sum(1 for row in self.rows if row.kind == FORECAST)

    def summary(self) -> str:
        counts = self.counts
        return (
            f"{self.budget_count} budget{'s' if self.budget_count != 1 else ''} and "
            f"{self.forecast_count} forecast{'s' if self.forecast_count != 1 else ''}: "
            f"{counts[Change.NEW]} new, {counts[Change.REPLACED]} changed, "
            f"{counts[Change.UNCHANGED]} unchanged"
        )


class FinanceLookups(Lookups):
    """The schemes and partners of the areas the file names, read once."""

    def __init__(self, rows, *, only_area, area_column):
        super().__init__(rows, only_area=only_area, area_column=area_column)
        areas = list(self.areas.values())
        self.schemes = {
            (scheme.area_id, scheme.number): scheme
            for scheme in Scheme.objects.filter(area__in=areas)
        }
        self.partners = {
            (partner.area_id, partner.code): partner
            for partner in Partner.objects.filter(area__in=areas)
        }


class FinanceFile(TabularImport):
    """A file of budgets and forecasts for one or more areas."""

    kind = "finance"
    columns = COLUMNS
    optional = OPTIONAL_COLUMNS
    what = "budgets or forecasts"
    plan_class = FinancePlan

    def lookups(self, rows, *, only_area):
        return FinanceLookups(rows, only_area=only_area, area_column=self.area_column)

    def check_row(self, row, problems, lookups):
        return _check_row(row, problems, lookups)

    def describe(self, row: FinanceRow) -> str:
        return row.describe()

    def held(self, rows):
        """Two queries, whatever the file's size. A forecast's note is compared only where the
        row gives one: an empty note leaves the note held as it is, so it changes nothing."""
        noted = {row.key for row in rows if row.note}
        budget_filter = Q()
        for area_id, year in {
            (row.area.pk, str(row.financial_year)) for row in rows if row.kind == BUDGET
        }:
            budget_filter |= Q(area_id=area_id, financial_year=year)
        months_by_area: dict[int, set[str]] = {}
        for row in rows:
            if row.kind == FORECAST:
                months_by_area.setdefault(row.area.pk, set()).add(str(row.month))
        forecast_filter = Q()
        for area_id, months in months_by_area.items():
            forecast_filter |= Q(area_id=area_id, month__in=sorted(months))
        if budget_filter:
            for budget in Budget.objects.filter(budget_filter):
                key = (BUDGET, budget.scheme_id, budget.partner_id, str(budget.financial_year))
                yield key, budget, (budget.amount,)
        if forecast_filter:
            for forecast in Forecast.objects.filter(forecast_filter):
                key = (FORECAST, forecast.scheme_id, forecast.partner_id, str(forecast.month))
                held = (forecast.amount, forecast.note) if key in noted else (forecast.amount,)
                yield key, forecast, held

    def write(self, plan, *, user, reason):
        return finance_plan_write(plan, user=user, reason=reason)

    def may_import(self, user, area) -> bool:
        return permissions.may_import_finance(user, area)


FINANCE_FILE = FinanceFile()


def _check_row(row, problems, lookups: FinanceLookups) -> FinanceRow | None:
    area = lookups.area(row, problems)

    year = None
    try:
        year = parse_financial_year(row["financial_year"])
    except PeriodError as error:
        problems.add(row, f"financial_year: {error}", "financial_year")

    scheme = None
    number = row["scheme"]
    if not number.isdigit():
        problems.add(
            row, f"scheme '{number}' is not a scheme number: give the number, e.g. 2.", "scheme"
        )
    elif area is not None:
        scheme = lookups.schemes.get((area.pk, int(number)))
        if scheme is None:
            problems.add(row, f"{area.name} has no scheme {int(number)}.", "scheme")
        elif year is not None and not scheme.is_active_in(year):
            problems.add(
                row,
                f"scheme {scheme.number} ({scheme.name}) is not running in {year.label}.",
                "scheme",
            )

    partner = None
    if not row["partner"]:
        problems.add(row, "partner is empty: give the partner's code, e.g. CCG or SCC.", "partner")
    elif area is not None:
        partner = lookups.partners.get((area.pk, row["partner"].upper()))
        if partner is None:
            known = ", ".join(sorted(code for (pk, code) in lookups.partners if pk == area.pk))
            problems.add(
                row,
                f"{area.name} has no partner {row['partner']} (its partners are {known}).",
                "partner",
            )

    kind = row["kind"].lower()
    month = None
    if kind not in (BUDGET, FORECAST):
        problems.add(row, f"kind '{row['kind']}' must be budget or forecast.", "kind")
    elif kind == BUDGET and row["month"]:
        problems.add(
            row, "a budget is for the whole year: leave month empty for a budget.", "month"
        )
    elif kind == FORECAST:
        if not row["month"]:
            problems.add(row, "a forecast needs the month it was made in, e.g. 2018-08.", "month")
        else:
            try:
                month = parse_month(row["month"])
            except PeriodError as error:
                problems.add(row, f"month: {error}", "month")
            else:
                if year is not None and month.financial_year != year:
                    problems.add(
                        row,
                        f"month {month} is outside the financial year {year.label} "
                        f"({year.months()[0]} to {year.months()[-1]}).",
                        "month",
                    )

    amount = None
    if not row["amount"]:
        problems.add(row, "amount is empty.", "amount")
    else:
        try:
            amount = parse_money(row["amount"])
        except MoneyError as error:
            problems.add(row, f"amount: {error}", "amount")
        else:
            if amount < 0:
                problems.add(
                    row,
                    f"amount {format_full(amount)} is negative: budgets and forecasts are "
                    "amounts to spend, from zero up.",
                    "amount",
                )

    note = row["note"]
    if note and kind == BUDGET:
        problems.add(
            row, "a note gives the reason for a forecast: leave note empty for a budget.", "note"
        )
    elif len(note) > NOTE_LENGTH:
        problems.add(row, f"note is longer than {NOTE_LENGTH} characters.", "note")

    if any(part is None for part in (area, year, scheme, partner, amount)) or (
        kind == FORECAST and month is None
    ):
        return None
    period = year if kind == BUDGET else month
    return FinanceRow(
        line=row.line,
        key=(kind, scheme.pk, partner.pk, str(period)),
        # What the row writes: its amount, and its note when it gives one (see `held`).
        values=(amount, note) if note else (amount,),
        area=area,
        financial_year=year,
        scheme=scheme,
        partner=partner,
        kind=kind,
        month=month,
        amount=amount,
        note=note,
    )


def finance_plan_write(plan: FinancePlan, *, user, reason: str) -> FinancePlan:
    """Write the plan: new budgets and forecasts are added, changed amounts replace the stored
    ones (the old amount stays in their history), unchanged ones are left alone. A forecast
    takes the note of its row (the file's optional last column); a row without a note leaves
    the forecast's note as it is, so a file without notes never wipes one written on the
    Finance pages."""
    history = {"default_user": user, "default_change_reason": reason[:100] or None}
    new = plan.of(Change.NEW)
    new_budgets = [
        Budget(
            area=row.area,
            financial_year=row.financial_year,
            scheme=row.scheme,
            partner=row.partner,
            amount=row.amount,
            funding_source=OWN_CONTRIBUTION[row.partner.kind],
        )
        for row in new
        if row.kind == BUDGET
    ]
    new_forecasts = [
        Forecast(
            area=row.area,
            financial_year=row.month.financial_year,
            month=row.month,
            scheme=row.scheme,
            partner=row.partner,
            amount=row.amount,
            note=row.note,
        )
        for row in new
        if row.kind != BUDGET
    ]
    changed: dict[type, list] = {Budget: [], Forecast: []}
    for row in plan.of(Change.REPLACED):
        row.existing.amount = row.amount
        if row.note:
            row.existing.note = row.note
        changed[type(row.existing)].append(row.existing)

    if new_budgets:
        bulk_create_with_history(new_budgets, Budget, batch_size=500, **history)
    if new_forecasts:
        bulk_create_with_history(new_forecasts, Forecast, batch_size=500, **history)
    for model, objects in changed.items():
        if objects:
            fields = ["amount", "note"] if model is Forecast else ["amount"]
            bulk_update_with_history(objects, model, fields, batch_size=500, **history)
    return plan


def finance_file_check(*, data: bytes, file_name: str, area: Area | None = None) -> FinancePlan:
    """The plan of the file (see `bettercare.imports.TabularImport.plan`). With `area`, every
    row must be for that area (an upload in the web pages); without, each row names its area
    (the command line)."""
    return FINANCE_FILE.plan(content=data, file_name=file_name, only_area=area)
