"""Reads of metric figures, shaped for the dashboard, the charts, the command line and the
board pack. Every figure the service shows about a metric comes from here, so the page, its
export, `rag_summary` and the PDF print the same number.

Queries are few and do not grow with the data: a summary reads the catalogue and one slice of
an area's figures (this financial year and last), whatever the number of areas, metrics or
years held.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Max, QuerySet
from django.urls import reverse

from bettercare.models import Area
from bettercare.periods import Month, Quarter
from bettercare.selectors import Task

from . import permissions, rag, spc
from .commentary import Part, breakdown_lines
from .models import (
    Metric,
    MetricSettings,
    MetricValue,
    PlanRevision,
    Population,
    SpcRecalculation,
)
from .readings import EACH_MONTH, EVERY_BREAKDOWN, Reader, Reading, Revision, readings
from .units import format_value

ACTUAL = MetricValue.Series.ACTUAL
PLAN = MetricValue.Series.PLAN
STATUS_ORDER = [
    MetricValue.Status.FINAL,
    MetricValue.Status.PROVISIONAL,
    MetricValue.Status.NOT_AVAILABLE,
]


@dataclass(frozen=True)
class Figure:
    """One stored figure as the summaries use it."""

    value: Decimal | None
    status: str
    note: str


@dataclass(frozen=True)
class RagRow:
    """One metric of a RAG summary. `actual`, `plan` and `last_year` are the compared figures:
    year-to-date sums for a `sum` metric, the chosen month alone for a `latest` one."""

    metric: Metric
    month_actual: Decimal | None
    month_plan: Decimal | None
    actual: Decimal | None
    plan: Decimal | None
    last_year: Decimal | None
    vs_plan: rag.Comparison
    vs_last_year: rag.Comparison
    status: str
    notes: tuple[str, ...] = ()
    periods: tuple[str, ...] = ()
    revisions: tuple[Revision, ...] = ()  # plan revisions in force, cited in `notes` too

    @property
    def code(self) -> str:
        return self.metric.code

    @property
    def name(self) -> str:
        return self.metric.name

    @property
    def group(self) -> str:
        return self.metric.group

    @property
    def group_label(self) -> str:
        return self.metric.get_group_display()

    @property
    def unit(self) -> str:
        return self.metric.unit

    @property
    def unit_label(self) -> str:
        return self.metric.unit_label

    @property
    def direction(self) -> str:
        return self.metric.direction

    @property
    def ytd_rule(self) -> str:
        return self.metric.ytd_rule

    @property
    def status_label(self) -> str:
        return MetricValue.Status(self.status).label

    def display(self, value: Decimal | None) -> str:
        return format_value(value, self.unit)

    @property
    def actual_display(self) -> str:
        return self.display(self.actual)

    @property
    def plan_display(self) -> str:
        return self.display(self.plan)

    @property
    def last_year_display(self) -> str:
        return self.display(self.last_year)

    @property
    def month_actual_display(self) -> str:
        return self.display(self.month_actual)

    @property
    def month_plan_display(self) -> str:
        return self.display(self.month_plan)

    def as_dict(self) -> dict:
        def number(value: Decimal | None):
            return None if value is None else rag.json_number(value)

        return {
            "metric": self.code,
            "name": self.name,
            "unit": self.unit,
            "direction": self.direction,
            "ytd_rule": self.ytd_rule,
            "actual": number(self.actual),
            "plan": number(self.plan),
            "last_year": number(self.last_year),
            "vs_plan": self.vs_plan.as_dict(),
            "vs_last_year": self.vs_last_year.as_dict(),
        }


@dataclass(frozen=True)
class RagSummary:
    """The RAG table of an area for a month: what the dashboard, its export, the
    `rag_summary` command and the board pack show."""

    area: Area
    month: Month
    breakdown: str
    rows: tuple[RagRow, ...]

    @property
    def financial_year(self):
        return self.month.financial_year

    @property
    def month_number(self) -> int:
        return self.month.number

    def groups(self) -> list[tuple[str, list[RagRow]]]:
        """(group label, rows) in catalogue order, for tables split by group."""
        grouped: dict[str, list[RagRow]] = {}
        for row in self.rows:
            grouped.setdefault(row.group_label, []).append(row)
        return list(grouped.items())

    def as_dict(self) -> dict:
        return {
            "area": self.area.code,
            "month": str(self.month),
            "financial_year": str(self.financial_year),
            "month_number": self.month_number,
            "metrics": [row.as_dict() for row in self.rows],
        }


def rag_summary(
    *,
    area: Area,
    month: Month,
    breakdown: str = "",
    groups: Iterable[str] | None = None,
    reader: Reader | None = None,
) -> RagSummary:
    """Each metric with figures for `month` (for the area as a whole, or for one breakdown),
    rated against the plan in force at the end of `month` and the same period last year, rates
    worked out from their counts (see `metrics.readings`). Up to four queries, whatever the
    number of metrics or figures."""
    reader = reader or Reader(area)
    metrics = list(_metrics(groups))
    held = _Held.load(
        reader.readings(
            metrics=metrics,
            breakdown=breakdown,
            start=month.financial_year.previous().months()[0],
            end=month,
            plans_at=month,
        ),
        month=month,
    )
    revisions = reader.revisions_in_force(metrics=metrics, month=month)
    rows = tuple(
        _rag_row(metric, month, held, revisions=revisions.get(metric.pk, ()))
        for metric in metrics
        if metric.pk in held.with_figures
    )
    return RagSummary(area=area, month=month, breakdown=breakdown, rows=rows)


def _metrics(groups: Iterable[str] | None = None) -> QuerySet[Metric]:
    metrics = Metric.objects.order_by("display_order", "code")
    if groups:
        metrics = metrics.filter(group__in=list(groups))
    return metrics


@dataclass
class _Held:
    """Figures read in one query, by (metric id, series, period)."""

    figures: dict[tuple[int, str, str], Figure] = field(default_factory=dict)
    with_figures: set[int] = field(default_factory=set)  # metrics with a figure that month

    @classmethod
    def load(cls, figures: Iterable[Reading], *, month: Month) -> _Held:
        held = cls()
        for reading in figures:
            held.figures[(reading.metric_id, reading.series, reading.period)] = Figure(
                reading.value, reading.status, reading.note
            )
            if reading.end_month == month:
                held.with_figures.add(reading.metric_id)
        return held

    def get(self, metric: Metric, series: str, period) -> Figure | None:
        return self.figures.get((metric.pk, series, str(period)))

    def value(self, metric: Metric, series: str, period) -> Decimal | None:
        figure = self.get(metric, series, period)
        return None if figure is None else figure.value


def _rag_row(
    metric: Metric, month: Month, held: _Held, *, revisions: Sequence[Revision] = ()
) -> RagRow:
    periods = rag.compared_periods(metric.frequency, metric.ytd_rule, month)
    direction = rag.Direction(metric.direction)
    # How the comparisons are rated and written: both figures for a latest-period metric.
    wording = {
        "thresholds": metric.thresholds,
        "unit": metric.unit,
        "wording": rag.wording_for(metric.ytd_rule),
        "period": periods[-1] if periods else None,
    }

    actuals = [held.get(metric, ACTUAL, period) for period in periods]
    actual = rag.total([None if figure is None else figure.value for figure in actuals])

    plans = [held.value(metric, PLAN, period) for period in periods]
    # No plan held at all is "No Target set"; a plan held but missing (a rate whose population
    # is not held) is "Data not available".
    if all(held.get(metric, PLAN, period) is None for period in periods):
        vs_plan = rag.compare_with_plan(actual, None, direction=direction)
        plan = None
    else:
        plan = rag.total(plans)  # None when some months have no plan: not comparable
        vs_plan = (
            rag.compare_with_plan(actual, plan, direction=direction, **wording)
            if plan is not None
            else rag.Comparison.not_available(rag.Comparator.PLAN)
        )

    last_year = rag.total(
        [held.value(metric, ACTUAL, rag.period_a_year_before(period)) for period in periods]
    )
    vs_last_year = rag.compare_with_last_year(actual, last_year, direction=direction, **wording)

    notes: list[str] = []
    for period in periods:
        for series in (ACTUAL, PLAN):
            figure = held.get(metric, series, period)
            if figure is not None and figure.note and figure.note not in notes:
                notes.append(figure.note)
    cited = tuple(revisions) if plan is not None else ()
    notes.extend(revision.note for revision in cited if revision.note not in notes)

    if actual is None:
        status = MetricValue.Status.NOT_AVAILABLE
    else:
        status = max((figure.status for figure in actuals), key=STATUS_ORDER.index)

    # The figures of the period ending in `month` itself (the month, for a monthly metric).
    ending = rag.compared_periods(metric.frequency, rag.YtdRule.LATEST, month)
    month_actual = held.value(metric, ACTUAL, ending[0]) if ending else None
    month_plan = held.value(metric, PLAN, ending[0]) if ending else None
    return RagRow(
        metric=metric,
        month_actual=month_actual,
        month_plan=month_plan,
        actual=actual,
        plan=plan,
        last_year=last_year,
        vs_plan=vs_plan,
        vs_last_year=vs_last_year,
        status=status,
        notes=tuple(notes),
        periods=tuple(str(period) for period in periods),
        revisions=cited,
    )


def breakdown_commentary(
    *, area: Area, month: Month, metrics: Sequence[Metric], reader: Reader | None = None
) -> dict[int, list[str]]:
    """The lines that open each metric's commentary at `month`, by metric id, from the
    breakdowns held: providers against their own plans (year on year when no provider has a
    plan), age bands and attributions year on year, each part rated and worded as the metric's
    own row is (`_rag_row`), leaving out the kinds the analyst chose to. Three to five queries
    however many metrics or breakdowns."""
    by_breakdown: dict[str, list[Reading]] = defaultdict(list)
    reader = reader or Reader(area)
    for reading in reader.readings(
        metrics=metrics,
        breakdown=EVERY_BREAKDOWN,
        start=month.financial_year.previous().months()[0],
        end=month,
        plans_at=month,
    ):
        by_breakdown[reading.breakdown].append(reading)
    leave_out = dict(
        MetricSettings.objects.filter(
            area=area, metric__in=[metric.pk for metric in metrics]
        ).values_list("metric_id", "commentary_leaves_out")
    )
    parts: dict[int, list[Part]] = defaultdict(list)
    for breakdown, found in sorted(by_breakdown.items()):
        kind, _, name = breakdown.partition(":")
        held = _Held.load(found, month=month)
        for metric in metrics:
            if metric.pk in held.with_figures:
                row = _rag_row(metric, month, held)
                parts[metric.pk].append(
                    Part(kind, name, row.vs_plan, row.vs_last_year, row.actual_display)
                )
    return {
        metric.pk: breakdown_lines(parts[metric.pk], leave_out=leave_out.get(metric.pk, ()))
        for metric in metrics
        if parts.get(metric.pk)
    }


def latest_data_month(*, area: Area, quarter: Quarter) -> Month | None:
    """The latest month, up to the end of `quarter`, with an actual figure for the area as a
    whole in a monthly metric: the month a board pack's data runs to ("activity data up to
    Month 5, 31 August 2018")."""
    return (
        MetricValue.objects.filter(
            area=area,
            breakdown="",
            series=ACTUAL,
            value__isnull=False,
            metric__frequency=Metric.Frequency.MONTHLY,
            end_month__lte=quarter.last_month,
        )
        .order_by()
        .aggregate(latest=Max("end_month"))["latest"]
    )


