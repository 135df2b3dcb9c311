"""The month the figures reach: the latest month every monthly metric has a figure for (the
month the dashboard opens on, the home page states and the board pack reports), and the
metrics still without a figure in a month."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from bettercare.models import Area
from bettercare.periods import Month

from ..models import Metric, MetricValue
from .summary import ACTUAL


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
