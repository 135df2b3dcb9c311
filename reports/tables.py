"""The pack's tables, shown on screen, printed in the PDF and exported to XLSX from one place."""

from __future__ import annotations

from dataclasses import dataclass

import django_tables2 as tables
from django.template.defaultfilters import linebreaksbr
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import format_html, format_html_join

from bettercare.money import format_percent, round_half_up
from bettercare.periods import Month, Quarter, parse_period
from bettercare.spreadsheets import COUNT, DATE, PERCENT, POUNDS
from finance.tables import MoneyColumn
from finance.variance import PooledFund
from metrics.selectors import RagRow, RagSummary
from metrics.tables import comparison_html, comparison_words, figure

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

    xlsx_formats = {"updated": DATE}

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

    def value_updated(self, value):
        # The day, as a date a spreadsheet can sort ("Updated" on the page is the day too).
        return timezone.localdate(value) if value else None


class SchemeListTable(tables.Table):
    """The numbered list of schemes in the overview. Rows are `Scheme`s with `year_name` set."""

    number = tables.Column("No.", orderable=False)
    name = tables.Column("Scheme", accessor="year_name", orderable=False)
    host = tables.Column("Host organisation", accessor="host_label", orderable=False)

    xlsx_formats = {"number": COUNT}

    class Meta:
        empty_text = "There are no schemes in this quarter."
        attrs = {"class": "nhsuk-table pack-table"}


class HighlightTable(tables.Table):
    """The key highlights per priority, for the export. Rows are `PriorityHighlight`s."""

    number = tables.Column("No.", accessor="priority__number", orderable=False)
    priority = tables.Column("Priority", accessor="priority__title", orderable=False)
    text = tables.Column("Key highlights", orderable=False, default="")

    xlsx_formats = {"number": COUNT}


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

    # The share is the percentage itself (66.4 is 66.4%), as the CSV would give it.
    xlsx_formats = {"amount": POUNDS, "share_pct": PERCENT}

    class Meta:
        orderable = False  # printed: headings are not sort links
        attrs = {"class": "nhsuk-table pack-table pack-pool"}
        row_attrs = {"class": lambda record: f"bc-finance-row bc-finance-row--{record['kind']}"}

    def render_share_pct(self, value):
        return format_percent(value, 1)

    def value_share_pct(self, value):
        return "" if value is None else round_half_up(value, 1)


@dataclass(frozen=True)
class PerformanceRow:
    """A metric of the performance table: its row of the RAG summary, the pack's commentary
    and the numbers of its caveats among the table's notes."""

    rag: RagRow
    commentary: str
    note_numbers: tuple[int, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        return self.rag.notes


def performance_rows(
    summary: RagSummary, commentary: dict[int, str]
) -> tuple[list[PerformanceRow], list[str]]:
    """The summary's rows with the pack's commentary (metric id -> text), and the table's notes:
    every caveat once, numbered in the order the table first meets it."""
    notes: list[str] = []
    rows = []
    for row in summary.rows:
        numbers = []
        for note in row.notes:
            if note not in notes:
                notes.append(note)
            numbers.append(notes.index(note) + 1)
        rows.append(
            PerformanceRow(
                rag=row,
                commentary=commentary.get(row.metric.pk, ""),
                note_numbers=tuple(numbers),
            )
        )
    return rows, notes


def compared_as(row: RagRow) -> str:
    """What a row compares, in words, from the periods the rating was worked out on: the year
    to date of a count ("Year to date, April to August 2018"), the latest period alone of a
    rate ("August 2018 alone"; "Quarter One 2018/19 alone" for a quarterly one)."""
    periods = [parse_period(period) for period in row.periods]
    if not periods:
        return "No period ends in the data month"
    first, last = periods[0], periods[-1]
    if len(periods) == 1:
        return f"{last.label} alone"
    start = first.label.split(" ")[0] if isinstance(first, Month) else first.label
    return f"Year to date, {start} to {last.label}"


class PerformanceTable(tables.Table):
    """The performance table: each metric rated against its target and last year, with the
    pack's commentary. Rows are `PerformanceRow`s. The figures compared are in the export
    only (hidden columns): the printed table keeps the boards' four columns."""

    group = tables.Column("Group", accessor="rag__group_label", visible=False)
    metric = tables.Column("Metric", accessor="rag__name")
    compared = tables.Column("Compared", accessor="rag", visible=False)
    actual = tables.Column("Actual", accessor="rag__actual", visible=False)
    plan = tables.Column("Target", accessor="rag__plan", visible=False)
    last_year = tables.Column("Last year", accessor="rag__last_year", visible=False)
    vs_plan = tables.Column("Year to Date vs. Target", accessor="rag__vs_plan")
    vs_last_year = tables.Column("Year to Date vs. Last Year", accessor="rag__vs_last_year")
    commentary = tables.Column("Commentary", accessor="commentary", empty_values=())
    caveats = tables.Column("Caveats", accessor="notes", visible=False, empty_values=())

    class Meta:
        orderable = False
        default = ""
        empty_text = "No metric has figures for this month."
        attrs = {
            "class": "nhsuk-table pack-table pack-performance",
            "data-testid": "performance-table",
        }

    def __init__(self, data, *, caption: str = "", **kwargs):
        super().__init__(data, **kwargs)
        self.caption = caption

    def render_metric(self, value, record):
        notes = format_html_join(
            "",
            '<sup class="pack-note-ref"><a href="#performance-note-{}">{}</a></sup>',
            ((number, number) for number in record.note_numbers),
        )
        return format_html(
            '{}{}<br><span class="pack-compared">{}: {}; target {}; last year {}</span>',
            value,
            notes,
            compared_as(record.rag),
            record.rag.actual_display,
            record.rag.plan_display if record.rag.plan is not None else "none",
            record.rag.last_year_display,
        )

    def value_metric(self, value, record):
        return value

    def value_compared(self, value, record):
        return compared_as(value)

    # The figures compared, as numbers in their unit's format (a count, a rate, a percentage),
    # exactly as the dashboard's export writes them.
    def value_actual(self, value, record):
        return figure(value, record.rag.unit)

    def value_plan(self, value, record):
        return figure(value, record.rag.unit)

    def value_last_year(self, value, record):
        return figure(value, record.rag.unit)

    def render_vs_plan(self, value, record):
        return comparison_html(value, inline=True)

    def value_vs_plan(self, value, record):
        return comparison_words(value)

    def render_vs_last_year(self, value, record):
        return comparison_html(value, inline=True)

    def value_vs_last_year(self, value, record):
        return comparison_words(value)

    def render_commentary(self, value, record):
        return linebreaksbr(value, autoescape=True)

    def render_caveats(self, value, record):
        return " ".join(value)

    def value_caveats(self, value, record):
        return " ".join(value)