# --- Dashboard ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class DashboardRow:
    """A RAG summary row with the SPC reading of the metric's monthly figures."""

    rag: RagRow
    spc: spc.SpcResult


def dashboard_rows(
    *, area: Area, month: Month, breakdown: str = "", groups: Iterable[str] | None = None
) -> list[DashboardRow]:
    """The analyst's dashboard: the RAG summary and, for each metric, the SPC chart of its
    figures up to `month`. Four queries, whatever the data held."""
    reader = Reader(area)
    summary = rag_summary(
        area=area, month=month, breakdown=breakdown, groups=groups, reader=reader
    )
    metrics = [row.metric for row in summary.rows]
    series = _actual_series(
        area=area, metrics=metrics, up_to=month, breakdown=breakdown, reader=reader
    )
    recalculations = _recalculations(area=area, metrics=metrics)
    options = spc_options_for(area=area, metrics=metrics)
    return [
        DashboardRow(
            rag=row,
            spc=spc.xmr(
                series.get(row.metric.pk, []),
                direction=rag.Direction(row.direction),
                target=row.month_plan,
                recalculations=recalculations.get(row.metric.pk, []),
                options=options.get(row.metric.pk, spc.DEFAULT_OPTIONS),
            ),
        )
        for row in summary.rows
    ]


