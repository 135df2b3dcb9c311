"""Benchmarking one metric's month across areas: rates, rank, quartile and gap to the median.

Pure (pandas, no Django): `metrics.selectors.benchmark` reads the figures of every area for the
metric and month into one data frame and hands it here; the page, its chart, the board pack
and `manage.py benchmark` all show what `benchmark` returns.

How a figure is compared (`Basis`):

- figures that are already rates or percentages are compared as they are (`AS_IS`);
- counts (admissions, delayed days, average daily delays) are compared per 100,000 of the
  area's population of the metric's age group for the month's financial year (`PER_100K`);
- a rate the catalogue works out from another metric's counts (`WORKED_OUT`) has counts as its
  figures: its value is the rate per 100,000 worked out the same way, as its dashboard shows.

Health and Wellbeing Board areas are ranked on the rate, 1 the best (the lowest where lower is
better, as for admissions; ties share the better rank); quartile 1 holds the best quarter of
the ranked areas. The gap to the median is the area's rate minus the median of the ranked
areas' rates (positive: above it). An area with no figure, or no population to make a rate
from, is listed but not ranked. Comparators (England, statistical neighbours) are never
ranked: they are reference lines, and one without the population its rate needs is a problem
the caller reports.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from enum import StrEnum

import pandas as pd

PER = 100_000
HWB = "hwb"
COMPARATOR = "comparator"
# The data frame `benchmark` takes: one row per area, its figure for the month (NaN: none or
# not available) and its population (NaN: none held) of the age group the rate needs.
COLUMNS = ("area", "name", "kind", "value", "population")


class Basis(StrEnum):
    AS_IS = "as_is"
    PER_100K = "per_100k"
    WORKED_OUT = "worked_out"


class Direction(StrEnum):
    LOWER = "lower"
    HIGHER = "higher"


@dataclass(frozen=True)
class AreaBenchmark:
    area: str
    name: str
    value: float | None
    rate: float | None
    rank: int | None
    quartile: int | None
    gap_to_median: float | None

    @property
    def ranked(self) -> bool:
        return self.rank is not None


@dataclass(frozen=True)
class ComparatorLine:
    area: str
    name: str
    value: float | None
    rate: float | None


@dataclass(frozen=True)
class Benchmark:
    """The areas in rank order (unranked ones last, by name), the comparators by name."""

    areas: list[AreaBenchmark]
    comparators: list[ComparatorLine]
    median: float | None
    ranked: int
    # Comparators whose rate cannot be made: no population held for them.
    comparators_without_population: list[ComparatorLine] = field(default_factory=list)

    def area(self, code: str) -> AreaBenchmark | None:
        return next((row for row in self.areas if row.area == code), None)


def _number(value) -> float | None:
    if value is None:
        return None
    value = float(value)
    return None if math.isnan(value) else value


def quartile_of(rank: int, ranked: int) -> int:
    """1 for the best quarter of `ranked` areas, 4 for the worst: rank 1 to 38 of 150 is 1."""
    return (rank - 1) * 4 // ranked + 1


def benchmark(frame: pd.DataFrame, *, basis: Basis, direction: Direction) -> Benchmark:
    """Rates, ranks, quartiles and gaps to the median of the areas in `frame` (COLUMNS)."""
    frame = frame.loc[:, list(COLUMNS)].copy()
    frame["value"] = pd.to_numeric(frame["value"], errors="coerce").astype(float)
    frame["population"] = pd.to_numeric(frame["population"], errors="coerce").astype(float)
    if basis == Basis.AS_IS:
        frame["rate"] = frame["value"]
    else:
        population = frame["population"].where(frame["population"] > 0)
        frame["rate"] = frame["value"] / population * PER
        if basis == Basis.WORKED_OUT:
            frame["value"] = frame["rate"]

    areas = frame[frame["kind"] == HWB].copy()
    ranked = areas["rate"].notna()
    areas["rank"] = areas["rate"].rank(method="min", ascending=(direction == Direction.LOWER))
    count = int(ranked.sum())
    median = _number(areas.loc[ranked, "rate"].median()) if count else None
    areas["gap"] = areas["rate"] - median if median is not None else float("nan")
    areas = areas.assign(_unranked=~ranked).sort_values(["_unranked", "rank", "name"])
    rows = [
        AreaBenchmark(
            area=row.area,
            name=row.name,
            value=_number(row.value),
            rate=_number(row.rate),
            rank=None if math.isnan(row.rank) else int(row.rank),
            quartile=None if math.isnan(row.rank) else quartile_of(int(row.rank), count),
            gap_to_median=_number(row.gap),
        )
        for row in areas.itertuples(index=False)
    ]

    comparators = frame[frame["kind"] == COMPARATOR].sort_values("name")
    lines, missing = [], []
    for row in comparators.itertuples(index=False):
        line = ComparatorLine(row.area, row.name, _number(row.value), _number(row.rate))
        if line.value is not None and line.rate is None and basis != Basis.AS_IS:
            missing.append(line)
        else:
            lines.append(line)
    return Benchmark(
        areas=rows,
        comparators=lines,
        median=median,
        ranked=count,
        comparators_without_population=missing,
    )
