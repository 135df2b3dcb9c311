"""The system view's reads: every figure comes from the selector the area's own page uses
(`quarter_completeness_by_area`, `rag_summaries`, `pooled_funds`, `finance_positions`), each
reading all the areas at once, so the queries do not grow with the number of areas."""

from __future__ import annotations

from dataclasses import dataclass, field

from bettercare.models import Area
from bettercare.periods import Quarter
from finance.selectors import finance_positions, pooled_funds
from metrics.models import Metric
from metrics.selectors import rag_summaries
from schemes.selectors import quarter_completeness_by_area

from . import permissions


@dataclass(frozen=True)
class AreaColumn:
    area: Area
    completeness: object | None  # schemes.deadlines.Completeness, None when not shown
    ratings: object | None  # metrics.selectors.RagSummary
    pool: object | None  # finance.variance.PooledFund
    position: object | None  # finance.variance.FinancePosition
    shows_completeness: bool = False
    shows_ratings: bool = False
    shows_finance: bool = False


@dataclass(frozen=True)
class MetricLine:
    """A metric across the areas: each area's RAG row, or None where it has no figure."""

    metric: Metric
    cells: list = field(default_factory=list)  # (column, RagRow | None), in column order


@dataclass(frozen=True)
class SystemView:
    quarter: Quarter
    columns: list[AreaColumn]
    metrics: list[MetricLine]

    @property
    def month(self):
        return self.quarter.data_month


def system_view(*, user, areas, quarter: Quarter) -> SystemView:
    """The quarter for the areas the user holds, side by side: at the quarter's data month
    (Month 5 for Q2), the month the quarter's board packs report."""
    areas = permissions.areas_in_view(user, areas)
    month = quarter.data_month
    completeness_areas = [a for a in areas if permissions.may_see_completeness(user, a)]
    rating_areas = [a for a in areas if permissions.may_see_ratings(user, a)]
    finance_areas = [a for a in areas if permissions.may_see_finance(user, a)]
    completeness = (
        quarter_completeness_by_area(areas=completeness_areas, quarter=quarter)
        if completeness_areas
        else {}
    )
    ratings = rag_summaries(areas=rating_areas, month=month) if rating_areas else {}
    pools = pooled_funds(areas=finance_areas, year=quarter.year) if finance_areas else {}
    positions = finance_positions(areas=finance_areas, month=month) if finance_areas else {}
    columns = [
        AreaColumn(
            area=area,
            completeness=completeness.get(area.pk),
            ratings=ratings.get(area.pk),
            pool=pools.get(area.pk),
            position=positions.get(area.pk),
            shows_completeness=area.pk in completeness,
            shows_ratings=area.pk in ratings,
            shows_finance=area.pk in pools,
        )
        for area in areas
    ]
    by_metric: dict[int, dict[int, object]] = {}
    order: dict[int, Metric] = {}
    for column in columns:
        for row in column.ratings.rows if column.ratings else ():
            order.setdefault(row.metric.pk, row.metric)
            by_metric.setdefault(row.metric.pk, {})[column.area.pk] = row
    metrics = sorted(order.values(), key=lambda metric: (metric.display_order, metric.code))
    lines = [
        MetricLine(
            metric=metric,
            cells=[(column, by_metric[metric.pk].get(column.area.pk)) for column in columns],
        )
        for metric in metrics
    ]
    return SystemView(quarter=quarter, columns=columns, metrics=lines)
