"""The analyst's dashboard: the RAG summary with each metric's SPC reading, and the months and
breakdowns it offers."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from bettercare.models import Area
from bettercare.periods import Month

from .. import rag, spc
from ..models import MetricValue
from .control_charts import recalculations_of
from .data_month import complete_data_month
from .series import actual_series
from .summary import ACTUAL, RagRow, rag_summary


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
    series = actual_series(area=area, metrics=metrics, up_to=month, breakdown=breakdown)
    recalculations = recalculations_of(area=area, metrics=metrics)
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
    """The month the dashboard opens on: the latest for which every monthly metric has a
    figure (see `complete_data_month`), up to the end of the quarter being reported; else the
    latest such month held."""
    month = complete_data_month(area=area, up_to=area.reporting_quarter().last_month).month
    if month is not None:
        return month
    return complete_data_month(area=area).month
