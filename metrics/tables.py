"""django-tables2 tables of the metrics pages. Each column that shows something richer than
text on the page (a RAG badge, an icon) exports the same words through `value_<column>`."""

from __future__ import annotations

from decimal import Decimal

import django_tables2 as tables
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils.html import format_html

from bettercare.imports import Change
from bettercare.spreadsheets import COUNT, PERCENT, RATE, Figure

from .filters import breakdown_label
from .models import AgeGroup, MetricValue
from .units import Unit, format_value


def comparison_words(comparison) -> str:
    """'Slightly Off Track (2% higher than target)', 'Off Track (4.3% vs. 3.5% target)', or
    the label alone: the comparison's phrase (`rag.Comparison.phrase`), as every output prints
    it."""
    return comparison.phrase


def spc_words(result) -> str:
    """The words of the SPC icons, as the page shows them beside the icons."""
    variation, assurance = result.variation, result.assurance
    parts = [variation.label if variation else "No figures to chart"]
    if assurance:
        parts.append(assurance.label)
    if result.caution:
        parts.append(result.caution)
    return "; ".join(parts)


class NumericColumn(tables.Column):
    def __init__(self, *args, **kwargs):
        kwargs.setdefault("attrs", {"td": {"class": "bc-numeric"}, "th": {"class": "bc-numeric"}})
        kwargs.setdefault("orderable", False)
        super().__init__(*args, **kwargs)


# How an export writes a figure of each unit: the value itself, in its unit's format (an
# average per day keeps the one decimal place the page shows, as a rate does).
UNIT_FORMATS = {
    Unit.COUNT: COUNT,
    Unit.DAYS: COUNT,
    Unit.RATE: RATE,
    Unit.PERCENT: PERCENT,
    Unit.PER_DAY: RATE,
}


def figure(value, unit) -> Figure | None:
    if value is None:
        return None
    number_format = UNIT_FORMATS[Unit(unit)]
    if number_format == COUNT and value != value.to_integral_value():
        number_format = RATE  # a count spread over months keeps its decimal place
    return Figure(value, number_format)


class FigureColumn(NumericColumn):
    """A metric's figure: shown rounded for its unit, exported as the number itself."""

    def __init__(self, verbose_name, *, figure_of: str, **kwargs):
        self.figure_of = figure_of
        super().__init__(verbose_name, accessor=f"rag__{figure_of}_display", **kwargs)

    def value(self, record, value):
        return figure(getattr(record.rag, self.figure_of), record.rag.unit)


class DifferenceColumn(tables.Column):
    """The % difference behind a rating, in its own column of the exports (not on the page,
    where it is written out under the rating)."""

    def __init__(self, verbose_name, *, comparison: str, **kwargs):
        self.comparison = comparison
        kwargs.update(accessor=f"rag__{comparison}", orderable=False, visible=False)
        super().__init__(verbose_name, **kwargs)

    def value(self, record, value):
        pct = getattr(record.rag, self.comparison).pct
        return None if pct is None else Figure(pct.quantize(Decimal("0.1")), PERCENT)


