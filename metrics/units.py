"""Units of measure of the metrics, and how a figure in each unit is written for people.

Pure, no Django import. Figures are stored and compared unrounded; these functions round only
for display, half up, the way the boards' tables do.
"""

from __future__ import annotations

from decimal import Decimal
from enum import StrEnum

from bettercare.money import round_half_up


class Unit(StrEnum):
    COUNT = "count"
    PERCENT = "percent"
    RATE = "rate"
    DAYS = "days"
    PER_DAY = "per_day"  # an average count per day, e.g. delayed patients per day


UNIT_LABELS = {
    Unit.COUNT: "Count",
    Unit.PERCENT: "Percentage (%)",
    Unit.RATE: "Rate per 100,000",
    Unit.DAYS: "Days",
    Unit.PER_DAY: "Average per day",
}
# Decimal places shown for each unit: whole counts and days, one place for % and rates and
# for averages per day (the boards' "26.6 delayed patients per day").
PLACES = {Unit.COUNT: 0, Unit.PERCENT: 1, Unit.RATE: 1, Unit.DAYS: 0, Unit.PER_DAY: 1}


def unit_label(unit: Unit | str, population: str = "") -> str:
    """'Rate per 100,000 population aged 65+', 'Percentage (%)', 'Count'."""
    unit = Unit(unit)
    if unit == Unit.RATE and population:
        return f"Rate per 100,000 {population}"
    return UNIT_LABELS[unit]


def format_value(
    value: Decimal | None, unit: Unit | str, *, missing: str = "\u2013", places: int | None = None
) -> str:
    """'28,534', '4.2%', '16.8', '2,821', with the unit's decimal places (a rate of 1,000 or
    more whole) unless `places` says otherwise.
    A count with a fraction (a plan spread over months, say) keeps one decimal place rather
    than being passed off as a whole number."""
    if value is None:
        return missing
    unit = Unit(unit)
    if places is None:
        places = PLACES[unit]
        if unit == Unit.RATE and abs(value) >= 1000:
            places = 0  # 2,821 per 100,000, as the plans write it; 809.8 keeps its place
    if places == 0 and value != value.to_integral_value():
        places = 1
    text = f"{round_half_up(value, places):,.{places}f}"
    return f"{text}%" if unit == Unit.PERCENT else text


def bounds_problem(value: Decimal, unit: Unit | str) -> str:
    """Why a figure cannot be in this unit ('' when it can): counts, days and rates are never
    negative, and a percentage lies between 0 and 100."""
    if value < 0:
        return f"a {UNIT_LABELS[Unit(unit)].lower()} cannot be negative"
    if unit == Unit.PERCENT and value > 100:
        return "a percentage cannot be more than 100"
    return ""
