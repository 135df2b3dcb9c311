"""The sections of a board pack, in the order the pack prints them.

Each section is one class and one template, in the manner of django-oscar's report generators:
the class says what the section is (`id`, `title`, whether it may be exempt from publication)
and gathers what it shows from the pack (`get_context`); the template lays it out, on screen and
in print alike. A section may also give charts (drawn as plotly on screen and as vector SVG in
the PDF), the figures it used (stored, as JSON, with every Final version) and tables (exported
to XLSX). Adding a section is a subclass here, its template under
`reports/templates/reports/sections/`, and one line in `PACK_SECTIONS`.

The sections follow the council's report template, heading by heading and in its order (see
`PACK_SECTIONS`). The template's headings are not numbered; its paragraphs are, 1, 2, 3 ...
straight through the report from the reasons for the recommendations to the wards affected
(`numbered` sections: see `reports.paragraphs`), so that members can cite "paragraph 8" in
either version. The DETAIL heading holds the overview, the performance table, the headlines and
the key highlights as sections of their own one level down (`level = 2`). Appendices are named
"Appendix 1", "Appendix 2" (a section's `appendix` number).

Every template receives, besides its own context: `pack`, `section` (the `AssembledSection`:
`.level`, `.appendix`, `.heading`, `.reference`, `.anchor`, `.title`, `.exempt`),
`document_sections` (the sections of this output, for the contents), `medium` ("screen" or
"print"), `public` (True for the public version), `version_label` and `charts` (this section's
charts by id, each with `.markup` ready to place).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import django_tables2 as tables
import plotly.graph_objects as go

from bettercare.money import BOARD, format_variance
from bettercare.ratings import Rag
from finance.charts import variance_by_month_chart
from finance.tables import PositionTable, position_rows
from finance.variance import FinancePosition, PooledFund
from finance.wording import describe_position, partner_label, variance_drivers
from metrics.charts import benchmark_chart, spc_chart, trend_chart
from metrics.models import Metric
from metrics.rag import DEFAULT_THRESHOLDS, json_number
from metrics.selectors.benchmarks import MetricBenchmark, benchmarks_for
from metrics.tables import comparison_words, spc_words
from metrics.units import format_value

from .models import RAG_MEANINGS, Pack
from .selectors import (
    Headline,
    national_conditions_for,
    pack_finance,
    pack_finance_differences,
    pack_highlight_reports,
    pack_highlights,
    pack_metrics,
    pack_risks,
    portfolio_rows,
    priorities_for,
    schemes_for_quarter,
)
from .tables import (
    HighlightTable,
    PerformanceTable,
    PoolTable,
    PortfolioTable,
    SchemeListTable,
    performance_rows,
    pool_rows,
    rag_text,
)
from .wording import describe_compliance, describe_pool, own_thresholds, rag_legend


@dataclass
class PackChart:
    """A chart of a section. The assembler fills `markup`: plotly's HTML on screen, inline
    vector SVG (kaleido, one browser for the whole pack) in the PDF."""

    id: str
    title: str
    figure: go.Figure
    description: str  # the text alternative, for people who cannot see the chart
    width: int = 680
    height: int = 320
    markup: str = field(default="", repr=False)


class PackSection:
    """One section of the pack. Subclasses set the class attributes and override what they need."""

    id: ClassVar[str] = ""  # the anchor, and the key of its figures; stable across versions
    title: ClassVar[str] = ""
    template_name: ClassVar[str] = "reports/sections/text.html"
    # Whether the board secretary may mark the section exempt from publication.
    may_be_exempt: ClassVar[bool] = False
    # Cover and contents are not listed in the contents.
    in_contents: ClassVar[bool] = True
    # An appendix is named "Appendix <n>".
    appendix: ClassVar[int | None] = None
    # 1: a heading of the council's template; 2: a part of one (the parts of DETAIL).
    level: ClassVar[int] = 1
    # Whether its paragraphs are numbered with the report's (the body, not the cover, the
    # contents or the appendices).
    numbered: ClassVar[bool] = True
    # The pack's text field the section shows, for sections of text alone (`TextSection`).
    field: ClassVar[str] = ""

    def get_context(self, pack: Pack) -> dict[str, Any]:
        """What the template needs, read live from the data (the pack is a Draft, or this
        is the build that makes it Final)."""
        return {}

    def charts(self, context: dict[str, Any]) -> list[PackChart]:
        return []

    def figures(self, context: dict[str, Any]) -> Any:
        """The figures the section shows, JSON-ready (Decimal and dates are fine): stored with
        each Final version so that what the board saw can be checked later. None for a section
        that shows no data."""
        return None

    def tables(self, context: dict[str, Any]) -> list[tables.Table]:
        """Tables for the pack's XLSX export, one sheet each (a table's `export_title` names
        its sheet)."""
        return []

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id}>"


class TextSection(PackSection):
    """A heading of the template with the secretary's text under it (one of the pack's text
    fields, `field`), as written: paragraphs and lists (see `bettercare.richtext`)."""

    def __init__(self, id: str, title: str, field: str):
        self.id, self.title, self.field = id, title, field

    def get_context(self, pack: Pack) -> dict[str, Any]:
        return {"text": getattr(pack, self.field)}


class CoverSection(PackSection):
    """The header block of the council's template: DECISION-MAKER, SUBJECT, DATE OF DECISION,
    REPORT OF, CONTACT DETAILS (the author and the director), STATEMENT OF CONFIDENTIALITY;
    with the agenda item number, the version and the data month."""

    id = "cover"
    title = "Cover"
    template_name = "reports/sections/cover.html"
    in_contents = False
    numbered = False

    def get_context(self, pack: Pack) -> dict[str, Any]:
        # The PDF must stand alone: if any of its figures are invented (demonstration data),
        # the cover says which, as well as the sections that show them.
        finance = pack_finance(pack=pack)
        illustrative = []
        if finance.illustrative:
            illustrative.append(f"the {finance.year.label} finance figures")
        if pack_metrics(pack=pack).illustrative:
            illustrative.append("the metrics' actual figures")
        return {"illustrative_parts": illustrative}


class ContentsSection(PackSection):
    id = "contents"
    title = "Contents"
    template_name = "reports/sections/contents.html"
    in_contents = False
    numbered = False


class SummarySection(PackSection):
    """BRIEF SUMMARY: as the template has it, a summary above the numbered paragraphs."""

    id = "summary"
    title = "BRIEF SUMMARY"
    field = "brief_summary"
    numbered = False

    def get_context(self, pack: Pack) -> dict[str, Any]:
        return {"text": pack.brief_summary}


class RecommendationsSection(PackSection):
    """RECOMMENDATIONS, numbered (i), (ii) ..., above the numbered paragraphs."""

    id = "recommendations"
    title = "RECOMMENDATIONS"
    template_name = "reports/sections/recommendations.html"
    numbered = False

    def figures(self, context):
        return None


class DetailSection(PackSection):
    """DETAIL: the heading over the overview, the performance table, the headlines and the key
    highlights (sections of their own, one level down), and the consultation carried out."""

    id = "detail"
    title = "DETAIL (Including consultation carried out)"
    template_name = "reports/sections/detail.html"


class ConsultationSection(PackSection):
    id = "consultation"
    title = "Consultation carried out"
    field = "consultation"
    level = 2

    def get_context(self, pack: Pack) -> dict[str, Any]:
        return {"text": pack.consultation}


class OverviewSection(PackSection):
    id = "overview"
    title = "Overview of the programme"
    template_name = "reports/sections/overview.html"
    level = 2

    def get_context(self, pack: Pack) -> dict[str, Any]:
        schemes = schemes_for_quarter(area=pack.area, quarter=pack.quarter)
        for scheme in schemes:
            scheme.year_name = scheme.name_in(pack.quarter.year)
        fund = pack_finance(pack=pack).fund
        return {
            "vision": pack.area.vision,
            "priorities": priorities_for(area=pack.area),
            "schemes": schemes,
            "scheme_table": SchemeListTable(schemes),
            "fund": fund,
            "pool_description": describe_pool(fund),
            "pool_table": PoolTable(pool_rows(fund)) if fund.recorded else None,
        }

    def figures(self, context):
        return {
            "vision": context["vision"],
            "priorities": [
                {"number": priority.number, "title": priority.title}
                for priority in context["priorities"]
            ],
            "schemes": [
                {"number": scheme.number, "name": scheme.year_name, "host": scheme.host_label}
                for scheme in context["schemes"]
            ],
            "pooled_fund": pool_figures(context["fund"]),
        }

    def tables(self, context):
        table = context["scheme_table"]
        table.export_title = "Schemes"
        pool = context["pool_table"]
        if pool is None:
            return [table]
        pool.export_title = "Pooled fund"
        return [table, pool]


def pool_figures(fund: PooledFund) -> dict[str, Any]:
    """The pooled fund as the overview states it, for the figures stored with a version."""
    return {
        "financial_year": str(fund.financial_year),
        "recorded": fund.recorded,
        "illustrative": fund.illustrative,
        "total": fund.total,
        "national_minimum": fund.national_minimum,
        "above_minimum": fund.above_minimum,
        "times_minimum": fund.times_minimum,
        "partners": [
            {"partner": partner.partner.code, "contributed": partner.contributed}
            for partner in fund.by_partner
        ],
    }


class PerformanceSection(PackSection):
    """The metrics at the pack's data month: each rated against its target and the same period
    last year by the boards' rule, grouped as the catalogue groups them, with the pack's
    commentary, the caveats as notes and the legend. Every figure is `rag_summary`'s."""

    id = "performance"
    title = "Performance"
    template_name = "reports/sections/performance.html"
    level = 2

    def get_context(self, pack: Pack) -> dict[str, Any]:
        metrics = pack_metrics(pack=pack)
        ids = [row.metric.pk for row in metrics.summary.rows]
        commentary = {metric_id: metrics.commentary(metric_id) for metric_id in ids}
        rows, notes = performance_rows(metrics.summary, commentary)
        groups: dict[str, list] = {}
        for row in rows:
            groups.setdefault(row.rag.group_label, []).append(row)
        own = {}
        for row in rows:
            thresholds = row.rag.metric.thresholds
            if thresholds != DEFAULT_THRESHOLDS:
                own[row.rag.name] = own_thresholds(thresholds)
        return {
            "metrics": metrics,
            "rows": rows,
            "notes": notes,
            "group_tables": [
                PerformanceTable(group_rows, caption=label) for label, group_rows in groups.items()
            ],
            "legend": rag_legend(),
            "own_thresholds": sorted(own.items()),
        }

    def figures(self, context):
        # Exactly what `manage.py rag_summary --format json` prints for the data month, with
        # the pack's commentary beside it.
        metrics = context["metrics"]
        return {
            **metrics.summary.as_dict(),
            "commentary": {row.rag.code: row.commentary for row in context["rows"]},
        }

    def tables(self, context):
        if not context["rows"]:
            return []  # the pack says there are no figures; the workbook has no empty sheet
        table = PerformanceTable(context["rows"])
        table.export_title = "Performance"
        return [table]


