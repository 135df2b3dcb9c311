"""Reads of board packs, priorities and portfolio ratings, shaped for the pack and its pages."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Hashable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field
from typing import TypeVar

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet, TextField
from django.urls import reverse
from django.utils import timezone

from bettercare.funding import line_label
from bettercare.jobs import job_get, job_refresh
from bettercare.models import Area, Job, Scheme
from bettercare.periods import FinancialYear, Month, Quarter
from bettercare.selectors import Task
from finance.selectors import finance_position, forecast_months, pooled_fund
from finance.variance import FinancePosition, PooledFund
from metrics.models import Metric
from metrics.rag import NOT_AVAILABLE
from metrics.readings import Reader
from metrics.selectors import (
    MetricSeries,
    RagRow,
    RagSummary,
    breakdown_commentary,
    figures_are_illustrative,
    latest_data_month,
    metric_series_for,
    metric_spc_for,
    metrics_without_figure,
    rag_summary,
)
from metrics.spc import SpcResult
from schemes.models import HighlightReport
from schemes.report_finance import differences_from_finance
from schemes.selectors import highlight_reports_for_pack, reporting_timetable
from schemes.workflow import BOARD_READY

from . import permissions
from .conditions import conditions_in_force
from .defaults import default_text
from .models import (
    Board,
    ChartDrawing,
    NationalCondition,
    Pack,
    PackBuild,
    PackMetric,
    PackRisk,
    PackVersion,
    PortfolioRating,
    Priority,
    QuarterlyReturn,
)
from .progress import Assessment, assessment_from_rating


def priorities_for(*, area: Area) -> list[Priority]:
    return list(Priority.objects.filter(area=area).order_by("number"))


def pack_list(*, area: Area, user) -> QuerySet[Pack]:
    """The area's packs, newest quarter first. People who may not see drafts (scheme leads)
    see only packs that have a Final version."""
    packs = Pack.objects.filter(area=area).prefetch_related(
        Prefetch(
            "versions", queryset=PackVersion.objects.only("pk", "pack_id", "number", "created")
        )
    )
    if not permissions.may_see_full_packs(user, area):
        packs = packs.filter(versions__isnull=False).distinct()
    return packs.order_by("-quarter", "board")


def pack_get(*, area: Area, pk: int) -> Pack | None:
    """A pack of this area; None when it is not one (the view answers 404)."""
    return Pack.objects.select_related("area").filter(area=area, pk=pk).first()


def pack_find(*, area: Area, board: str, quarter: Quarter) -> Pack | None:
    return Pack.objects.filter(area=area, board=board, quarter=quarter).first()


def pack_previous(*, area: Area, board: str, quarter: Quarter) -> Pack | None:
    """The same board's pack for the latest quarter before `quarter`, if any."""
    return (
        Pack.objects.filter(area=area, board=board, quarter__lt=quarter)
        .order_by("-quarter")
        .first()
    )


def pack_versions(*, pack: Pack) -> list[PackVersion]:
    """The pack's versions without their stored files (listing them must stay light)."""
    return list(
        PackVersion.objects.filter(pack=pack)
        .defer("full_pdf", "public_pdf", "figures_json")
        .select_related("created_by")
        .order_by("number")
    )


def pack_version_get(*, pack: Pack, number: int) -> PackVersion | None:
    return PackVersion.objects.filter(pack=pack, number=number).first()


def pack_next_version_number(*, pack: Pack) -> int:
    latest = PackVersion.objects.filter(pack=pack).order_by("-number").values("number").first()
    return (latest["number"] if latest else 0) + 1


def pack_build_get(*, pack: Pack, pk: int) -> PackBuild | None:
    """A draft build of this pack (kept for a day). Not only its builder's: two people asking
    for the same build at once share one job, and a draft holds nothing that the people who
    may see the pack's drafts may not see."""
    return PackBuild.objects.filter(pack=pack, pk=pk).first()


def pack_job_key(pack: Pack, what: str) -> str:
    """The key of a pack's job (bettercare.jobs): `draft-full`, `draft-public`, `final`. Two
    requests for the same job of the same pack while it waits or runs are one job."""
    return f"pack:{pack.pk}:{what}"


JOBS_LISTED_FOR = dt.timedelta(days=1)  # as long as a draft PDF is kept


