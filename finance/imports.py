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

The whole file is checked before anything is written: any bad row refuses the file, with every
bad row listed by line number (`bettercare.tabular`). Writing is `services.finance_rows_import`.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Q

from bettercare.import_templates import TemplateColumn
from bettercare.models import Area, Partner
from bettercare.money import MoneyError, format_full, parse_money
from bettercare.periods import FinancialYear, Month, PeriodError, parse_financial_year, parse_month
from bettercare.tabular import Problems, Row, has_extra_cells, read_rows
from schemes.models import Scheme

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
STAGED_KIND = "finance"  # StagedImport.kind of finance uploads


@dataclass(frozen=True)
class FinanceRow:
    """A checked row of a finance file."""

    line: int
    area: Area
    financial_year: FinancialYear
    scheme: Scheme
    partner: Partner
    kind: str
    month: Month | None
    amount: Decimal
    note: str = ""

    @property
    def key(self) -> tuple:
        """What the row replaces when imported again: one budget per scheme, partner and year;
        one forecast per scheme, partner and month."""
        period = self.financial_year if self.kind == BUDGET else self.month
        return (self.kind, self.scheme.pk, self.partner.pk, str(period))

    @property
    def period_label(self) -> str:
        if self.kind == BUDGET:
            return self.financial_year.label
        return f"Month {self.month.number} ({self.month})"

    def describe(self) -> str:
        return f"scheme {self.scheme.number}, {self.partner.code}, {self.kind} {self.period_label}"


def finance_file_check(
    *, data: bytes, file_name: str, area: Area | None = None
) -> list[FinanceRow]:
    """The file's rows, checked; raises `FileRefused` naming every bad row. With `area`, every
    row must be for that area (an upload in the web pages); without, each row names its area
    (the command line)."""
    rows = read_rows(data, file_name=file_name, columns=COLUMNS, optional=OPTIONAL_COLUMNS)
    problems = Problems()
    if not rows:
        problems.add(1, "The file has a header but no rows of budgets or forecasts.")
        problems.refuse_if_any(file_name)

    areas = _areas_named(rows, only=area)
    schemes = {
        (scheme.area_id, scheme.number): scheme
        for scheme in Scheme.objects.filter(area__in=areas.values())
    }
    partners = {
        (partner.area_id, partner.code): partner
        for partner in Partner.objects.filter(area__in=areas.values())
    }

    checked: list[FinanceRow] = []
    first_line: dict[tuple, int] = {}
    for row in rows:
        result = _check_row(row, problems, area, areas, schemes, partners)
        if result is None:
            continue
        if result.key in first_line:
            problems.add(
                row,
                f"a second {result.describe()}: line {first_line[result.key]} already gives it. "
                "Keep one of the two.",
            )
            continue
        first_line[result.key] = row.line
        checked.append(result)
    problems.refuse_if_any(file_name)
    return checked


def _areas_named(rows: Sequence[Row], only: Area | None) -> dict[str, Area]:
    if only is not None:
        return {only.code: only}
    codes = {row["area"].upper() for row in rows if row["area"]}
    return {area.code: area for area in Area.objects.filter(code__in=codes)}


def _check_row(row, problems, only, areas, schemes, partners) -> FinanceRow | None:
    before = len(problems.items)
    if has_extra_cells(row):
        problems.add(row, "has more cells than the columns of the header.")

    area = None
    code = row["area"].upper()
    if not code:
        problems.add(row, "area is empty: give the area's ONS code, e.g. E06000045.", "area")
    elif only is not None and code != only.code:
        problems.add(
            row,
            f"is for area {row['area']}, but this upload is for {only.name} ({only.code}) only.",
            "area",
        )
    else:
        area = areas.get(code)
        if area is None:
            problems.add(row, f"there is no area with the code {row['area']}.", "area")

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
        scheme = schemes.get((area.pk, int(number)))
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
        partner = partners.get((area.pk, row["partner"].upper()))
        if partner is None:
            known = ", ".join(sorted(code for (pk, code) in partners if pk == area.pk))
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

    if len(problems.items) > before:
        return None
    return FinanceRow(
        line=row.line,
        area=area,
        financial_year=year,
        scheme=scheme,
        partner=partner,
        kind=kind,
        month=month,
        amount=amount,
        note=note,
    )


@dataclass(frozen=True)
class Change:
    row: FinanceRow
    existing: Budget | Forecast | None  # None: a new budget or forecast

    @property
    def current(self) -> Decimal | None:
        return None if self.existing is None else self.existing.amount

    @property
    def note_changes(self) -> bool:
        """The row gives a forecast a new note (an empty note leaves the held one alone)."""
        return bool(self.row.note) and getattr(self.existing, "note", "") != self.row.note


@dataclass
class ImportPlan:
    """What importing the rows would do: budgets and forecasts to add, to change, and how many
    are already as the file says."""

    rows: list[FinanceRow]
    new: list[Change] = field(default_factory=list)
    changed: list[Change] = field(default_factory=list)
    unchanged: int = 0

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

    @property
    def has_changes(self) -> bool:
        return bool(self.new or self.changed)

    @property
    def fingerprint(self) -> str:
        """Identifies what importing would change: shown with the preview and checked when it
        is applied, so a file is never applied against figures that moved meanwhile."""
        digest = hashlib.sha256()
        for change in [*self.new, *self.changed]:
            digest.update(
                f"{change.row.key}|{change.current}|{change.row.amount}|{change.row.note}\n".encode()
            )
        return digest.hexdigest()[:32]

    def summary(self) -> str:
        return (
            f"{self.budget_count} budget{'s' if self.budget_count != 1 else ''} and "
            f"{self.forecast_count} forecast{'s' if self.forecast_count != 1 else ''}: "
            f"{len(self.new)} new, {len(self.changed)} changed, {self.unchanged} unchanged"
        )


def finance_import_plan(*, rows: Sequence[FinanceRow]) -> ImportPlan:
    """Compare checked rows with what is stored (two queries, whatever the file's size)."""
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

    stored: dict[tuple, Budget | Forecast] = {}
    if budget_filter:
        for budget in Budget.objects.filter(budget_filter):
            stored[(BUDGET, budget.scheme_id, budget.partner_id, str(budget.financial_year))] = (
                budget
            )
    if forecast_filter:
        for forecast in Forecast.objects.filter(forecast_filter):
            stored[(FORECAST, forecast.scheme_id, forecast.partner_id, str(forecast.month))] = (
                forecast
            )

    plan = ImportPlan(rows=list(rows))
    for row in rows:
        existing = stored.get(row.key)
        if existing is None:
            plan.new.append(Change(row, None))
        elif existing.amount != row.amount or Change(row, existing).note_changes:
            plan.changed.append(Change(row, existing))
        else:
            plan.unchanged += 1
    return plan