class HeadlinesSection(PackSection):
    """The performance headlines: for each metric the pack chose, its rating, the pack's
    commentary and its chart of the year against plan and last year (the metric page's own
    figure), with its SPC chart where the secretary asked for it."""

    id = "headlines"
    title = "Performance headlines"
    template_name = "reports/sections/headlines.html"
    level = 2

    def get_context(self, pack: Pack) -> dict[str, Any]:
        metrics = pack_metrics(pack=pack)
        items = [
            HeadlineItem(
                headline=headline,
                trend=_trend_chart(headline, metrics.data_month) if headline.has_figures else None,
                spc=(
                    _spc_chart(headline, metrics.data_month)
                    if headline.show_spc and headline.spc.points
                    else None
                ),
            )
            for headline in metrics.headlines
        ]
        return {"metrics": metrics, "headlines": items}

    def charts(self, context):
        return [
            chart
            for item in context["headlines"]
            for chart in (item.trend, item.spc)
            if chart is not None
        ]

    def figures(self, context):
        def numbers(values):
            return [None if value is None else json_number(value) for value in values]

        return [
            {
                "metric": item.headline.metric.code,
                "name": item.headline.metric.name,
                "commentary": item.headline.text,
                "vs_plan": comparison_words(item.headline.row.vs_plan)
                if item.headline.row
                else None,
                "vs_last_year": comparison_words(item.headline.row.vs_last_year)
                if item.headline.row
                else None,
                "months": [str(month) for month in item.headline.series.months],
                "actual": numbers(item.headline.series.actual),
                "plan": numbers(item.headline.series.plan),
                "last_year": numbers(item.headline.series.last_year),
                "spc": spc_words(item.headline.spc),
                "spc_chart": item.spc is not None,
            }
            for item in context["headlines"]
        ]