def pack_jobs(*, pack: Pack, limit: int = 5) -> list[Job]:
    """The pack's latest builds of the last day, latest first, those still going brought up
    to date (one whose worker died is failed, so that it can be started again)."""
    since = timezone.now() - JOBS_LISTED_FOR
    recent = Job.objects.filter(key__startswith=pack_job_key(pack, ""), created__gte=since)
    return [job_refresh(job) for job in recent.order_by("-created")[:limit]]


def pack_job_get(*, pack: Pack, pk) -> Job | None:
    """One of the pack's jobs, brought up to date; None for any other job or a bad id."""
    job = job_get(pk)
    if job is None or not job.key.startswith(pack_job_key(pack, "")):
        return None
    return job


@dataclass(frozen=True)
class PriorityHighlight:
    priority: Priority
    text: str


def pack_highlights(*, pack: Pack) -> list[PriorityHighlight]:
    """The pack's key highlights against every priority of its area, in the board's order;
    a priority with nothing written has empty text."""
    texts = {highlight.priority_id: highlight.text for highlight in pack.highlights.all()}
    return [
        PriorityHighlight(priority=priority, text=texts.get(priority.pk, ""))
        for priority in priorities_for(area=pack.area)
    ]


def schemes_for_quarter(*, area: Area, quarter: Quarter) -> list[Scheme]:
    """The schemes running in the quarter's financial year, numbered as the plan numbers them,
    with their leads and names by year ready."""
    return list(
        Scheme.objects.in_area(area)
        .active_in(quarter.year)
        .select_related("host")
        .prefetch_related(
            Prefetch(
                "leads",
                queryset=get_user_model().objects.order_by("last_name", "first_name"),
            ),
            "year_names",
        )
        .order_by("number")
    )


def lead_names(scheme: Scheme) -> list[str]:
    return [lead.get_full_name() or lead.username for lead in scheme.leads.all()]


@dataclass(frozen=True)
class PortfolioRow:
    """One line of the portfolio view: a scheme with its rating last quarter and this."""

    scheme: Scheme
    name: str  # the short name where there is one: the table needs room for the narrative
    leads: list[str]
    previous: PortfolioRating | None
    current: PortfolioRating | None

    @property
    def number(self) -> int:
        return self.scheme.number

    @property
    def updated(self) -> dt.datetime | None:
        return self.current.updated if self.current else None


def portfolio_rows(*, area: Area, quarter: Quarter) -> list[PortfolioRow]:
    """Every scheme of the quarter with its portfolio rating of the quarter before and of this
    quarter (either may be missing). Three queries whatever the number of schemes."""
    schemes = schemes_for_quarter(area=area, quarter=quarter)
    ratings = {
        (rating.scheme_id, rating.quarter): rating
        for rating in PortfolioRating.objects.filter(
            scheme__area=area, quarter__in=[quarter.previous(), quarter]
        )
    }
    return [
        PortfolioRow(
            scheme=scheme,
            name=scheme.short_name or scheme.name_in(quarter.year),
            leads=lead_names(scheme),
            previous=ratings.get((scheme.pk, quarter.previous())),
            current=ratings.get((scheme.pk, quarter)),
        )
        for scheme in schemes
    ]


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """Board secretaries: this quarter's packs; analysts: this quarter's portfolio ratings."""
    tasks: list[Task] = []
    if permissions.may_edit_packs(user, area):
        packs = {pack.board: pack for pack in Pack.objects.filter(area=area, quarter=quarter)}
        for board in Board:
            pack = packs.get(board.value)
            if pack is None:
                tasks.append(
                    Task(
                        title=f"{board.label} pack for {quarter.short_label}",
                        detail="Not started yet.",
                        url=reverse("reports:index"),
                    )
                )
            else:
                final = pack.status == Pack.Status.FINAL
                tasks.append(
                    Task(
                        title=f"{board.label} pack for {quarter.short_label}",
                        detail="Final." if final else "Draft: text to check, then make it Final.",
                        url=reverse("reports:pack_detail", args=[pack.pk]),
                        status="done" if final else "todo",
                    )
                )
    if permissions.may_rate_schemes(user, area):
        schemes = Scheme.objects.in_area(area).active_in(quarter.year)
        rated = PortfolioRating.objects.filter(scheme__in=schemes, quarter=quarter).count()
        total = schemes.count()
        tasks.append(
            Task(
                title=f"Portfolio ratings for {quarter.short_label}",
                detail=f"{rated} of {total} schemes rated.",
                url=reverse("reports:portfolio_edit") + f"?quarter={quarter}",
                status="done" if total and rated == total else "todo",
            )
        )
    return tasks


