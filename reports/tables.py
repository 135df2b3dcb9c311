"""The pack's tables, shown on screen, printed in the PDF and exported to XLSX from one place."""

from __future__ import annotations

import django_tables2 as tables
from django.template.loader import render_to_string

from bettercare.money import format_percent, round_half_up
from bettercare.periods import Quarter
from finance.tables import MoneyColumn
from finance.variance import PooledFund

from .models import PortfolioRating

NOT_RATED = "Not rated"


def rag_text(rating: PortfolioRating | None) -> str:
    return rating.get_rag_display() if rating else NOT_RATED


def rag_badge(rating: PortfolioRating | None) -> str:
    """The rating as the shared RAG badge: the written label always, colour as reinforcement."""
    return render_to_string(
        "includes/rag_badge.html",
        {"rag": rating.rag if rating else "", "label": rag_text(rating)},
    )


class PortfolioTable(tables.Table):
    """Each scheme with its lead(s), its rating last quarter and this quarter, and the
    narrative. Rows are `selectors.PortfolioRow`."""

    # empty_values=(): a missing rating is still rendered and exported ("Not rated"), not
    # replaced by the table's default.
    scheme = tables.Column("Scheme", accessor="name", orderable=False)
    leads = tables.Column("Lead(s)", accessor="leads", orderable=False, empty_values=())
    previous = tables.Column(accessor="previous", orderable=False, empty_values=())
    current = tables.Column(accessor="current", orderable=False, empty_values=())
    narrative = tables.Column("Narrative", accessor="current", orderable=False, empty_values=())
    updated = tables.DateColumn(
        format="j M Y", verbose_name="Updated", accessor="updated", orderable=False
    )

    class Meta:
        empty_text = "There are no schemes in this quarter."
        attrs = {"class": "nhsuk-table pack-table pack-portfolio"}

    def __init__(self, data, *, quarter: Quarter, **kwargs):
        super().__init__(data, **kwargs)
        self.columns["previous"].column.verbose_name = f"RAG {quarter.previous().short_label}"
        self.columns["current"].column.verbose_name = f"RAG {quarter.short_label}"

    def render_scheme(self, value, record):
        return f"{record.number}. {value}"

    def render_leads(self, value):
        return ", ".join(value) or "Not assigned"

    def value_leads(self, value):
        return ", ".join(value)

    def render_previous(self, value):
        return rag_badge(value)

    def value_previous(self, value):
        return rag_text(value)

    def render_current(self, value):
        return rag_badge(value)

    def value_current(self, value):
        return rag_text(value)

    def render_narrative(self, value):
        return value.narrative if value else ""

    def value_narrative(self, value):
        return value.narrative if value else ""


class SchemeListTable(tables.Table):
    """The numbered list of schemes in the overview. Rows are `Scheme`s with `year_name` set."""

    number = tables.Column("No.", orderable=False)
    name = tables.Column("Scheme", accessor="year_name", orderable=False)
    host = tables.Column("Host organisation", accessor="host_label", orderable=False)

    class Meta:
        empty_text = "There are no schemes in this quarter."
        attrs = {"class": "nhsuk-table pack-table"}


class HighlightTable(tables.Table):
    """The key highlights per priority, for the export. Rows are `PriorityHighlight`s."""

    number = tables.Column("No.", accessor="priority__number", orderable=False)
    priority = tables.Column("Priority", accessor="priority__title", orderable=False)
    text = tables.Column("Key highlights", orderable=False, default="")


def pool_rows(fund: PooledFund) -> list[dict]:
    """Each partner's contribution to the pooled fund with its share, the total, and the
    national minimum it is measured against; every figure as `pooled_fund` gives it."""
    rows = [
        {
            "kind": "contribution",
            "partner": partner.partner.name,
            "amount": partner.contributed,
            "share_pct": partner.share_pct,
        }
        for partner in fund.by_partner
    ]
    rows.append({"kind": "total", "partner": "Total pooled", "amount": fund.total})
    if fund.national_minimum is not None:
        rows.append(
            {"kind": "minimum", "partner": "National minimum", "amount": fund.national_minimum}
        )
    return rows


class PoolTable(tables.Table):
    """The pooled fund by partner against the national minimum: £M on screen and in print,
    exact pounds in the export. Rows from `pool_rows`."""

    partner = tables.Column("Partner", orderable=False)
    amount = MoneyColumn("Contribution")
    share_pct = tables.Column(
        "Share of the pool",
        orderable=False,
        default="",
        attrs={"td": {"class": "bc-numeric"}, "th": {"class": "bc-numeric"}},
    )

    class Meta:
        orderable = False  # printed: headings are not sort links
        attrs = {"class": "nhsuk-table pack-table pack-pool"}
        row_attrs = {"class": lambda record: f"bc-finance-row bc-finance-row--{record['kind']}"}

    def render_share_pct(self, value):
        return format_percent(value, 1)

    def value_share_pct(self, value):
        return "" if value is None else round_half_up(value, 1)