@dataclass
class HeadlineItem:
    headline: Headline
    trend: PackChart | None
    spc: PackChart | None


def _trend_chart(headline: Headline, month) -> PackChart:
    metric, series = headline.metric, headline.series
    year = month.financial_year
    unit = metric.unit
    held = [index for index, value in enumerate(series.actual) if value is not None]
    detail = ""
    if held:
        latest = held[-1]
        plan = series.plan[latest]
        last_year = series.last_year[latest]
        detail = (
            f" In {series.months[latest].label} the figure was "
            f"{format_value(series.actual[latest], unit)}"
            + (f", against a plan of {format_value(plan, unit)}" if plan is not None else "")
            + (
                f", and {format_value(last_year, unit)} a year before."
                if last_year is not None
                else ", with no figure a year before."
            )
        )
    first, last = series.months[0], series.months[-1]
    return PackChart(
        id=f"trend-{metric.code}",
        title=f"{metric.name}: {year.label} month by month against plan and last year",
        # The metric page's own figure (metrics.charts), its title given by the caption here.
        figure=legend_above(trend_chart(series, title="", height=300, width=680)),
        description=(
            f"Line chart of {metric.name}, in {metric.unit_label.lower()}, for each month from "
            f"{first.label} to {last.label}: the actual figure, the plan and the same month a "
            f"year before." + detail
        ),
        width=680,
        height=300,
    )