# --- One reading of the data for a whole pack ------------------------------------------------

T = TypeVar("T")
_reading: ContextVar[dict | None] = ContextVar("pack_reading", default=None)


@contextmanager
def one_reading() -> Iterator[None]:
    """Inside this block `read_once` reads each thing once. The assembler reads all the
    sections of a pack inside one, so that sections showing the same data (the finance position
    in the resource implications and in appendix 2) show the very same reading of it, even if
    an import lands while the pack is being put together."""
    token = _reading.set({})
    try:
        yield
    finally:
        _reading.reset(token)


def read_once(key: Hashable, read: Callable[[], T]) -> T:
    """`read()`, or what it gave earlier in the same `one_reading` block for the same key.
    Outside such a block it simply reads."""
    memo = _reading.get()
    if memo is None:
        return read()
    if key not in memo:
        memo[key] = read()
    return memo[key]


# --- Finance -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class PackFinance:
    """The finance a pack reports: the pooled fund of its quarter's financial year, and the
    position at its data month or, when that month has no forecasts yet, at the latest earlier
    month of the year that has."""

    data_month: Month
    fund: PooledFund
    # None when no forecast has been made in the year up to the data month: nothing to report.
    position: FinancePosition | None

    @property
    def year(self) -> FinancialYear:
        return self.fund.financial_year

    @property
    def month(self) -> Month | None:
        """The month of the position reported."""
        return self.position.month if self.position else None

    @property
    def before_data_month(self) -> bool:
        """The data month has no forecasts, so an earlier month's position is reported."""
        return self.position is not None and self.position.month != self.data_month

    @property
    def illustrative(self) -> bool:
        return self.fund.illustrative


def pack_finance(*, pack: Pack) -> PackFinance:
    """The pack's finance, read once per assembly (see `one_reading`). Ten queries."""
    return finance_at(area=pack.area, quarter=pack.quarter, data_month=pack.data_month)


def finance_at(*, area: Area, quarter: Quarter, data_month: Month) -> PackFinance:
    """The finance a pack about `quarter` with this data month reports (`pack_finance`), read
    once per `one_reading` block: the quarterly return reads it here for a quarter that has no
    pack yet."""
    key = ("finance", area.pk, quarter, data_month)
    return read_once(key, lambda: _read_finance(area, quarter, data_month))


def _read_finance(area: Area, quarter: Quarter, data_month: Month) -> PackFinance:
    year = quarter.year
    months = [
        month
        for month in forecast_months(area=area)
        if month.financial_year == year and month <= data_month
    ]
    return PackFinance(
        data_month=data_month,
        fund=pooled_fund(area=area, year=year),
        position=finance_position(area=area, month=max(months)) if months else None,
    )


# --- Metrics -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Headline:
    """One of the pack's performance headlines: a metric with the pack's commentary on it, its
    row of the RAG summary (None when it has no figure at the data month), and the figures of
    its charts: the financial year month by month, and its SPC reading up to the data month."""

    metric: Metric
    text: str
    show_spc: bool
    row: RagRow | None
    series: MetricSeries
    spc: SpcResult

    @property
    def has_figures(self) -> bool:
        return any(value is not None for value in self.series.actual)


@dataclass(frozen=True)
class PackMetrics:
    """The metrics a pack reports: the RAG summary at its data month (what the dashboard, its
    export and `rag_summary` give for that month), the pack's text about each metric and its
    headlines."""

    data_month: Month
    summary: RagSummary
    texts: dict[int, PackMetric]  # by metric id
    headlines: list[Headline]
    # The latest month with figures up to the quarter's end: named when the data month has none.
    latest_month: Month | None
    illustrative: bool
    # The lines each metric's commentary opens with, from its breakdowns (metric id -> lines).
    breakdown_lines: dict[int, list[str]] = field(default_factory=dict)

    def commentary(self, metric_id: int) -> str:
        """The performance table's commentary on a metric: the lines from its breakdowns,
        then the pack's own text."""
        own = self.texts[metric_id].commentary if metric_id in self.texts else ""
        return "\n".join([*self.breakdown_lines.get(metric_id, []), *([own] if own else [])])

    @property
    def has_figures(self) -> bool:
        return bool(self.summary.rows)


