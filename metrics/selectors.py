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

from django.db.models import Max, QuerySet
from django.urls import reverse

from bettercare.models import Area
from bettercare.periods import Month, Quarter
from bettercare.roles import Role, user_roles
from bettercare.selectors import Task

from . import rag, spc
from .models import Metric, MetricValue, SpcRecalculation
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
) -> RagSummary:
    """Each metric with figures for `month` (for the area as a whole, or for one breakdown),
    rated against its plan and the same period last year. Two queries."""
    metrics = list(_metrics(groups))
    held = _Held.load(
        MetricValue.objects.filter(
            area=area,
            breakdown=breakdown,
            metric__in=[metric.pk for metric in metrics],
            end_month__gte=month.financial_year.previous().months()[0],
            end_month__lte=month,
        ),
        month=month,
    )
    rows = tuple(
        _rag_row(metric, month, held) for metric in metrics if metric.pk in held.with_figures
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
    def load(cls, queryset: QuerySet[MetricValue], *, month: Month) -> _Held:
        held = cls()
        rows = queryset.order_by().values_list(
            "metric_id", "series", "period", "end_month", "value", "status", "note"
        )
        for metric_id, series, period, end_month, value, status, note in rows:
            held.figures[(metric_id, series, period)] = Figure(value, status, note)
            if end_month == month:
                held.with_figures.add(metric_id)
        return held

    def get(self, metric: Metric, series: str, period) -> Figure | None:
        return self.figures.get((metric.pk, series, str(period)))

    def value(self, metric: Metric, series: str, period) -> Decimal | None:
        figure = self.get(metric, series, period)
        return None if figure is None else figure.value


def _rag_row(metric: Metric, month: Month, held: _Held) -> RagRow:
    periods = rag.compared_periods(metric.frequency, metric.ytd_rule, month)
    direction = rag.Direction(metric.direction)
    thresholds = metric.thresholds

    actuals = [held.get(metric, ACTUAL, period) for period in periods]
    actual = rag.total([None if figure is None else figure.value for figure in actuals])

    plans = [held.value(metric, PLAN, period) for period in periods]
    if all(value is None for value in plans):
        vs_plan = rag.compare_with_plan(actual, None, direction=direction)
        plan = None
    else:
        plan = rag.total(plans)  # None when some months have no plan: not comparable
        vs_plan = (
            rag.compare_with_plan(actual, plan, direction=direction, thresholds=thresholds)
            if plan is not None
            else rag.Comparison.not_available(rag.Comparator.PLAN)
        )

    last_year = rag.total(
        [held.value(metric, ACTUAL, rag.period_a_year_before(period)) for period in periods]
    )
    vs_last_year = rag.compare_with_last_year(
        actual, last_year, direction=direction, thresholds=thresholds
    )

    notes: list[str] = []
    for period in periods:
        for series in (ACTUAL, PLAN):
            figure = held.get(metric, series, period)
            if figure is not None and figure.note and figure.note not in notes:
                notes.append(figure.note)

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
    )


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
    summary = rag_summary(area=area, month=month, breakdown=breakdown, groups=groups)
    metrics = [row.metric for row in summary.rows]
    series = _actual_series(area=area, metrics=metrics, up_to=month, breakdown=breakdown)
    recalculations = _recalculations(area=area, metrics=metrics)
    return [
        DashboardRow(
            rag=row,
            spc=spc.xmr(
                series.get(row.metric.pk, []),
                direction=rag.Direction(row.direction),
                target=row.month_plan,
                recalculations=recalculations.get(row.metric.pk, []),
            ),
        )
        for row in summary.rows
    ]


def _actual_series(
    *, area: Area, metrics: Sequence[Metric], up_to: Month, breakdown: str = ""
) -> dict[int, list[tuple[Month, Decimal]]]:
    series: dict[int, list[tuple[Month, Decimal]]] = defaultdict(list)
    rows = (
        MetricValue.objects.filter(
            area=area,
            breakdown=breakdown,
            series=ACTUAL,
            metric__in=[metric.pk for metric in metrics],
            end_month__lte=up_to,
            value__isnull=False,
        )
        .order_by("metric_id", "end_month")
        .values_list("metric_id", "end_month", "value")
    )
    for metric_id, end_month, value in rows:
        series[metric_id].append((end_month, value))
    return series


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


@dataclass(frozen=True)
class DataMonth:
    """The latest month for which every monthly metric has a figure (the month the dashboard
    opens on and the home page states), and the metrics with figures after it."""

    month: Month | None
    later: tuple[tuple[str, Month], ...] = ()  # (metric name, its latest month), by name

    @property
    def later_words(self) -> str:
        """ "Non Elective Admissions has figures to September 2018." """
        if not self.later:
            return ""
        parts = [f"{name} has figures to {month.label}" for name, month in self.later]
        listed = parts[0] if len(parts) == 1 else f"{'; '.join(parts[:-1])}; and {parts[-1]}"
        return f"{listed}."