def _spc_chart(headline: Headline, month) -> PackChart:
    metric, result = headline.metric, headline.spc
    first, last = result.points[0], result.points[-1]
    return PackChart(
        id=f"spc-{metric.code}",
        title=(
            f"{metric.name}: statistical process control, {first.x.label} to {last.x.label}"
        ),
        figure=legend_above(spc_chart(result, y_title=metric.unit_label, height=340, width=680)),
        description=(
            f"Statistical process control chart of {metric.name}, in "
            f"{metric.unit_label.lower()}, for each month from {first.x.label} to "
            f"{last.x.label}, with its mean and process limits. In {last.x.label} the figure "
            f"was {format_value(last.value, metric.unit)}: {spc_words(result)}."
        ),
        width=680,
        height=340,
    )


def legend_above(figure: go.Figure) -> go.Figure:
    """At the width of a page plotly turns a year's month labels to fit them, and they would run
    under its legend, which the metric pages place below the plot: the pack places it above.
    The figure is otherwise the metric page's."""
    return figure.update_layout(legend={"y": 1.02, "yanchor": "bottom"})


class HighlightsSection(PackSection):
    id = "highlights"
    title = "Key highlights and the portfolio view"
    template_name = "reports/sections/highlights.html"
    may_be_exempt = True
    level = 2

    def get_context(self, pack: Pack) -> dict[str, Any]:
        rows = portfolio_rows(area=pack.area, quarter=pack.quarter)
        return {
            "highlights": pack_highlights(pack=pack),
            "portfolio_rows": rows,
            "portfolio_table": PortfolioTable(rows, quarter=pack.quarter),
            "previous_quarter": pack.quarter.previous(),
            "rag_legend": [(rag, RAG_MEANINGS[rag]) for rag in Rag],
        }

    def figures(self, context):
        return {
            "highlights": [
                {
                    "priority": item.priority.number,
                    "title": item.priority.title,
                    "text": item.text,
                }
                for item in context["highlights"]
            ],
            "portfolio": [
                {
                    "scheme": row.number,
                    "name": row.name,
                    "leads": row.leads,
                    "rag_previous": row.previous.rag if row.previous else None,
                    "rag_previous_label": rag_text(row.previous),
                    "rag_current": row.current.rag if row.current else None,
                    "rag_current_label": rag_text(row.current),
                    "narrative": row.current.narrative if row.current else "",
                    "updated": row.updated,
                }
                for row in context["portfolio_rows"]
            ],
        }

    def tables(self, context):
        portfolio = context["portfolio_table"]
        portfolio.export_title = "Portfolio"
        highlights = HighlightTable(context["highlights"])
        highlights.export_title = "Key highlights"
        return [highlights, portfolio]