def pack_metric_texts(*, pack: Pack) -> dict[int, PackMetric]:
    """The pack's text about each metric, by metric id, in catalogue order (one query)."""
    return {
        text.metric_id: text
        for text in PackMetric.objects.filter(pack=pack)
        .select_related("metric")
        .order_by("metric__display_order", "metric__code")
    }


def pack_metrics(*, pack: Pack) -> PackMetrics:
    """The pack's metrics, read once per assembly (see `one_reading`). Nine queries, whatever
    the number of metrics and headlines (five when no metric is a headline)."""
    key = ("metrics", pack.pk, pack.area_id, pack.quarter, pack.data_month)
    return read_once(key, lambda: _read_pack_metrics(pack))


def _read_pack_metrics(pack: Pack) -> PackMetrics:
    area, month = pack.area, pack.data_month
    reader = Reader(area)  # the area's populations and replaced plans, read once for the pack
    summary = rag_summary(area=area, month=month, reader=reader)
    texts = pack_metric_texts(pack=pack)
    chosen = [text for text in texts.values() if text.headline]
    metrics = [text.metric for text in chosen]
    headlines = []
    if metrics:
        # The data month bounds the charts as it bounds the table: nothing after it is plotted,
        # even where later figures are held (an early upload of the next month's rows).
        months = [each for each in month.financial_year.months() if each <= month]
        series = metric_series_for(area=area, metrics=metrics, months=months, reader=reader)
        readings = metric_spc_for(area=area, metrics=metrics, up_to=month, reader=reader)
        rows = {row.metric.pk: row for row in summary.rows}
        headlines = [
            Headline(
                metric=text.metric,
                text=text.headline_text,
                show_spc=text.show_spc,
                row=rows.get(text.metric_id),
                series=series[text.metric_id],
                spc=readings[text.metric_id],
            )
            for text in chosen
        ]
    return PackMetrics(
        data_month=month,
        summary=summary,
        texts=texts,
        headlines=headlines,
        latest_month=latest_data_month(area=area, quarter=pack.quarter),
        illustrative=figures_are_illustrative(area=area),
        breakdown_lines=breakdown_commentary(
            area=area, month=month, metrics=[row.metric for row in summary.rows], reader=reader
        ),
    )


def pack_metric_choices(*, pack: Pack) -> list[Metric]:
    """The metrics the secretary may write about on the pack, in catalogue order: those reported
    in the pack's financial year, any in its table at the data month, and any it already has
    text about (so that nothing written is ever hidden). Four queries."""
    year = pack.quarter.year
    in_table = {row.metric.pk for row in rag_summary(area=pack.area, month=pack.data_month).rows}
    written = set(PackMetric.objects.filter(pack=pack).values_list("metric_id", flat=True))
    return [
        metric
        for metric in Metric.objects.order_by("display_order", "code")
        if metric.is_valid_in(year) or metric.pk in in_table or metric.pk in written
    ]


@dataclass(frozen=True)
class CitedRevision:
    """A plan revision in force at a pack's data month, as the pack's reasons may cite it."""

    metric_name: str
    note: str  # "Target revised from 19 July 2018: <reason>"


def pack_plan_revisions(*, pack: Pack) -> list[CitedRevision]:
    """The plan revisions of the pack's financial year in force at its data month, in catalogue
    order: the performance table notes each where it rates against it, and the secretary may
    tell the board in the reasons that the targets follow them. Two queries."""
    metrics = list(Metric.objects.filter(rate_of__isnull=True).order_by("display_order", "code"))
    in_force = Reader(pack.area).revisions_in_force(metrics=metrics, month=pack.data_month)
    return [
        CitedRevision(metric_name=metric.name, note=revision.note)
        for metric in metrics
        for revision in in_force.get(metric.pk, ())
    ]


