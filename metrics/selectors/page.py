"""A metric's page: its figures for a month, and its stored figures."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import QuerySet

from bettercare.models import Area
from bettercare.periods import Month

from .. import spc
from ..models import Metric, MetricValue
from .control_charts import metric_spc
from .series import (
    BreakdownSeries,
    MetricSeries,
    breakdown_kinds_for,
    breakdown_series,
    metric_series,
)
from .summary import RagRow, rag_summary


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
    )