def _finance_context(pack: Pack) -> dict[str, Any]:
    """What both finance sections show: the pack's finance (see `selectors.pack_finance`)."""
    finance = pack_finance(pack=pack)
    return {"finance": finance, "position": finance.position}


class ResourcesSection(PackSection):
    """RESOURCE IMPLICATIONS. Capital/Revenue: the finance position at the pack's data month
    in the boards' words, by partner; the schemes driving the variance, each with its amount,
    its partners' split and the finance lead's reason, and the schemes offsetting it; the
    variance month by month. Property/Other: the secretary's text."""

    id = "resources"
    title = "RESOURCE IMPLICATIONS"
    template_name = "reports/sections/resources.html"

    def get_context(self, pack: Pack) -> dict[str, Any]:
        context = _finance_context(pack)
        position = context["position"]
        if position is not None:
            context["description"] = describe_position(position, drivers=False)
            context["drivers"] = variance_drivers(position)
            context["partner_table"] = PositionTable(
                [row for row in position_rows(position) if row["kind"] in ("partner", "total")],
                outturn=position.is_outturn,
                exclude=("number", "scheme"),
                orderable=False,
            )
        return context

    def charts(self, context):
        position: FinancePosition | None = context["position"]
        if position is None or not position.monthly:
            return []
        latest = position.monthly[-1]
        first = position.monthly[0]
        by_partner = "; ".join(
            f"{partner_label(partner)} {format_variance(amount, BOARD)}"
            for partner, amount in latest.by_partner
        )
        return [
            PackChart(
                id="variance",
                title=(
                    f"Forecast year end variance of the pooled fund, month by month, "
                    f"{position.financial_year.label} up to Month {position.month.number}"
                ),
                # The caption is the chart's one title: the figure is drawn without its own.
                figure=variance_by_month_chart(position.monthly, title=None, height=340, width=680),
                description=(
                    f"Bar chart of the forecast year end variance, in £ millions, at each month "
                    f"with forecasts from Month {first.month.number} ({first.month.label}) to "
                    f"Month {latest.month.number} ({latest.month.label}): a bar for each partner "
                    f"and a line for the total; overspends are above zero. At Month "
                    f"{latest.month.number} the total is {format_variance(latest.total, BOARD)} "
                    f"({by_partner})."
                ),
                width=680,
                height=340,
            )
        ]

    def figures(self, context):
        # Exactly what `manage.py finance_summary --format json` prints for the same month,
        # with the schemes the section names as driving and offsetting the variance.
        position = context["position"]
        if position is None:
            return None
        drivers = context["drivers"]
        return {
            **position.as_dict(),
            "drivers": [item.number for item in drivers.drivers],
            "offsets": [item.number for item in drivers.offsets],
        }

    def tables(self, context):
        if context["position"] is None:
            return []
        table = context["partner_table"]
        table.export_title = "Finance by partner"
        return [table]