def headline_metrics_to_start_with(
    *, area: Area, board: str, quarter: Quarter
) -> list[tuple[Metric, bool]]:
    """The headlines a new pack starts with, as (metric, show its SPC chart): the choice made
    on the same board's previous pack when there is one; else the national metrics reported in
    the quarter's financial year, without SPC charts (a rate worked out from a count, which is
    rated as its count is, is not one of them: the secretary can add it)."""
    previous = pack_previous(area=area, board=board, quarter=quarter)
    if previous is not None:
        return [
            (text.metric, text.show_spc)
            for text in pack_metric_texts(pack=previous).values()
            if text.headline
        ]
    return [
        (metric, False)
        for metric in Metric.objects.filter(
            scope=Metric.Scope.NATIONAL, rate_of__isnull=True
        ).order_by("display_order", "code")
        if metric.is_valid_in(quarter.year)
    ]


# --- Highlight reports (appendix 1) ---------------------------------------------------------


@dataclass(frozen=True)
class SchemeReport:
    """A scheme of the quarter with its highlight report (the current revision) or None."""

    scheme: Scheme
    name: str  # the scheme's name in the quarter's financial year
    report: HighlightReport | None

    @property
    def number(self) -> int:
        return self.scheme.number

    @property
    def ready(self) -> bool:
        """The report can go to the board: the ICU has accepted it."""
        return self.report is not None and self.report.status in BOARD_READY


def pack_highlight_reports(*, pack: Pack) -> list[SchemeReport]:
    """Every scheme of the pack's quarter, by number, with its highlight report for the quarter,
    read once per assembly; a fixed number of queries however many schemes (see
    `schemes.selectors.highlight_reports_for_pack`)."""
    key = ("highlight reports", pack.area_id, pack.quarter)
    return read_once(
        key,
        lambda: [
            SchemeReport(scheme=scheme, name=scheme.name_in(pack.quarter.year), report=report)
            for scheme, report in highlight_reports_for_pack(area=pack.area, quarter=pack.quarter)
        ],
    )


def chart_drawings_kept(*, keys: list[str]) -> dict[str, str]:
    """The SVG drawings kept from earlier builds, by key, of those asked for (one query)."""
    return dict(ChartDrawing.objects.filter(key__in=keys).values_list("key", "svg"))


# --- National conditions --------------------------------------------------------------------


@dataclass(frozen=True)
class ConditionRecord:
    """A national condition in force for an area's year with the area's compliance: the
    analyst's record of it, or, before they have recorded one, the condition as the policy
    framework sets it, not assessed yet."""

    code: str
    number: int
    text: str
    compliance: str
    note: str
    recorded: NationalCondition | None

    @property
    def compliance_label(self) -> str:
        return NationalCondition.Compliance(self.compliance).label


def national_conditions_for(*, area: Area, year: FinancialYear) -> list[ConditionRecord]:
    """The national conditions of `year` for the area, in their order, with its compliance and
    note: every condition in force that year (`reports.conditions`), and any other the analyst
    has recorded for it. One query. The board pack's legal implications and the quarterly
    return to NHS England both read this."""
    key = ("national conditions", area.pk, str(year))

    def read() -> list[ConditionRecord]:
        held = {
            item.code: item
            for item in NationalCondition.objects.filter(area=area, financial_year=year)
        }
        records = [
            ConditionRecord(
                code=condition.code,
                number=condition.number,
                text=held[condition.code].text if condition.code in held else condition.text,
                compliance=(
                    held[condition.code].compliance
                    if condition.code in held
                    else NationalCondition.Compliance.NOT_ASSESSED
                ),
                note=held[condition.code].note if condition.code in held else "",
                recorded=held.get(condition.code),
            )
            for condition in conditions_in_force(year)
        ]
        known = {record.code for record in records}
        records += [
            ConditionRecord(
                code=item.code,
                number=item.number,
                text=item.text,
                compliance=item.compliance,
                note=item.note,
                recorded=item,
            )
            for item in held.values()
            if item.code not in known
        ]
        return sorted(records, key=lambda record: record.number)

    return read_once(key, read)


# --- Programme risks -----------------------------------------------------------------------


@dataclass(frozen=True)
class RiskLine:
    risk: str
    mitigation: str
    scheme_number: int | None = None
    scheme_name: str = ""


def pack_risks(*, pack: Pack) -> list[RiskLine]:
    """The programme's key risks the pack lists, in order (one query)."""
    return [
        RiskLine(
            risk=item.risk,
            mitigation=item.mitigation,
            scheme_number=item.scheme.number if item.scheme else None,
            scheme_name=item.scheme.name if item.scheme else "",
        )
        for item in PackRisk.objects.filter(pack=pack).select_related("scheme").order_by("position")
    ]


