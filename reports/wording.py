"""The pack's own wording of figures: the pooled fund, and the legend of the performance table.
Pure, no Django import.

    describe_pool(fund) ->
        "The pooled fund for 2018/19 is £110.50M: £73.40M from the CCG and £37.10M from the
        Council, 6.7 times the national minimum of £16.48M."

Every figure is the selector's (`finance.selectors.pooled_fund`); this module only writes them,
in £M to two places as the pack's finance tables do, and partners as `finance.wording` names
them in a sentence.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from bettercare.money import format_millions, round_half_up
from bettercare.ratings import Rag
from finance.variance import PooledFund
from finance.wording import partner_label
from metrics.rag import DEFAULT_THRESHOLDS, LAST_YEAR_LABELS, PLAN_LABELS, Thresholds


def times_words(times) -> str:
    """6.7 times, to one place."""
    return f"{round_half_up(times, 1)} times"


def describe_pool(fund: PooledFund) -> str:
    year = fund.financial_year.label
    if not fund.recorded:
        return f"No pooled fund has been recorded for {year}."
    sentence = f"The pooled fund for {year} is {format_millions(fund.total)}"
    parts = [
        f"{format_millions(partner.contributed)} from {partner_label(partner.partner)}"
        for partner in fund.by_partner
        if partner.contributed
    ]
    if parts:
        listed = parts[0] if len(parts) == 1 else f"{', '.join(parts[:-1])} and {parts[-1]}"
        sentence += f": {listed}"
    minimum = format_millions(fund.national_minimum)
    if fund.above_minimum < 0:
        short = format_millions(-fund.above_minimum)
        return f"{sentence}, {short} short of the national minimum of {minimum}."
    if fund.above_minimum == 0:
        return f"{sentence}, exactly the national minimum of {minimum}."
    if fund.times_minimum is None:  # a national minimum of nothing
        return f"{sentence}; the national minimum is {minimum}."
    return f"{sentence}, {times_words(fund.times_minimum)} the national minimum of {minimum}."


# --- The performance table's legend --------------------------------------------------------


@dataclass(frozen=True)
class LegendRow:
    rag: str  # "green", "amber", "red": the badge's colour
    name: str  # "Green"
    worse_by: str  # "more than 0% and less than 10%"
    against_target: str  # "Slightly Off Track"
    against_last_year: str  # "Slightly Worse"


def _percent(value: Decimal) -> str:
    return f"{value.normalize():f}%"


def rag_legend(thresholds: Thresholds = DEFAULT_THRESHOLDS) -> list[LegendRow]:
    """The boards' RAG rule as the legend under the performance table states it, from the
    thresholds and labels `metrics.rag` rates with (Green up to 0% worse, Red from 10%)."""
    amber, red = _percent(thresholds.amber_above), _percent(thresholds.red_from)
    bands = {
        Rag.GREEN: f"{amber} or less",
        Rag.AMBER: f"more than {amber} and less than {red}",
        Rag.RED: f"{red} or more",
    }
    return [
        LegendRow(
            rag=rag.value,
            name=rag.value.capitalize(),
            worse_by=bands[rag],
            against_target=PLAN_LABELS[rag],
            against_last_year=LAST_YEAR_LABELS[rag],
        )
        for rag in Rag
    ]


def own_thresholds(thresholds: Thresholds) -> str:
    """How the legend names a metric's own thresholds: 'Amber above 2%, Red from 5%'."""
    amber, red = _percent(thresholds.amber_above), _percent(thresholds.red_from)
    return f"Amber above {amber}, Red from {red}"


# --- The national conditions in the legal implications -------------------------------------

_COUNTS = {1: "one", 2: "two", 3: "three", 4: "four", 5: "five", 6: "six", 7: "seven", 8: "eight"}


def _numbers(numbers: list[int]) -> str:
    words = [str(number) for number in numbers]
    listed = words[0] if len(words) == 1 else f"{', '.join(words[:-1])} and {words[-1]}"
    return f"condition{'s' if len(words) > 1 else ''} {listed}"


def describe_compliance(conditions: list[tuple[int, str, str]], *, area: str) -> str:
    """The area's compliance with the national conditions, from the analyst's record
    ((number, text, compliance) each, compliance "compliant", "not_compliant" or
    "not_assessed"): "Southampton is compliant with all four of these conditions.", or which
    it is not compliant with, and which are still to be assessed."""
    if not conditions:
        return (
            f"No national conditions have been recorded for {area} for this year, so the "
            "report cannot state its compliance with them."
        )
    compliant = [number for number, _, state in conditions if state == "compliant"]
    failing = [(number, text) for number, text, state in conditions if state == "not_compliant"]
    unknown = [number for number, _, state in conditions if state == "not_assessed"]
    count = _COUNTS.get(len(conditions), str(len(conditions)))
    if len(compliant) == len(conditions):
        if len(conditions) == 1:
            return f"{area} is compliant with this condition."
        return f"{area} is compliant with all {count} of these conditions."
    sentences = []
    if compliant:
        sentences.append(f"{area} is compliant with {_numbers(compliant)}.")
    for number, text in failing:
        sentences.append(
            f"{area} is not compliant with condition {number}: {text.rstrip('.')}."
        )
    if unknown:
        verb = "has" if len(unknown) == 1 else "have"
        sentences.append(f"Compliance with {_numbers(unknown)} {verb} not been assessed yet.")
    return " ".join(sentences)
