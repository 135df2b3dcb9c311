"""The RAG summary of an area for a month: each metric rated against the plan in force and the
same period last year, as the dashboard, its export, `rag_summary` and the board pack show it,
and the breakdown lines that open each metric's commentary in the pack. A few queries, whatever
the data held (see `metrics.readings`)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Max, QuerySet

from bettercare.models import Area
from bettercare.periods import Month, Quarter

from .. import rag
from ..commentary import Part, breakdown_lines
from ..models import Metric, MetricSettings, MetricValue
from ..readings import EVERY_BREAKDOWN, Reader, Reading, Revision, readers_for
from ..units import format_value

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
    catalogue: Sequence[Metric] | None = None,
) -> RagSummary:
    """Each metric with figures for `month` (for the area as a whole, or for one breakdown),
    rated against the plan in force at the end of `month` and the same period last year, rates
    worked out from their counts (see `metrics.readings`). Up to four queries, whatever the
    number of metrics or figures (`catalogue`: the metrics already read, in order)."""
    reader = reader or Reader(area)
    metrics = list(catalogue) if catalogue is not None else list(_metrics(groups))
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


def rag_summaries(*, areas: Sequence[Area], month: Month) -> dict[int, RagSummary]:
    """`rag_summary` of each area for `month`, by area id, for areas side by side (the system
    view): four queries however many areas (see `metrics.readings.readers_for`)."""
    readers = readers_for(areas, start=month.financial_year.previous().months()[0], end=month)
    catalogue = list(_metrics())
    return {
        area.pk: rag_summary(area=area, month=month, reader=readers[area.pk], catalogue=catalogue)
        for area in areas
    }


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