def _actual_series(
    *,
    area: Area,
    metrics: Sequence[Metric],
    up_to: Month,
    breakdown: str = "",
    reader: Reader | None = None,
) -> dict[int, list[tuple[Month, Decimal]]]:
    series: dict[int, list[tuple[Month, Decimal]]] = defaultdict(list)
    reader = reader or Reader(area)
    found = reader.readings(metrics=metrics, breakdown=breakdown, series=ACTUAL, end=up_to)
    for reading in sorted(found, key=lambda reading: (reading.metric_id, reading.end_month)):
        if reading.value is not None:
            series[reading.metric_id].append((reading.end_month, reading.value))
    return series


def spc_options_for(*, area: Area, metrics: Sequence[Metric]) -> dict[int, spc.Options]:
    """The analyst's SPC options of each metric that has any, by metric id (one query)."""
    return {
        metric_id: spc.Options(baseline_points=points, screen_moving_ranges=screen)
        for metric_id, points, screen in MetricSettings.objects.filter(
            area=area, metric__in=[metric.pk for metric in metrics]
        ).values_list("metric_id", "spc_baseline_points", "spc_screen_moving_ranges")
    }


def _recalculations(*, area: Area, metrics: Sequence[Metric]) -> dict[int, list[spc.Recalculation]]:
    found: dict[int, list[spc.Recalculation]] = defaultdict(list)
    for metric_id, month, reason in SpcRecalculation.objects.filter(
        area=area, metric__in=[metric.pk for metric in metrics]
    ).values_list("metric_id", "month", "reason"):
        found[metric_id].append(spc.Recalculation(at=month, reason=reason))
    return found


