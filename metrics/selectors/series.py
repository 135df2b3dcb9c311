"""A metric's figures month by month: for its trend chart (actual, plan, last year), for each
part of a breakdown, and the actual series the SPC charts read."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from bettercare.models import Area
from bettercare.periods import Month

from ..models import Metric, MetricValue
from .summary import ACTUAL, PLAN


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


def actual_series(
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