@dataclass(frozen=True)
class SchemeRisk:
    """A risk a scheme's highlight report for the quarter gives, offered to the secretary."""

    key: str  # "<risk id>": how the form names it
    scheme: Scheme
    risk: str
    mitigation: str


def quarter_scheme_risks(*, area: Area, quarter: Quarter) -> list[SchemeRisk]:
    """Every risk in the quarter's highlight reports (the latest revision of each scheme's),
    by scheme number: what the secretary may choose the programme's key risks from."""
    risks = []
    for scheme, report in highlight_reports_for_pack(area=area, quarter=quarter):
        if report is None:
            continue
        for row in report.risks.all():
            risks.append(
                SchemeRisk(
                    key=str(row.pk), scheme=scheme, risk=row.risk, mitigation=row.mitigation
                )
            )
    return risks


# --- What a pack lacks before it is made Final ------------------------------------------


def finance_lines_of(position: FinancePosition | None, scheme_number: int) -> dict:
    """Finance's figures for a scheme at the pack's month as its highlight report's funding
    lines name them ({"CCG": (budget, forecast or None)}): what leads' typed figures are
    compared with."""
    if position is None:
        return {}
    figures = position.scheme(scheme_number)
    if figures is None:
        return {}
    return {
        line_label(line.partner.code, line.source): (
            line.budget,
            line.forecast if line.forecast_month is not None else None,
        )
        for line in figures.partners
    }


def pack_finance_differences(*, pack: Pack) -> dict[int, list]:
    """For each scheme whose highlight report's figures differ from Finance's at the pack's
    month, the differences (see `schemes.report_finance.differences_from_finance`), by scheme
    number."""
    position = pack_finance(pack=pack).position
    found = {}
    for item in pack_highlight_reports(pack=pack):
        if item.report is None:
            continue
        differences = differences_from_finance(
            item.report.finance, finance_lines_of(position, item.number)
        )
        if differences:
            found[item.number] = differences
    return found


def pack_lacking(*, pack: Pack) -> list[str]:
    """What the pack lacks before it can go to the board, in words: schemes without an accepted
    highlight report for the quarter, metrics without a figure for the data month, finance not
    loaded to the data month, sections still holding their default text, and leads' figures
    that differ from Finance's."""
    lacking: list[str] = []
    quarter, month = pack.quarter, pack.data_month
    for item in pack_highlight_reports(pack=pack):
        if not item.ready:
            state = item.report.status_label.lower() if item.report else "not started"
            lacking.append(
                f"Scheme {item.number}, {item.name}: no accepted highlight report for "
                f"{quarter.short_label} (it is {state})."
            )
    missing = metrics_without_figure(area=pack.area, month=month)
    for metric in missing:
        lacking.append(f"{metric.name}: no figure for {month.data_label}.")
    finance = pack_finance(pack=pack)
    if finance.position is None:
        lacking.append(
            f"Finance: no forecasts loaded for {quarter.year.label} up to {month.label}."
        )
    elif finance.before_data_month:
        lacking.append(
            f"Finance: loaded to {finance.position.month.data_label} only, not to "
            f"{month.data_label}."
        )
    defaults = default_text(quarter=quarter, board_name=Board(pack.board).label)
    for name, text in defaults.items():
        value = getattr(pack, name)
        # The texts of the report's sections; not the cover's one-line answers, nor the short
        # standing ones ("None.", "No.", "All."), which are often the right ones.
        field = Pack._meta.get_field(name)
        if isinstance(field, TextField) and len(text) > 10 and value == text:
            label = field.verbose_name
            lacking.append(f"{label[:1].upper()}{label[1:]}: still the default text.")
    for number, differences in pack_finance_differences(pack=pack).items():
        lacking.append(
            f"Scheme {number}: the lead's figures differ from Finance's at "
            f"{(finance.month or month).label} ({'; '.join(str(d) for d in differences)})."
        )
    return lacking


# --- The quarterly return to NHS England ------------------------------------------------------


def return_pack(*, area: Area, quarter: Quarter) -> Pack | None:
    """The board pack whose figures the quarter's return gives: the Health and Wellbeing
    Board's, which signs the return off, or, before it has one, the Joint Commissioning
    Board's; None when the quarter has no pack yet."""
    packs = {pack.board: pack for pack in Pack.objects.filter(area=area, quarter=quarter)}
    return packs.get(Board.HWB) or packs.get(Board.JCB)