def months_with_figures(*, area: Area) -> list[Month]:
    """Months with an actual figure for the area as a whole, latest first."""
    return list(
        MetricValue.objects.filter(area=area, breakdown="", series=ACTUAL)
        .order_by("-end_month")
        .values_list("end_month", flat=True)
        .distinct()
    )


def breakdowns_held(*, area: Area) -> list[str]:
    """The breakdowns the area has figures for (provider:UHS, age_band:65+ ...), sorted."""
    return sorted(
        MetricValue.objects.filter(area=area)
        .exclude(breakdown="")
        .order_by()
        .values_list("breakdown", flat=True)
        .distinct()
    )


def default_month(*, area: Area) -> Month | None:
    """The month the dashboard opens on: the latest with data in the quarter being reported
    (or before it), else the latest held."""
    month = latest_data_month(area=area, quarter=area.reporting_quarter())
    if month is not None:
        return month
    held = months_with_figures(area=area)
    return held[0] if held else None


# --- Charts and the metric page ------------------------------------------------------------


@dataclass(frozen=True)
class MetricSeries:
    """A metric's monthly actual, plan and same-month-last-year figures, for the trend chart."""

    metric: Metric
    months: tuple[Month, ...]
    actual: tuple[Decimal | None, ...]
    plan: tuple[Decimal | None, ...]
    last_year: tuple[Decimal | None, ...]
    breakdown: str = ""


def metric_series(
    *, area: Area, metric: Metric, months: Sequence[Month], breakdown: str = ""
) -> MetricSeries:
    """Actual, plan and last year for each of `months` (one query)."""
    return metric_series_for(area=area, metrics=[metric], months=months, breakdown=breakdown)[
        metric.pk
    ]