class DashboardTable(tables.Table):
    """One row per metric; the rows are `selectors.DashboardRow`."""

    metric = tables.Column(
        "Metric", accessor="rag__name", orderable=False, attrs={"td": {"class": "bc-metric-name"}}
    )
    # On the page the group is written under the metric's name (a column of its own pushed
    # the table past the page's width); the exports keep it as a column.
    group = tables.Column("Group", accessor="rag__group_label", orderable=False, visible=False)
    unit = tables.Column("Unit", accessor="rag__unit_label", orderable=False, visible=False)
    month_actual = FigureColumn("Month", figure_of="month_actual")
    month_plan = FigureColumn("Month plan", figure_of="month_plan")
    actual = FigureColumn("YTD", figure_of="actual")
    plan = FigureColumn("YTD plan", figure_of="plan")
    vs_plan = tables.Column("Against plan", accessor="rag__vs_plan", orderable=False)
    vs_plan_difference = DifferenceColumn("Difference from plan (%)", comparison="vs_plan")
    last_year = FigureColumn("YTD last year", figure_of="last_year")
    vs_last_year = tables.Column("Against last year", accessor="rag__vs_last_year", orderable=False)
    vs_last_year_difference = DifferenceColumn(
        "Difference from last year (%)", comparison="vs_last_year"
    )
    spc = tables.Column("SPC", accessor="spc", orderable=False)
    status = tables.Column(
        "Data status",
        accessor="rag__status_label",
        orderable=False,
        attrs={"td": {"class": "bc-caveat"}},
    )
    # On the page a caveat is written under the data status; the exports keep its column.
    caveat = tables.Column(
        "Caveat", accessor="rag__notes", orderable=False, default="", visible=False
    )

    class Meta:
        default = "\u2013"
        empty_text = "No metric has figures for this month."
        template_name = "metrics/dashboard_table.html"
        attrs = {"class": "nhsuk-table-responsive bc-dashboard", "data-testid": "dashboard-table"}

    def __init__(self, *args, month=None, breakdown="", **kwargs):
        self.month = month
        self.breakdown = breakdown
        super().__init__(*args, **kwargs)

    def render_metric(self, value, record):
        url = reverse("metrics:metric", args=[record.rag.code])
        query = f"?month={self.month}" if self.month else ""
        if self.breakdown:
            query += f"&breakdown={self.breakdown}"
        rule = "year to date" if record.rag.ytd_rule == "sum" else "latest month"
        return format_html(
            '<a href="{}{}">{}</a><br><span class="bc-muted bc-small">{}; compared: {}</span>',
            url,
            query,
            value,
            record.rag.group_label,
            rule,
        )

    def value_metric(self, value, record):
        return value

    def render_vs_plan(self, value, record):
        return comparison_html(value)

    def value_vs_plan(self, value, record):
        return value.label  # the difference has a column of its own

    def render_vs_last_year(self, value, record):
        return comparison_html(value)

    def value_vs_last_year(self, value, record):
        return value.label

    def render_spc(self, value, record):
        return render_to_string("metrics/includes/spc_icons.html", {"result": value})

    def value_spc(self, value, record):
        return spc_words(value)

    def render_status(self, value, record):
        notes = record.rag.notes
        if not notes:
            return value
        return format_html(
            '{}<br><span class="bc-small" data-testid="caveat">Caveat: {}</span>',
            value,
            " ".join(notes),
        )

    def value_status(self, value, record):
        return value

    def render_caveat(self, value, record):
        return " ".join(value) if value else "\u2013"

    def value_caveat(self, value, record):
        return " ".join(value)


def comparison_html(comparison, *, inline: bool = False) -> str:
    """The comparison's phrase with its label as a coloured badge: 'Off Track (4.3% vs. 3.5%
    target)', the bracket after the label when `inline` (the board pack), below it otherwise."""
    return render_to_string(
        "includes/rag_comparison.html", {"comparison": comparison, "inline": inline}
    )


class MetricValueTable(tables.Table):
    """The stored figures of one metric."""

    period = tables.Column("Period")
    series = tables.Column("Series")
    breakdown = tables.Column("Breakdown", empty_values=())
    value = NumericColumn("Value", empty_values=())
    status = tables.Column("Status")
    note = tables.Column("Caveat")
    source = tables.Column("Loaded from", accessor="source", orderable=False)

    class Meta:
        model = MetricValue
        fields = ["period", "series", "breakdown", "value", "status", "note", "source"]
        orderable = False
        default = "\u2013"
        empty_text = "No figures held."

    def render_breakdown(self, value, record):
        return breakdown_label(value)

    def render_value(self, value, record):
        return format_value(value, record.metric.unit)

    def render_source(self, value, record):
        return str(value) if value else "\u2013"


class ImportChangeTable(tables.Table):
    """What applying an upload would change; rows are `imports.PlannedValue`."""

    line = NumericColumn("Line")
    change = tables.Column("Change", orderable=False)
    metric = tables.Column("Metric", accessor="metric__code", orderable=False)
    period = tables.Column("Period", orderable=False)
    series = tables.Column("Series", orderable=False)
    breakdown = tables.Column("Breakdown", orderable=False, empty_values=())
    old = tables.Column("Held now", accessor="old_value", orderable=False, empty_values=())
    new = tables.Column("In the file", accessor="value", orderable=False, empty_values=())

    class Meta:
        attrs = {"class": "nhsuk-table", "data-testid": "import-changes"}
        default = "\u2013"
        empty_text = "Nothing in this file changes the figures held."

    def render_change(self, value, record):
        return {Change.NEW: "New", Change.REPLACED: "Replaced"}.get(value, "Unchanged")

    def render_breakdown(self, value, record):
        return breakdown_label(value)

    def render_old(self, value, record):
        if record.change == Change.NEW:
            return "\u2013"
        return _figure_words(record.metric, value, record.old_status, record.old_note)

    def render_new(self, value, record):
        return _figure_words(record.metric, value, record.status, record.note)