@dataclass(frozen=True)
class ReturnMetricRow:
    """A national metric in the return: its row of the pack's performance table (None: no
    figure at the data month), the assessment worked out from its rating against target, the
    analyst's own where they chose another, and the quarter's texts."""

    metric: Metric
    row: RagRow | None
    worked_out: Assessment
    chosen: Assessment | None = None
    reason: str = ""
    challenges: str = ""
    achievements: str = ""
    support_needs: str = ""

    @property
    def assessment(self) -> Assessment:
        return self.chosen or self.worked_out

    @property
    def changed(self) -> bool:
        """The analyst chose an assessment other than the one the rating gives."""
        return self.assessment != self.worked_out

    @property
    def rating_words(self) -> str:
        """The rating against target as the pack's performance table prints it."""
        return self.row.vs_plan.phrase if self.row else NOT_AVAILABLE


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


@dataclass(frozen=True)
class HwbSignOff:
    """The return's sign-off by the Health and Wellbeing Board: the date it meets on (from the
    HWB pack, else the reporting timetable) and the state of the board's pack."""

    board_name: str
    meeting_date: dt.date | None
    date_from: str  # where the date comes from, in words ("" when there is none)
    pack: Pack | None
    version: int | None  # the pack's latest Final version
    today: dt.date

    @property
    def signed_off(self) -> bool:
        """The board's pack is Final and the board has met."""
        return (
            self.pack is not None
            and self.pack.status == Pack.Status.FINAL
            and self.meeting_date is not None
            and self.meeting_date <= self.today
        )

    @property
    def pack_state(self) -> str:
        if self.pack is None:
            return "Not started"
        if self.pack.status == Pack.Status.FINAL:
            return f"Final (version {self.version})"
        return "Draft" + (f" (version {self.version} was Final)" if self.version else "")

    @property
    def state(self) -> str:
        """The sign-off state in words, as the cover gives it."""
        if self.signed_off:
            return f"Signed off by the {self.board_name} on {self.meeting_date:%-d %B %Y}"
        if self.meeting_date is None:
            return "Not signed off: no Health and Wellbeing Board meeting date is set"
        when = _day(self.meeting_date)
        if self.pack is None or self.pack.status != Pack.Status.FINAL:
            return (
                f"Not signed off: the HWB pack is {self.pack_state.lower()}; the board meets "
                f"on {when}"
            )
        return f"Not signed off yet: the HWB pack is Final; the board meets on {when}"


@dataclass(frozen=True)
class QuarterlyReturnData:
    """Everything the quarterly return gives, each figure from the selector the board pack
    reads it from: the national conditions (`national_conditions_for`), the metrics' ratings
    (`pack_metrics`, the performance table), the pool and the forecast (`pack_finance`)."""

    area: Area
    quarter: Quarter
    pack: Pack | None  # whose data month and figures these are
    data_month: Month
    record: QuarterlyReturn | None
    conditions: list[ConditionRecord]
    metrics: list[ReturnMetricRow]
    finance: PackFinance
    sign_off: HwbSignOff
    metrics_illustrative: bool = False  # some actual figures are invented (the demo's)

    @property
    def illustrative_parts(self) -> list[str]:
        """Which of its figures are invented, as the pack's cover says it."""
        parts = []
        if self.finance.illustrative:
            parts.append(f"the {self.finance.year.label} finance figures")
        if self.metrics_illustrative:
            parts.append("the metrics' actual figures")
        return parts

    @property
    def completed_by(self):
        return self.record.updated_by if self.record else None

    @property
    def completed_by_name(self) -> str:
        user = self.completed_by
        return (user.get_full_name() or user.username) if user else ""

    @property
    def contact_email(self) -> str:
        return self.completed_by.email if self.completed_by else ""

    @property
    def contact_phone(self) -> str:
        return self.record.contact_phone if self.record else ""

    @property
    def completed_on(self) -> dt.date | None:
        return timezone.localdate(self.record.updated) if self.record else None

    @property
    def lacking(self) -> list[str]:
        """What the return lacks before it is sent, in words."""
        lacking = []
        if self.record is None:
            lacking.append("The return has not been completed: no analyst has saved it yet.")
        for item in self.conditions:
            if item.compliance == NationalCondition.Compliance.NOT_ASSESSED:
                lacking.append(f"National condition {item.number} has not been assessed yet.")
        for item in self.metrics:
            if item.assessment == Assessment.NO_DATA:
                lacking.append(f"{item.metric.name}: no assessment of progress can be made.")
        if self.finance.position is None:
            lacking.append(
                f"Finance: no forecasts loaded for {self.quarter.year.label} up to "
                f"{self.data_month.label}."
            )
        if not self.sign_off.signed_off:
            lacking.append(f"{self.sign_off.state}.")
        return lacking