def metric_series_for(
    *,
    area: Area,
    metrics: Sequence[Metric],
    months: Sequence[Month],
    breakdown: str = "",
    reader: Reader | None = None,
) -> dict[int, MetricSeries]:
    """`metric_series` of several metrics at once, by metric id: one query however many
    (the board pack's headline charts)."""
    months = tuple(months)
    wanted = {*months, *(month.same_period_last_year() for month in months)}
    # Each month's plan as it was in force then: a revision shows as a step in the plan line.
    reader = reader or Reader(area)
    found = {
        (reading.metric_id, reading.series, reading.end_month): reading.value
        for reading in reader.readings(
            metrics=metrics, breakdown=breakdown, months=wanted, plans_at=EACH_MONTH
        )
    }

    def series_of(metric: Metric) -> MetricSeries:
        def value(series: str, month: Month) -> Decimal | None:
            return found.get((metric.pk, series, month))

        return MetricSeries(
            metric=metric,
            months=months,
            actual=tuple(value(ACTUAL, month) for month in months),
            plan=tuple(value(PLAN, month) for month in months),
            last_year=tuple(value(ACTUAL, month.same_period_last_year()) for month in months),
            breakdown=breakdown,
        )

    return {metric.pk: series_of(metric) for metric in metrics}


def metric_spc(*, area: Area, metric: Metric, up_to: Month, breakdown: str = "") -> spc.SpcResult:
    """The XmR chart of the metric's actual figures up to `up_to`, with the analyst's
    recalculation points and the plan for `up_to` as its target (three queries)."""
    return metric_spc_for(area=area, metrics=[metric], up_to=up_to, breakdown=breakdown)[metric.pk]


def metric_spc_for(
    *,
    area: Area,
    metrics: Sequence[Metric],
    up_to: Month,
    breakdown: str = "",
    reader: Reader | None = None,
) -> dict[int, spc.SpcResult]:
    """`metric_spc` of several metrics at once, by metric id: up to five queries however many
    (the figures, populations and replaced plans they need, recalculation points, options)."""
    points: dict[int, list[tuple[Month, Decimal]]] = defaultdict(list)
    targets: dict[int, Decimal | None] = {}
    reader = reader or Reader(area)
    found = reader.readings(metrics=metrics, breakdown=breakdown, end=up_to, plans_at=up_to)
    for reading in sorted(found, key=lambda reading: (reading.metric_id, reading.end_month)):
        if reading.series == ACTUAL and reading.value is not None:
            points[reading.metric_id].append((reading.end_month, reading.value))
        elif reading.series == PLAN and reading.end_month == up_to:
            targets[reading.metric_id] = reading.value
    recalculations = _recalculations(area=area, metrics=metrics)
    options = spc_options_for(area=area, metrics=metrics)
    return {
        metric.pk: spc.xmr(
            points.get(metric.pk, []),
            direction=rag.Direction(metric.direction),
            target=targets.get(metric.pk),
            recalculations=recalculations.get(metric.pk, []),
            options=options.get(metric.pk, spc.DEFAULT_OPTIONS),
        )
        for metric in metrics
    }


@dataclass(frozen=True)
class BreakdownSeries:
    """A metric's monthly actual figures for each part of one kind of breakdown."""

    metric: Metric
    kind: str
    months: tuple[Month, ...]
    lines: dict[str, tuple[Decimal | None, ...]]  # part (UHS, 65+ ...) -> figure per month


def breakdown_series(
    *, area: Area, metric: Metric, months: Sequence[Month], kind: str
) -> BreakdownSeries:
    months = tuple(months)
    rows = readings(area=area, metrics=[metric], breakdown_kind=kind, series=ACTUAL, months=months)
    found: dict[str, dict[Month, Decimal | None]] = defaultdict(dict)
    for reading in sorted(rows, key=lambda reading: reading.breakdown):
        found[reading.breakdown.partition(":")[2]][reading.end_month] = reading.value
    lines = {part: tuple(values.get(month) for month in months) for part, values in found.items()}
    return BreakdownSeries(metric=metric, kind=kind, months=months, lines=lines)


def breakdown_kinds_for(*, area: Area, metric: Metric) -> list[str]:
    """The kinds of breakdown (provider, age_band, attribution) held for the metric (for a
    worked-out rate, for the metric it is worked out from)."""
    held = (
        MetricValue.objects.filter(area=area, metric_id=metric.rate_of_id or metric.pk)
        .exclude(breakdown="")
        .order_by()
        .values_list("breakdown", flat=True)
        .distinct()
    )
    return sorted({breakdown.partition(":")[0] for breakdown in held})