class LegalSection(PackSection):
    """LEGAL IMPLICATIONS: the statutory power, and the other legal implications with the
    national conditions in force and the area's compliance, from the analyst's record."""

    id = "legal"
    title = "LEGAL IMPLICATIONS"
    template_name = "reports/sections/legal.html"

    def get_context(self, pack: Pack) -> dict[str, Any]:
        conditions = national_conditions_for(area=pack.area, year=pack.quarter.year)
        return {
            "conditions": conditions,
            "compliance": describe_compliance(
                [(item.number, item.text, item.compliance) for item in conditions],
                area=pack.area.name,
            ),
        }

    def figures(self, context):
        return [
            {"number": item.number, "code": item.code, "compliance": item.compliance}
            for item in context["conditions"]
        ]


class RiskSection(PackSection):
    """RISK MANAGEMENT IMPLICATIONS: the secretary's text, then the programme's key risks, each
    with its mitigation."""

    id = "risks"
    title = "RISK MANAGEMENT IMPLICATIONS"
    template_name = "reports/sections/risks.html"

    def get_context(self, pack: Pack) -> dict[str, Any]:
        return {"text": pack.risk_implications, "risks": pack_risks(pack=pack)}

    def figures(self, context):
        return [
            {"risk": risk.risk, "mitigation": risk.mitigation, "scheme": risk.scheme_number}
            for risk in context["risks"]
        ]


class SupportingDocumentationSection(PackSection):
    """SUPPORTING DOCUMENTATION: the appendices, listed (those this version carries)."""

    id = "supporting-documentation"
    title = "SUPPORTING DOCUMENTATION"
    template_name = "reports/sections/supporting_documentation.html"
    numbered = False


class HighlightReportsAppendix(PackSection):
    """Appendix 1: the highlight report of every scheme for the quarter, laid out as the
    template lays it out (the schemes app's own report body). A scheme without a report, or
    whose report the ICU has not accepted yet, says so."""

    id = "highlight-reports"
    title = "Highlight reports of the schemes"
    template_name = "reports/sections/highlight_reports.html"
    may_be_exempt = True
    appendix = 1
    numbered = False

    def get_context(self, pack: Pack) -> dict[str, Any]:
        return {
            "scheme_reports": pack_highlight_reports(pack=pack),
            "differences": pack_finance_differences(pack=pack),
            "finance_month": pack_finance(pack=pack).month,
        }

    def figures(self, context):
        return [
            {
                "scheme": item.number,
                "name": item.name,
                "status": item.report.status if item.report else None,
                "revision": item.report.revision if item.report else None,
                "in_pack": item.ready,
            }
            for item in context["scheme_reports"]
        ]


class FinanceAppendixSection(PackSection):
    """Appendix 2: the finance position by scheme and partner."""

    id = "finance-appendix"
    title = "Finance by scheme and partner"
    template_name = "reports/sections/finance_appendix.html"
    may_be_exempt = True
    appendix = 2
    numbered = False

    def get_context(self, pack: Pack) -> dict[str, Any]:
        context = _finance_context(pack)
        position = context["position"]
        if position is not None:
            context["scheme_table"] = PositionTable(
                position_rows(position),
                outturn=position.is_outturn,
                exclude=("movement",),
                orderable=False,
            )
        return context

    # No figures of its own: it shows the position the resource implications store.

    def tables(self, context):
        if context["position"] is None:
            return []
        table = context["scheme_table"]
        table.export_title = "Finance by scheme"
        return [table]