def return_metrics_for(*, year: FinancialYear, written=()) -> list[Metric]:
    """The national metrics the return reports: those of the year (a rate worked out from a
    count is rated as its count is, so it is not one of them), and any it already holds text
    about, so that nothing written is ever hidden."""
    return [
        metric
        for metric in Metric.objects.filter(scope=Metric.Scope.NATIONAL, rate_of__isnull=True)
        .order_by("display_order", "code")
        if metric.is_valid_in(year) or metric.pk in written
    ]


def quarterly_return(*, area: Area, quarter: Quarter) -> QuarterlyReturnData:
    """The area's quarterly return for `quarter`, at the data month of the pack it follows
    (`return_pack`), or of the quarter (Month 5 for Quarter Two) when it has no pack yet."""
    with one_reading():
        pack = return_pack(area=area, quarter=quarter)
        data_month = pack.data_month if pack else quarter.data_month
        if pack is not None:
            read = pack_metrics(pack=pack)
            summary, illustrative = read.summary, read.illustrative
            finance = pack_finance(pack=pack)
        else:
            summary = rag_summary(area=area, month=data_month, reader=Reader(area))
            illustrative = figures_are_illustrative(area=area)
            finance = finance_at(area=area, quarter=quarter, data_month=data_month)
        record = (
            QuarterlyReturn.objects.filter(area=area, quarter=quarter)
            .select_related("updated_by")
            .first()
        )
        written = (
            {item.metric_id: item for item in record.metrics.all()} if record is not None else {}
        )
        rows = {row.metric.pk: row for row in summary.rows}
        metrics = []
        for metric in return_metrics_for(year=quarter.year, written=written):
            row = rows.get(metric.pk)
            held = written.get(metric.pk)
            metrics.append(
                ReturnMetricRow(
                    metric=metric,
                    row=row,
                    worked_out=assessment_from_rating(row.vs_plan.rag if row else None),
                    chosen=Assessment(held.assessment) if held and held.assessment else None,
                    reason=held.reason if held else "",
                    challenges=held.challenges if held else "",
                    achievements=held.achievements if held else "",
                    support_needs=held.support_needs if held else "",
                )
            )
        return QuarterlyReturnData(
            area=area,
            quarter=quarter,
            pack=pack,
            data_month=data_month,
            record=record,
            conditions=national_conditions_for(area=area, year=quarter.year),
            metrics=metrics,
            finance=finance,
            sign_off=hwb_sign_off(area=area, quarter=quarter),
            metrics_illustrative=illustrative,
        )


def hwb_sign_off(*, area: Area, quarter: Quarter, today: dt.date | None = None) -> HwbSignOff:
    """The HWB's sign-off of the quarter: the date of its meeting from its pack for the
    quarter, as the secretary set it, else from the reporting timetable."""
    pack = pack_find(area=area, board=Board.HWB, quarter=quarter)
    timetable = reporting_timetable(area=area, quarter=quarter)
    meeting_date, date_from = None, ""
    if pack is not None and pack.meeting_date:
        meeting_date, date_from = pack.meeting_date, "The HWB pack's date of meeting"
    elif timetable is not None and timetable.hwb_meeting:
        meeting_date, date_from = timetable.hwb_meeting, "The reporting timetable"
    version = None
    if pack is not None:
        latest = PackVersion.objects.filter(pack=pack).order_by("-number").values("number").first()
        version = latest["number"] if latest else None
    return HwbSignOff(
        board_name=f"{area.name} {Board.HWB.label}",
        meeting_date=meeting_date,
        date_from=date_from,
        pack=pack,
        version=version,
        today=today or timezone.localdate(),
    )
