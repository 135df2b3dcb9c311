"""Benchmarking between areas: every area's figure for a metric's month, read into one data
frame (area x metric x month) by one query, and handed to `metrics.benchmarking`.

Queries do not grow with the areas: the metric (with the one it is worked out from), the
figures of every area asked for and every comparator (one query), and their populations for
the month's financial year (one query, only when a rate needs them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

import pandas as pd
from django.db.models import Q

from bettercare.models import Area
from bettercare.periods import Month, PeriodError, parse_month

from .. import benchmarking
from ..benchmarking import Basis, Benchmark, Direction
from ..models import AgeGroup, Metric, MetricValue, Population
from ..units import Unit, format_value
from .summary import ACTUAL

FRAME_COLUMNS = ("area", "name", "kind", "metric", "month", "value")
AGE_GROUP_WORDS = {
    AgeGroup.ALL_AGES: "all ages",
    AgeGroup.AGED_18_PLUS: "aged 18+",
    AgeGroup.AGED_65_PLUS: "aged 65+",
}


class BenchmarkError(ValueError):
    """Input the benchmark cannot be made from; the message says what to give instead."""


@dataclass(frozen=True)
class MetricBenchmark:
    """A metric's month benchmarked: what `metrics.benchmarking` worked out, and how."""

    metric: Metric
    month: Month
    basis: Basis
    age_group: str  # the population of the rates ("" when figures are compared as they are)
    result: Benchmark

    @property
    def rate_words(self) -> str:
        """What the rate column is: 'Rate per 100,000 aged 65+', or the metric's own unit."""
        if self.basis == Basis.AS_IS:
            return self.metric.unit_label
        return f"Rate per 100,000 {AGE_GROUP_WORDS[AgeGroup(self.age_group)]}"

    @property
    def value_unit(self) -> Unit:
        return Unit.RATE if self.basis == Basis.WORKED_OUT else Unit(self.metric.unit)

    @property
    def rate_unit(self) -> Unit:
        return Unit(self.metric.unit) if self.basis == Basis.AS_IS else Unit.RATE

    def value_display(self, number: float | None) -> str:
        return _display(number, self.value_unit)

    def rate_display(self, number: float | None) -> str:
        return _display(number, self.rate_unit)

    def gap_display(self, gap: float | None) -> str:
        """'12.3 above the median', '4.0 below the median', 'At the median'."""
        if gap is None:
            return "\u2013"
        shown = _display(abs(gap), self.rate_unit, places=1)
        if shown in ("0.0", "0.0%"):
            return "At the median"
        return f"{shown} {'above' if gap > 0 else 'below'} the median"

    def as_json(self) -> dict:
        """What `manage.py benchmark --format json` prints, with exactly the issue's keys."""
        return {
            "metric": self.metric.code,
            "month": str(self.month),
            "areas": [
                {
                    "area": row.area,
                    "name": row.name,
                    "value": _rounded(row.value),
                    "rate": _rounded(row.rate),
                    "rank": row.rank,
                    "quartile": row.quartile,
                }
                for row in self.result.areas
            ],
            "comparators": [
                {
                    "area": line.area,
                    "name": line.name,
                    "value": _rounded(line.value),
                    "rate": _rounded(line.rate),
                }
                for line in self.result.comparators
            ],
        }


def _display(number: float | None, unit: Unit, places: int | None = None) -> str:
    return format_value(
        None if number is None else Decimal(repr(number)), unit, missing="\u2013", places=places
    )


def _rounded(number: float | None) -> float | None:
    # Figures are held to four decimal places; rates are shown to one (`benchmark_table`).
    return None if number is None else round(number, 4)


def basis_of(metric: Metric, *, counted_rate_age_group: str = "") -> tuple[Basis, str]:
    """How the metric's figures are compared, and the age group of the population their rate
    is per 100,000 of. Rates and percentages as they are; a worked-out rate from its counts
    and its own age group; any other figure (a count, days, a daily average) per 100,000 of the
    age group of the rate the catalogue works out from it, if any, else of all ages."""
    if metric.rate_of_id:
        return Basis.WORKED_OUT, metric.age_group
    if metric.unit in (Unit.RATE, Unit.PERCENT):
        return Basis.AS_IS, ""
    return Basis.PER_100K, counted_rate_age_group or AgeGroup.ALL_AGES


def benchmark_frame(
    *, metric_ids: Sequence[int], months: Sequence[Month], areas: Sequence[Area] | None
) -> pd.DataFrame:
    """One data frame of area x metric x month (FRAME_COLUMNS): the actual figure of each area
    as a whole, from one query. `areas` None: every area in the installation; else those
    areas, and every comparator whatever `areas` says."""
    rows = MetricValue.objects.filter(
        metric_id__in=list(metric_ids),
        end_month__in=[str(month) for month in months],
        series=ACTUAL,
        breakdown="",
    )
    if areas is not None:
        rows = rows.filter(
            Q(area_id__in=[area.pk for area in areas]) | Q(area__kind=Area.Kind.COMPARATOR)
        )
    values = rows.order_by().values_list(
        "area__code", "area__name", "area__kind", "metric_id", "end_month", "value"
    )
    return pd.DataFrame.from_records(list(values), columns=list(FRAME_COLUMNS))


def _month(text: str) -> Month:
    try:
        return parse_month(text)
    except PeriodError as error:
        raise BenchmarkError(str(error)) from error


def benchmark_metric_get(code: str) -> Metric:
    metric = Metric.objects.select_related("rate_of").filter(code=code.strip().lower()).first()
    if metric is None:
        known = ", ".join(Metric.objects.order_by("code").values_list("code", flat=True))
        raise BenchmarkError(f"There is no metric with the code “{code}”. Known: {known}.")
    return metric