class BenchmarkingAppendix(PackSection):
    """Appendix 3: each national metric at the data month beside England and the other
    comparators (the plan's "National Average" and "Stat Neighbour Average"), in the chart the
    benchmarking page draws (`metrics.charts.benchmark_chart`). Only the pack's own area is
    drawn: other areas' figures are private to them, and a pack goes to a public meeting."""

    id = "benchmarking"
    title = "Benchmarking against England and statistical neighbours"
    template_name = "reports/sections/benchmarking.html"
    appendix = 3
    numbered = False

    def get_context(self, pack: Pack) -> dict[str, Any]:
        metrics = pack_metrics(pack=pack)
        national = [
            row.metric
            for row in metrics.summary.rows
            if row.metric.scope == Metric.Scope.NATIONAL
        ]
        found = benchmarks_for(metrics=national, month=metrics.data_month, areas=[pack.area])
        items = [
            (bench, _benchmark_chart(bench, pack))
            for bench in found.values()
            if isinstance(bench, MetricBenchmark) and bench.result.comparators
        ]
        return {"metrics": metrics, "items": items}

    def charts(self, context):
        return [chart for _, chart in context["items"]]

    def figures(self, context):
        # What `manage.py benchmark --area <the pack's area> --format json` prints.
        return [bench.as_json() for bench, _ in context["items"]]


def _benchmark_chart(bench: MetricBenchmark, pack: Pack) -> PackChart:
    own = bench.result.area(pack.area.code)
    lines = "; ".join(
        f"{line.name} {bench.rate_display(line.rate)}" for line in bench.result.comparators
    )
    mine = f"{pack.area.name} {bench.rate_display(own.rate)}" if own and own.rate else (
        f"{pack.area.name} has no rate for the month"
    )
    return PackChart(
        id=f"benchmark-{bench.metric.code}",
        title=f"{bench.metric.name}, {bench.month.label}: {bench.rate_words.lower()}",
        figure=benchmark_chart(bench, highlight=pack.area.code, height=260, width=680),
        description=(
            f"Bar chart of {bench.metric.name} in {bench.month.label}, as "
            f"{bench.rate_words.lower()}, with the comparators as lines: {mine}; {lines}."
        ),
        width=680,
        height=260,
    )


# The pack, in the order of the council's report template.
PACK_SECTIONS: tuple[PackSection, ...] = (
    CoverSection(),
    ContentsSection(),
    SummarySection(),
    RecommendationsSection(),
    TextSection("reasons", "REASONS FOR REPORT RECOMMENDATIONS", "reasons"),
    TextSection("alternatives", "ALTERNATIVE OPTIONS CONSIDERED AND REJECTED", "alternatives"),
    DetailSection(),
    OverviewSection(),
    PerformanceSection(),
    HeadlinesSection(),
    HighlightsSection(),
    ConsultationSection(),
    ResourcesSection(),
    LegalSection(),
    TextSection("conflict", "CONFLICT OF INTEREST IMPLICATIONS", "conflict_of_interest"),
    RiskSection(),
    TextSection("policy", "POLICY FRAMEWORK IMPLICATIONS", "policy_implications"),
    TextSection("key-decision", "KEY DECISION?", "key_decision"),
    TextSection("wards", "WARDS/COMMUNITIES AFFECTED", "wards_affected"),
    SupportingDocumentationSection(),
    HighlightReportsAppendix(),
    FinanceAppendixSection(),
    BenchmarkingAppendix(),
)


def exemptable_sections(sections=PACK_SECTIONS) -> list[PackSection]:
    return [section for section in sections if section.may_be_exempt]