def metric_values(*, area: Area, metric: Metric) -> QuerySet[MetricValue]:
    """The metric's figures for the area, latest first, for the values table."""
    return (
        MetricValue.objects.filter(area=area, metric=metric)
        .select_related("source")
        .order_by("-end_month", "series", "breakdown")
    )


def plan_revisions_of(*, area: Area, metric: Metric) -> QuerySet[PlanRevision]:
    """The metric's plan revisions in the area, latest first, with how many plans each changed
    (for a worked-out rate, those of the metric it is worked out from)."""
    return (
        PlanRevision.objects.filter(area=area, metric_id=metric.rate_of_id or metric.pk)
        .select_related("created_by")
        .annotate(changed=Count("superseded"))
        .order_by("-effective", "-created")
    )


def populations_for_rate(*, area: Area, metric: Metric) -> QuerySet[Population]:
    """The populations a worked-out rate uses (none for any other metric)."""
    if not metric.rate_of_id:
        return Population.objects.none()
    return Population.objects.filter(area=area, age_group=metric.age_group).order_by(
        "-financial_year"
    )


def figures_are_illustrative(*, area: Area) -> bool:
    """True when any of the area's figures came from an import marked illustrative (the demo
    data): pages and the board pack then say so."""
    return MetricValue.objects.filter(area=area, source__illustrative=True).exists()


def metric_get(*, code: str) -> Metric | None:
    return Metric.objects.filter(code=code).first()


# --- A metric's page ---------------------------------------------------------------------


@dataclass(frozen=True)
class MetricPage:
    """What a metric's page shows for an area at a month: its row of the RAG summary (None
    when it has no figure that month), the financial year month by month, its SPC reading up to
    the month, and the parts of one kind of breakdown (`kind`, among the `kinds` held)."""

    metric: Metric
    month: Month
    breakdown: str
    row: RagRow | None
    series: MetricSeries
    spc: spc.SpcResult
    kinds: list[str]
    kind: str | None
    parts: BreakdownSeries | None
    breakdown_lines: list[str]  # as the board pack's commentary opens with them


def metric_page(
    *, area: Area, metric: Metric, month: Month, breakdown: str = "", kind: str | None = None
) -> MetricPage:
    """The metric's figures for its page; `kind` is the breakdown to draw (the first held when
    it is not one of them)."""
    summary = rag_summary(area=area, month=month, breakdown=breakdown)
    months = month.financial_year.months()
    kinds = breakdown_kinds_for(area=area, metric=metric)
    kind = kind if kind in kinds else (kinds[0] if kinds else None)
    return MetricPage(
        metric=metric,
        month=month,
        breakdown=breakdown,
        row=next((row for row in summary.rows if row.code == metric.code), None),
        series=metric_series(area=area, metric=metric, months=months, breakdown=breakdown),
        spc=metric_spc(area=area, metric=metric, up_to=month, breakdown=breakdown),
        kinds=kinds,
        kind=kind,
        parts=breakdown_series(area=area, metric=metric, months=months, kind=kind)
        if kind
        else None,
        breakdown_lines=breakdown_commentary(area=area, month=month, metrics=[metric]).get(
            metric.pk, []
        ),
    )


# --- Home page -----------------------------------------------------------------------------


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """Analysts load the monthly figures the quarter's report needs (hospital data lags a
    month, so a quarter's report runs to its second month); board secretaries see whether the
    figures are in."""
    loads = permissions.may_import_metrics(user, area)
    if not (loads or permissions.waits_for_the_figures(user, area)):
        return []
    needed = quarter.last_month.previous()
    latest = latest_data_month(area=area, quarter=quarter)
    loaded = f"Figures are loaded up to {latest.data_label}." if latest else "No figures yet."
    done = latest is not None and latest >= needed
    if loads:
        return [
            Task(
                title=f"Monthly metrics for {quarter.short_label}",
                detail=loaded
                + ("" if done else f" The report needs them up to {needed.data_label}."),
                url=reverse("metrics:import") if not done else reverse("metrics:index"),
                status="done" if done else "todo",
            )
        ]
    return [
        Task(
            title=f"Metrics for the {quarter.short_label} pack",
            detail=loaded,
            url=reverse("metrics:index"),
            status="done" if done else "waiting",
        )
    ]
