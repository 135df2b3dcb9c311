"""The month's position by scheme and partner, for the page and its CSV/XLSX export.

The page shows amounts as boards write them (£0.14M, (£0.20M) underspend); the export gives the
same figures exact to the penny, so a spreadsheet adds up to the page's totals.
"""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.utils.html import format_html

from bettercare.money import format_board, format_millions, format_percent, round_half_up
from bettercare.spreadsheets import COUNT, PERCENT_2, POUNDS

from .variance import Figures, FinancePosition

ALL_PARTNERS = "All partners"
ALL_SCHEMES = "All schemes"


def position_rows(position: FinancePosition) -> list[dict]:
    """One row per scheme and partner, then each scheme's total; then each partner's total and
    the total of the pool."""

    def row(kind: str, scheme: str, number, partner: str, figures: Figures, **extra) -> dict:
        return {
            "kind": kind,
            "number": number,
            "scheme": scheme,
            "partner": partner,
            "budget": figures.budget,
            "forecast": figures.forecast,
            "variance": figures.variance,
            "variance_pct": figures.variance_pct,
            "movement": figures.movement,
            **extra,
        }

    rows = []
    for scheme in position.schemes:
        for line in scheme.partners:
            rows.append(
                row(
                    "line",
                    scheme.name,
                    scheme.number,
                    line.partner.code,
                    line,
                    forecast_month=line.forecast_month,
                )
            )
        rows.append(row("scheme", scheme.name, scheme.number, ALL_PARTNERS, scheme))
    for partner in position.partners:
        rows.append(row("partner", ALL_SCHEMES, None, partner.partner.code, partner))
    rows.append(row("total", ALL_SCHEMES, None, ALL_PARTNERS, position.total))
    return rows


def _money(value: Decimal | None) -> str:
    return "" if value is None else format_millions(value)


class MoneyColumn(tables.Column):
    """£M to two places on the page, right aligned; exact pounds in exports."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "bc-numeric"}, "th": {"class": "bc-numeric"}})
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)

    def render(self, value):
        return _money(value)

    def value(self, value):
        return value


class VarianceColumn(MoneyColumn):
    def render(self, value):
        if value == 0:
            return "on budget"
        kind = "overspend" if value > 0 else "underspend"
        return format_html('{} <span class="bc-variance-kind">{}</span>', format_board(value), kind)


class PositionTable(tables.Table):
    number = tables.Column("No.", orderable=False, default="")
    scheme = tables.Column("Scheme", orderable=False)
    partner = tables.Column("Partner", orderable=False)
    budget = MoneyColumn("Budget")
    forecast = MoneyColumn("Forecast outturn")
    variance = VarianceColumn("Variance")
    variance_pct = tables.Column(
        "% of budget",
        orderable=False,
        default="",
        attrs={"td": {"class": "bc-numeric"}, "th": {"class": "bc-numeric"}},
    )
    movement = MoneyColumn("Movement since last month", default="")

    # How the XLSX export formats each column (the CSV has the same values unformatted).
    xlsx_formats = {
        "number": COUNT,
        "budget": POUNDS,
        "forecast": POUNDS,
        "variance": POUNDS,
        "variance_pct": PERCENT_2,
        "movement": POUNDS,
    }

    class Meta:
        orderable = False
        empty_text = "No budgets or forecasts for this year yet."
        row_attrs = {"class": lambda record: f"bc-finance-row bc-finance-row--{record['kind']}"}

    def __init__(self, data, *, outturn: bool = False, **kwargs):
        super().__init__(data, **kwargs)
        if outturn:
            self.columns["forecast"].column.verbose_name = "Outturn"

    def render_variance_pct(self, value):
        return format_percent(value, 2)

    def value_variance_pct(self, value):
        return "" if value is None else round_half_up(value, 2)

    def render_movement(self, value):
        if value is None:
            return "—"
        if value == 0:
            return "no change"
        return format_html(
            '{} <span class="bc-variance-kind">{}</span>',
            format_board(value),
            "worse" if value > 0 else "better",
        )

    def value_movement(self, value):
        return value