def _figure_words(metric, value, status, note) -> str:
    words = format_value(value, metric.unit, missing="not available")
    if status == MetricValue.Status.PROVISIONAL:
        words += " (provisional)"
    if note:
        words += f": {note}"
    return words


class PopulationChangeTable(tables.Table):
    """What applying a populations upload would change; rows are `populations.PopulationRow`."""

    line = NumericColumn("Line")
    change = tables.Column("Change", orderable=False)
    financial_year = tables.Column("Year", orderable=False)
    age_group = tables.Column("Age group", orderable=False)
    old = NumericColumn("Held now", accessor="old_people", empty_values=())
    people = NumericColumn("In the file", empty_values=())
    source = tables.Column("Source", orderable=False)

    class Meta:
        attrs = {"class": "nhsuk-table", "data-testid": "import-changes"}
        default = "\u2013"
        empty_text = "Nothing in this file changes the populations held."

    def render_change(self, value, record):
        return {Change.NEW: "New", Change.REPLACED: "Replaced"}.get(value, "Unchanged")

    def render_financial_year(self, value, record):
        return value.label

    def render_age_group(self, value, record):
        return AgeGroup(value).label

    def render_old(self, value, record):
        return "\u2013" if value is None or record.change == Change.NEW else f"{value:,}"

    def render_people(self, value, record):
        return f"{value:,}"


class BenchmarkTable(tables.Table):
    """The benchmark of a metric's month: the areas in rank order, then the comparators.
    Rows are dicts made by `benchmark_rows` from `selectors.benchmarks.MetricBenchmark`."""

    rank = tables.Column(verbose_name="Rank", orderable=False)
    name = tables.Column(verbose_name="Area", orderable=False)
    value = NumericColumn(verbose_name="Figure")
    rate = NumericColumn(verbose_name="Rate")
    quartile = NumericColumn(verbose_name="Quartile")
    gap = tables.Column(verbose_name="Gap to the median", orderable=False)

    class Meta:
        attrs = {"class": "nhsuk-table bc-benchmark", "data-testid": "benchmark-table"}
        row_attrs = {
            "class": lambda record: " ".join(
                part
                for part, wanted in (
                    ("bc-this-area", record["mine"]),
                    ("bc-comparator", record["comparator"]),
                )
                if wanted
            ),
            "data-area": lambda record: record["code"],
        }
        empty_text = "No area has a figure for this month."

    def __init__(self, data, *, rate_words: str, **kwargs):
        super().__init__(data, **kwargs)
        self.columns["rate"].column.verbose_name = rate_words

    def render_name(self, value, record):
        if record["mine"]:
            return format_html("<strong>{}</strong> (this area)", value)
        if record["comparator"]:
            return format_html('{} <span class="bc-muted">(comparator, not ranked)</span>', value)
        return value


def benchmark_rows(bench, *, highlight: str | None) -> list[dict]:
    """The table's rows, each figure in the words every output prints."""
    rows = [
        {
            "code": row.area,
            "rank": row.rank or "Not ranked",
            "name": row.name,
            "value": bench.value_display(row.value),
            "rate": bench.rate_display(row.rate),
            "quartile": row.quartile or "\u2013",
            "gap": bench.gap_display(row.gap_to_median),
            "mine": row.area == highlight,
            "comparator": False,
        }
        for row in bench.result.areas
    ]
    rows += [
        {
            "code": line.area,
            "rank": "\u2013",
            "name": line.name,
            "value": bench.value_display(line.value),
            "rate": bench.rate_display(line.rate),
            "quartile": "\u2013",
            "gap": "\u2013",
            "mine": False,
            "comparator": True,
        }
        for line in bench.result.comparators
    ]
    return rows
