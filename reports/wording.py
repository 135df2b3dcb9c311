"""The pooled fund in the pack's words. Pure, no Django import.

    describe_pool(fund) ->
        "The pooled fund for 2018/19 is £110.50M: £73.40M from the CCG and £37.10M from the
        Council, 6.7 times the national minimum of £16.48M."

Every figure is the selector's (`finance.selectors.pooled_fund`); this module only writes them,
in £M to two places as the pack's finance tables do, and partners as `finance.wording` names
them in a sentence.
"""

from __future__ import annotations

from bettercare.money import format_millions, round_half_up
from finance.variance import PooledFund
from finance.wording import partner_label


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
