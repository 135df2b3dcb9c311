"""Each metric's SPC reading (XmR chart) of its actual figures, with the analyst's
recalculation points and the plan as its target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from decimal import Decimal

from bettercare.models import Area
from bettercare.periods import Month

from .. import rag, spc
from ..models import Metric, MetricSettings, SpcRecalculation
from ..readings import Reader
from .summary import ACTUAL, PLAN


def recalculations_of(
    *, area: Area, metrics: Sequence[Metric]
) -> dict[int, list[spc.Recalculation]]:
    found: dict[int, list[spc.Recalculation]] = defaultdict(list)
    for metric_id, month, reason in SpcRecalculation.objects.filter(
        area=area, metric__in=[metric.pk for metric in metrics]
    ).values_list("metric_id", "month", "reason"):
        found[metric_id].append(spc.Recalculation(at=month, reason=reason))
    return found



def spc_options_for(*, area: Area, metrics: Sequence[Metric]) -> dict[int, spc.Options]:
    """The analyst's SPC options of each metric that has any, by metric id (one query)."""
    return {
        metric_id: spc.Options(baseline_points=points, screen_moving_ranges=screen)
        for metric_id, points, screen in MetricSettings.objects.filter(
            area=area, metric__in=[metric.pk for metric in metrics]
        ).values_list("metric_id", "spc_baseline_points", "spc_screen_moving_ranges")
    }



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
    recalculations = recalculations_of(area=area, metrics=metrics)
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
