"""The boards' RAG rule: how far a metric is from its target, or from last year, and which
colour and words that earns.

Pure arithmetic with no Django import, so the dashboard, its export, the `rag_summary` command
and the board pack all rate a figure by this one rule.

    % difference = (actual - comparator) / comparator x 100      (positive means higher)

The difference is then oriented so that positive means *worse* (for a metric where higher is
better, the sign flips) and rated against two thresholds, by default 0 and 10:

    Green   worse by <= 0%              On Track            Better
    Amber   worse by > 0% and < 10%     Slightly Off Track  Slightly Worse
    Red     worse by >= 10%             Off Track           Worse

A missing comparison never gets a colour: no plan reads "No Target set", a missing figure
"Data not available". Percentages stay unrounded here; only `difference_text` rounds, for
display.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal
from enum import StrEnum

from bettercare.money import percent_of, round_half_up
from bettercare.periods import FinancialYear, Month, Period, Quarter
from bettercare.ratings import Rag


class Direction(StrEnum):
    LOWER = "lower"  # fewer admissions, fewer delays: lower is better
    HIGHER = "higher"  # more people still at home after reablement: higher is better


class YtdRule(StrEnum):
    SUM = "sum"  # counts: the year to date is the sum of its months
    LATEST = "latest"  # rates and percentages: a snapshot, the chosen month alone


class Frequency(StrEnum):
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    ANNUAL = "annual"


class Comparator(StrEnum):
    PLAN = "target"
    LAST_YEAR = "last year"


PLAN_LABELS = {Rag.GREEN: "On Track", Rag.AMBER: "Slightly Off Track", Rag.RED: "Off Track"}
LAST_YEAR_LABELS = {Rag.GREEN: "Better", Rag.AMBER: "Slightly Worse", Rag.RED: "Worse"}
LABELS = {Comparator.PLAN: PLAN_LABELS, Comparator.LAST_YEAR: LAST_YEAR_LABELS}
NO_TARGET = "No Target set"
NOT_AVAILABLE = "Data not available"
ZERO_COMPARATOR = {
    Comparator.PLAN: "Cannot compare: the target is zero",
    Comparator.LAST_YEAR: "Cannot compare: last year's figure is zero",
}


@dataclass(frozen=True)
class Thresholds:
    """Green while worse by at most `amber_above` %, Red once worse by `red_from` % or more,
    Amber between."""

    amber_above: Decimal = Decimal(0)
    red_from: Decimal = Decimal(10)

    def __post_init__(self) -> None:
        if self.red_from <= self.amber_above:
            raise ValueError("The Red threshold must be above the Amber one.")


DEFAULT_THRESHOLDS = Thresholds()


@dataclass(frozen=True)
class Comparison:
    """One comparison of a figure: the unrounded % difference (positive = higher), the RAG
    rating (None when there is nothing to compare) and the label the board reads."""

    comparator: Comparator
    pct: Decimal | None
    rag: Rag | None
    label: str

    @property
    def text(self) -> str:
        """'4% higher than target'; empty when there is no difference to state."""
        return difference_text(self.pct, self.comparator)

    def as_dict(self) -> dict:
        return {
            "pct": None if self.pct is None else json_number(self.pct),
            "rag": None if self.rag is None else self.rag.value,
            "label": self.label,
        }

    @classmethod
    def not_available(cls, comparator: Comparator) -> Comparison:
        return cls(comparator, None, None, NOT_AVAILABLE)


def percent_difference(actual: Decimal, comparator: Decimal) -> Decimal | None:
    """(actual - comparator) / comparator x 100, unrounded; None when the comparator is zero."""
    return percent_of(actual - comparator, comparator)


def worse_by(pct: Decimal, direction: Direction) -> Decimal:
    """The difference oriented so that positive means worse."""
    return pct if direction == Direction.LOWER else -pct


def rating(pct: Decimal, direction: Direction, thresholds: Thresholds = DEFAULT_THRESHOLDS) -> Rag:
    worse = worse_by(pct, direction)
    if worse <= thresholds.amber_above:
        return Rag.GREEN
    if worse < thresholds.red_from:
        return Rag.AMBER
    return Rag.RED


def compare(
    actual: Decimal | None,
    comparator_value: Decimal | None,
    *,
    comparator: Comparator,
    direction: Direction,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Comparison:
    """Rate `actual` against a plan or last year's figure.

    No plan reads "No Target set" whether or not the actual is in (a metric without a target
    has none every month); any other missing figure reads "Data not available"."""
    if comparator_value is None:
        label = NO_TARGET if comparator == Comparator.PLAN else NOT_AVAILABLE
        return Comparison(comparator, None, None, label)
    if actual is None:
        return Comparison.not_available(comparator)
    pct = percent_difference(actual, comparator_value)
    if pct is None:
        return Comparison(comparator, None, None, ZERO_COMPARATOR[comparator])
    rag = rating(pct, direction, thresholds)
    return Comparison(comparator, pct, rag, LABELS[comparator][rag])


def compare_with_plan(
    actual: Decimal | None,
    plan: Decimal | None,
    *,
    direction: Direction,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Comparison:
    return compare(
        actual, plan, comparator=Comparator.PLAN, direction=direction, thresholds=thresholds
    )


def compare_with_last_year(
    actual: Decimal | None,
    last_year: Decimal | None,
    *,
    direction: Direction,
    thresholds: Thresholds = DEFAULT_THRESHOLDS,
) -> Comparison:
    return compare(
        actual,
        last_year,
        comparator=Comparator.LAST_YEAR,
        direction=direction,
        thresholds=thresholds,
    )


def difference_text(pct: Decimal | None, comparator: Comparator | str) -> str:
    """'4% higher than target', '3% lower than last year', rounded half up to a whole percent
    for display only. Under half a percent either way reads 'less than 1% higher ...', so a
    real difference is never shown as 0%; no difference at all reads 'the same as target'."""
    if pct is None:
        return ""
    comparator = str(comparator)
    if pct == 0:
        return f"the same as {comparator}"
    word = "higher" if pct > 0 else "lower"
    shown = round_half_up(abs(pct))
    if shown == 0:
        return f"less than 1% {word} than {comparator}"
    return f"{shown}% {word} than {comparator}"


def compared_periods(frequency: Frequency, ytd_rule: YtdRule, month: Month) -> list[Period]:
    """The periods a comparison at `month` covers.

    `latest` compares the period that ends in `month` alone; `sum` adds every period of the
    financial year that has ended by `month` (April to `month` for a monthly metric). Nothing
    ends in `month` for a quarterly metric mid-quarter, so it has nothing to compare then."""
    year = month.financial_year
    if frequency == Frequency.MONTHLY:
        ended: list[Period] = list(month.year_to_date())
    elif frequency == Frequency.QUARTERLY:
        ended = [quarter for quarter in year.quarters() if quarter.last_month <= month]
    else:
        ended = [year] if month == year.months()[-1] else []
    if ytd_rule == YtdRule.LATEST:
        return [period for period in ended if last_month_of(period) == month]
    return ended


def last_month_of(period: Period) -> Month:
    if isinstance(period, Month):
        return period
    if isinstance(period, Quarter):
        return period.last_month
    if isinstance(period, FinancialYear):
        return period.months()[-1]
    raise TypeError(f"{period!r} is not a period")


def period_a_year_before(period: Period) -> Period:
    if isinstance(period, Month | Quarter):
        return period.same_period_last_year()
    return period.previous()


def total(values: Sequence[Decimal | None]) -> Decimal | None:
    """The sum of a complete set of figures; None when any is missing (a partial year to date
    would understate the year and must not be rated)."""
    if not values or any(value is None for value in values):
        return None
    return sum(values, Decimal(0))


def json_number(value: Decimal) -> int | float:
    """A figure for JSON: whole numbers as integers, others as floats (unrounded)."""
    return int(value) if value == value.to_integral_value() else float(value)
