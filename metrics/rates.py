"""Rates per 100,000 worked out from counts and populations, never typed beside the counts.

Pure, no Django import. A metric defined as a rate of another (`Metric.rate_of`) per 100,000
of an age group's population takes each of the other metric's figures (actual or plan, the area
or one of its breakdowns) and divides it by the area's population for that financial year:

    rate = figure / population x 100,000

unrounded (rounding is for display). Without a population for the figure's year there is no
rate: the figure reads "Data not available", with the reason as its caveat.
"""

from __future__ import annotations

from decimal import Decimal

PER = Decimal(100_000)


def per_100k(figure: Decimal, population: int) -> Decimal:
    """`figure` per 100,000 of `population` (a positive number of people)."""
    if population <= 0:
        raise ValueError("A population is a positive number of people.")
    return figure * PER / Decimal(population)


def no_population_caveat(*, area_name: str, group_label: str, year_label: str) -> str:
    """Why a worked-out rate cannot be given: 'No population aged 18+ is held for Southampton
    for 2018/19, so this rate cannot be worked out.'"""
    return (
        f"No population {group_label} is held for {area_name} for {year_label}, so this rate "
        "cannot be worked out."
    )
