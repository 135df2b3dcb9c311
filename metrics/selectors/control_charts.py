"""Each metric's SPC reading (XmR chart) of its actual figures, with the analyst's
recalculation points and the plan as its target."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence

from bettercare.models import Area
from bettercare.periods import Month

from .. import rag, spc
from ..models import Metric, MetricValue, SpcRecalculation
from .series import actual_series
from .summary import PLAN


def recalculations_of(
    *, area: Area, metrics: Sequence[Metric]
) -> dict[int, list[spc.Recalculation]]:
    found: dict[int, list[spc.Recalculation]] = defaultdict(list)
    for metric_id, month, reason in SpcRecalculation.objects.filter(
        area=area, metric__in=[metric.pk for metric in metrics]
    ).values_list("metric_id", "month", "reason"):
        found[metric_id].append(spc.Recalculation(at=month, reason=reason))
    return found


def metric_spc(*, area: Area, metric: Metric, up_to: Month, breakdown: str = "") -> spc.SpcResult:
    """The XmR chart of the metric's actual figures up to `up_to`, with the analyst's
    recalculation points and the plan for `up_to` as its target (three queries)."""
    return metric_spc_for(area=area, metrics=[metric], up_to=up_to, breakdown=breakdown)[metric.pk]


def metric_spc_for(
    *, area: Area, metrics: Sequence[Metric], up_to: Month, breakdown: str = ""
) -> dict[int, spc.SpcResult]:
    """`metric_spc` of several metrics at once, by metric id: three queries however many."""
    ids = [metric.pk for metric in metrics]
    points = actual_series(area=area, metrics=metrics, up_to=up_to, breakdown=breakdown)
    targets = dict(
        MetricValue.objects.filter(
            area=area, metric__in=ids, breakdown=breakdown, series=PLAN, end_month=up_to
        )
        .order_by()
        .values_list("metric_id", "value")
    )
    recalculations = recalculations_of(area=area, metrics=metrics)
    return {
        metric.pk: spc.xmr(
            points.get(metric.pk, []),
            direction=rag.Direction(metric.direction),
            target=targets.get(metric.pk),
            recalculations=recalculations.get(metric.pk, []),
        )
        for metric in metrics
    }