def benchmark_areas_get(codes: Sequence[str]) -> list[Area]:
    """The Health and Wellbeing Board areas with these codes; BenchmarkError naming any that
    is not one (comparators are never benchmarked as areas)."""
    wanted = {code.strip().upper() for code in codes}
    found = list(Area.objects.filter(code__in=wanted))
    comparators = sorted(area.code for area in found if area.is_comparator)
    if comparators:
        raise BenchmarkError(
            f"{', '.join(comparators)} is a comparator: comparators are shown beside the areas, "
            "never ranked among them. Give Health and Wellbeing Board areas' codes."
        )
    unknown = sorted(wanted - {area.code for area in found})
    if unknown:
        raise BenchmarkError(
            f"There is no area with the ONS code {', '.join(unknown)} "
            "(give a Health and Wellbeing Board area's code, e.g. E06000045)."
        )
    return found


def benchmark(
    *, metric: Metric | str, month: Month | str, areas: Sequence[Area] | None = None
) -> MetricBenchmark:
    """The metric's `month` across `areas` (None: every area in the installation) and every
    comparator. BenchmarkError for a metric or month that cannot be benchmarked."""
    if isinstance(metric, str):
        metric = benchmark_metric_get(metric)
    if isinstance(month, str):
        month = _month(month)
    if metric.frequency == Metric.Frequency.QUARTERLY and month.number % 3:
        raise BenchmarkError(
            f"{metric.name} is published quarterly: give the last month of a quarter "
            f"(e.g. {month.quarter.last_month}), not {month}."
        )
    if metric.frequency == Metric.Frequency.ANNUAL and month.number != 12:
        raise BenchmarkError(
            f"{metric.name} is published for a financial year: give its last month "
            f"(e.g. {month.financial_year.months()[-1]}), not {month}."
        )
    found = benchmarks_for(metrics=[metric], month=month, areas=areas)[metric.pk]
    if isinstance(found, BenchmarkError):
        raise found
    return found


def benchmarks_for(
    *, metrics: Sequence[Metric], month: Month, areas: Sequence[Area] | None
) -> dict[int, MetricBenchmark | BenchmarkError]:
    """Each metric's `month` across `areas` (None: every area in the installation) and every
    comparator, by metric id; a BenchmarkError for a metric no area has a figure of. Three
    queries whatever the number of metrics and areas: the age groups of the rates worked out
    from the counts, one data frame of every figure, and the populations of the year."""
    metrics = list(metrics)
    counted_rates = dict(
        Metric.objects.filter(rate_of__in=[m.pk for m in metrics if not m.rate_of_id])
        .order_by("display_order")
        .values_list("rate_of_id", "age_group")
    )
    counted_of = {metric.pk: metric.rate_of_id or metric.pk for metric in metrics}
    whole = benchmark_frame(
        metric_ids=sorted(set(counted_of.values())), months=[month], areas=areas
    )
    whole["population"] = float("nan")
    people: dict[tuple[str, str], int] | None = None
    found: dict[int, MetricBenchmark | BenchmarkError] = {}
    for metric in metrics:
        basis, age_group = basis_of(metric, counted_rate_age_group=counted_rates.get(metric.pk, ""))
        counted = counted_of[metric.pk]
        frame = whole[whole["metric"] == counted].copy()
        if areas is not None:
            # Areas asked for but without a figure are listed, unranked.
            present = set(frame["area"])
            missing = [
                (area.code, area.name, area.kind, counted, str(month), None, float("nan"))
                for area in areas
                if area.code not in present
            ]
            if missing:
                frame = pd.concat(
                    [frame, pd.DataFrame(missing, columns=[*FRAME_COLUMNS, "population"])],
                    ignore_index=True,
                )
        if frame[frame["kind"] == Area.Kind.HWB]["value"].isna().all():
            found[metric.pk] = BenchmarkError(
                f"No area has a figure of {metric.name} ({metric.code}) for {month.label}: "
                "choose a month the figures reach."
            )
            continue
        if basis != Basis.AS_IS:
            if people is None:
                people = {
                    (code, group): number
                    for code, group, number in Population.objects.filter(
                        area__code__in=list(whole["area"].unique()),
                        financial_year=month.financial_year,
                    ).values_list("area__code", "age_group", "people")
                }
            frame["population"] = [people.get((code, age_group)) for code in frame["area"]]
        result = benchmarking.benchmark(
            frame.loc[:, list(benchmarking.COLUMNS)],
            basis=basis,
            direction=Direction(metric.direction),
        )
        found[metric.pk] = MetricBenchmark(
            metric=metric, month=month, basis=basis, age_group=age_group, result=result
        )
    return found


def comparator_population_problems(bench: MetricBenchmark) -> list[str]:
    """'England (E92000001) has no population aged 65+ for 2018/19: its rate cannot be
    worked out. Import its population.' for each comparator the rates leave out."""
    if not bench.result.comparators_without_population:
        return []
    group = AGE_GROUP_WORDS[AgeGroup(bench.age_group)]
    return [
        f"{line.name} ({line.area}) has no population {group} for "
        f"{bench.month.financial_year.label}, so its rate cannot be worked out: import its "
        "population to show it."
        for line in bench.result.comparators_without_population
    ]


def benchmark_months(*, metric: Metric, areas: Sequence[Area] | None) -> list[Month]:
    """The months, latest first, for which any of `areas` has a figure of the metric."""
    counted = metric.rate_of_id or metric.pk
    rows = MetricValue.objects.filter(metric_id=counted, series=ACTUAL, breakdown="").exclude(
        value=None
    )
    if areas is not None:
        rows = rows.filter(area__in=list(areas))
    months = rows.order_by("-end_month").values_list("end_month", flat=True).distinct()
    return list(months)