def complete_data_month(*, area: Area, up_to: Month | None = None) -> DataMonth:
    """The latest month (up to `up_to`, if given) at which every monthly metric has an actual
    figure for the area as a whole: every metric published monthly, reported in that month's
    financial year, with any figure in that year. One early upload of next month's rows for a
    few metrics does not move it; the metrics it names as `later` have figures after it. Two
    queries."""
    metrics = {
        metric.pk: metric
        for metric in Metric.objects.filter(frequency=Metric.Frequency.MONTHLY)
    }
    held = MetricValue.objects.filter(
        area=area,
        breakdown="",
        series=ACTUAL,
        value__isnull=False,
        metric__in=list(metrics),
    )
    pairs = set(held.order_by().values_list("metric_id", "end_month").distinct())
    months_by_metric: dict[int, set[Month]] = defaultdict(set)
    for metric_id, month in pairs:
        months_by_metric[metric_id].add(month)
    complete = None
    candidates = {month for _, month in pairs if up_to is None or month <= up_to}
    for month in sorted(candidates, reverse=True):
        year = month.financial_year
        expected = [
            metric_id
            for metric_id, months in months_by_metric.items()
            if metrics[metric_id].is_valid_in(year)
            and any(held_month.financial_year == year for held_month in months)
        ]
        if all(month in months_by_metric[metric_id] for metric_id in expected):
            complete = month
            break
    later = ()
    if complete is not None:
        later = tuple(
            sorted(
                (metrics[metric_id].name, max(months))
                for metric_id, months in months_by_metric.items()
                if max(months) > complete
            )
        )
    return DataMonth(month=complete, later=later)


def metrics_without_figure(*, area: Area, month: Month) -> list[Metric]:
    """The monthly metrics reported in the month's financial year with no actual figure for
    the area as a whole in that month, in catalogue order (two queries)."""
    year = month.financial_year
    held = set(
        MetricValue.objects.filter(
            area=area, breakdown="", series=ACTUAL, value__isnull=False, end_month=month
        ).values_list("metric_id", flat=True)
    )
    return [
        metric
        for metric in Metric.objects.filter(frequency=Metric.Frequency.MONTHLY).order_by(
            "display_order", "code"
        )
        if metric.is_valid_in(year) and metric.pk not in held
    ]


def default_month(*, area: Area) -> Month | None:
    """The month the dashboard opens on: the latest for which every monthly metric has a
    figure (see `complete_data_month`), up to the end of the quarter being reported; else the
    latest such month held."""
    month = complete_data_month(area=area, up_to=area.reporting_quarter().last_month).month
    if month is not None:
        return month
    return complete_data_month(area=area).month


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
    *, area: Area, metrics: Sequence[Metric], months: Sequence[Month], breakdown: str = ""
) -> dict[int, MetricSeries]:
    """`metric_series` of several metrics at once, by metric id: one query however many
    (the board pack's headline charts)."""
    months = tuple(months)
    wanted = {*months, *(month.same_period_last_year() for month in months)}
    rows = (
        MetricValue.objects.filter(
            area=area,
            metric__in=[metric.pk for metric in metrics],
            breakdown=breakdown,
            end_month__in=sorted(wanted),
        )
        .order_by()
        .values_list("metric_id", "series", "end_month", "value")
    )
    found = {(metric_id, series, end_month): value for metric_id, series, end_month, value in rows}

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
    return metric_spc_for(area=area, metrics=[metric], up_to=up_to, breakdown=breakdown)[
        metric.pk
    ]


def metric_spc_for(
    *, area: Area, metrics: Sequence[Metric], up_to: Month, breakdown: str = ""
) -> dict[int, spc.SpcResult]:
    """`metric_spc` of several metrics at once, by metric id: three queries however many."""
    ids = [metric.pk for metric in metrics]
    points = _actual_series(area=area, metrics=metrics, up_to=up_to, breakdown=breakdown)
    targets = dict(
        MetricValue.objects.filter(
            area=area, metric__in=ids, breakdown=breakdown, series=PLAN, end_month=up_to
        )
        .order_by()
        .values_list("metric_id", "value")
    )
    recalculations = _recalculations(area=area, metrics=metrics)
    return {
        metric.pk: spc.xmr(
            points.get(metric.pk, []),
            direction=rag.Direction(metric.direction),
            target=targets.get(metric.pk),
            recalculations=recalculations.get(metric.pk, []),
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
    rows = (
        MetricValue.objects.filter(
            area=area,
            metric=metric,
            series=ACTUAL,
            breakdown__startswith=f"{kind}:",
            end_month__in=list(months),
        )
        .order_by("breakdown")
        .values_list("breakdown", "end_month", "value")
    )
    found: dict[str, dict[Month, Decimal | None]] = defaultdict(dict)
    for breakdown, end_month, value in rows:
        found[breakdown.partition(":")[2]][end_month] = value
    lines = {part: tuple(values.get(month) for month in months) for part, values in found.items()}
    return BreakdownSeries(metric=metric, kind=kind, months=months, lines=lines)


def breakdown_kinds_for(*, area: Area, metric: Metric) -> list[str]:
    """The kinds of breakdown (provider, age_band, attribution) held for the metric."""
    held = (
        MetricValue.objects.filter(area=area, metric=metric)
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
        # The table shows each value in its metric's unit: without the metric here, each row
        # of the page cost a query of its own (found profiling the page under load).
        .select_related("source", "metric")
        .order_by("-end_month", "series", "breakdown")
    )


def figures_are_illustrative(*, area: Area) -> bool:
    """True when any of the area's figures came from an import marked illustrative (the demo
    data): pages and the board pack then say so."""
    return MetricValue.objects.filter(area=area, source__illustrative=True).exists()


def metric_get(*, code: str) -> Metric | None:
    return Metric.objects.filter(code=code).first()


# --- Home page -----------------------------------------------------------------------------


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """Analysts load the monthly figures the quarter's report needs (hospital data lags a
    month, so a quarter's report runs to its second month); board secretaries see whether the
    figures are in."""
    roles = user_roles(user)
    if not {Role.ANALYST, Role.BOARD_SECRETARY} & set(roles):
        return []
    needed = quarter.last_month.previous()
    data = complete_data_month(area=area, up_to=quarter.last_month)
    latest = data.month
    loaded = (
        f"Every monthly metric is loaded up to {latest.data_label}."
        if latest
        else "No figures yet."
    )
    if data.later:
        loaded += f" {data.later_words}"
    done = latest is not None and latest >= needed
    if Role.ANALYST in roles:
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
