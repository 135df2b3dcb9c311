"""The finance position in the words board reports use. Pure, no Django import.

    describe_position(position) ->
        "a projected year end overspend of £0.06M, which represents a percentage variance
        against budget of 0.05%. This is made up of a £0.39M overspend for the CCG and a £0.33M
        underspend for the Council. The schemes driving it are Clusters (£0.45M overspend) and
        Transforming Long Term Care (£0.30M underspend)."

It starts in lower case so a page or a board report can lead into it ("At Month 5 the pooled
fund shows ..."); `capitalised` gives a sentence on its own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from bettercare.money import (
    BOARD,
    SMALL_AMOUNT,
    format_board,
    format_percent,
    format_short,
    format_variance,
)

from .variance import DRIVER_SHARE, FinancePosition, PartnerInfo, SchemeFigures, SchemeFinance


def with_article(phrase: str) -> str:
    """'a £0.39M overspend', but 'an £8.1M overspend' and 'an £11k underspend', as they are said
    ('an eight point one million ...')."""
    digits = re.match(r"\(?£?([\d,]*)", phrase).group(1).replace(",", "")
    spoken_with_vowel = (
        digits.startswith("8")
        or digits in {"11", "18"}
        or (len(digits) == 5 and digits.startswith(("11", "18")))
    )
    return f"{'an' if spoken_with_vowel else 'a'} {phrase}"


def partner_label(partner: PartnerInfo) -> str:
    """How board reports name a partner in a sentence: 'the CCG', 'the Council'."""
    if partner.kind == "council":
        return "the Council"
    return f"the {partner.code}"


def _join(items: list[str]) -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} and {items[-1]}"


def describe_position(position: FinancePosition, *, drivers: bool = True) -> str:
    """The position in a sentence or three; `drivers=False` leaves out the schemes driving it
    (the board pack names them with their reasons: see `variance_drivers`)."""
    total = position.total.variance
    if not position.has_data:
        return "no budgets or forecasts recorded for the year."
    outlook = "a year end outturn" if position.is_outturn else "a projected year end"
    if total == 0:
        sentences = [f"{outlook} spend on budget."]
    else:
        kind = "overspend" if total > 0 else "underspend"
        sentence = f"{outlook} {kind} of {format_board(abs(total))}"
        if position.total.variance_pct is not None:
            percentage = format_percent(abs(position.total.variance_pct), 2)
            sentence += f", which represents a percentage variance against budget of {percentage}"
        sentences = [sentence + "."]

    parts = []
    for partner in position.partners:
        if partner.variance == 0:
            parts.append(f"no variance for {partner_label(partner.partner)}")
        else:
            phrase = format_variance(partner.variance, BOARD)
            parts.append(f"{with_article(phrase)} for {partner_label(partner.partner)}")
    if any(partner.variance != 0 for partner in position.partners):
        sentences.append(f"This is made up of {_join(parts)}.")

    named = (
        [
            f"{scheme.name} ({format_variance(scheme.variance, BOARD)})"
            for scheme in position.drivers
        ]
        if drivers
        else []
    )
    if len(named) == 1:
        sentences.append(f"The scheme driving it is {named[0]}.")
    elif named:
        sentences.append(f"The schemes driving it are {_join(named)}.")
    return " ".join(sentences)


# --- The schemes behind the variance, as the resource implications name them ----------------


@dataclass(frozen=True)
class Driver:
    """A scheme named as driving (or offsetting) the variance: how it is said, and the finance
    leads' reasons (the notes on its forecasts), each with its partner."""

    number: int
    name: str
    variance: Decimal
    words: str  # "Clusters, a £0.14M overspend: £0.09M for the CCG and £0.05M for the Council"
    reasons: tuple[tuple[str, str], ...]  # (partner label, note)


@dataclass(frozen=True)
class VarianceDrivers:
    overspend: bool  # the pool as a whole overspends (or is on budget)
    drivers: tuple[Driver, ...]  # the largest variances in the direction of the total
    offsets: tuple[Driver, ...]  # the variances the other way, largest first


def _partner_split(scheme: SchemeFigures) -> str:
    """How each partner moves, where it matters: both partners with a variance (in opposite
    directions or not) are each named; a variance on one partner alone names its budget."""
    moving = [line for line in scheme.partners if line.variance != 0]
    if len(moving) == 1:
        return f" on {partner_label(moving[0].partner)} budget"
    if len(moving) > 1:
        parts = [
            f"{partner_label(line.partner)} {format_board(abs(line.variance))} "
            f"{'over' if line.variance > 0 else 'under'}"
            for line in moving
        ]
        return f": {_join(parts)}"
    return ""


def _driver(scheme: SchemeFigures) -> Driver:
    reasons = tuple(
        (capitalised(partner_label(line.partner)), line.note.strip())
        for line in scheme.partners
        if line.variance != 0 and line.note.strip()
    )
    return Driver(
        number=scheme.number,
        name=scheme.name,
        variance=scheme.variance,
        words=f"{scheme.name}, {with_article(format_variance(scheme.variance, BOARD))}"
        + _partner_split(scheme),
        reasons=reasons,
    )


def variance_drivers(position: FinancePosition, share: Decimal = DRIVER_SHARE) -> VarianceDrivers:
    """The schemes that drive the pool's variance and those that offset it, in the boards'
    words with the finance leads' reasons. The drivers are the fewest of the largest variances
    in the direction of the total (overspends when the pool overspends) that make up `share`
    of them; the offsets, every variance the other way, largest first."""
    overspend = position.total.variance >= 0
    same_way = sorted(
        (
            scheme
            for scheme in position.schemes
            if (scheme.variance > 0 if overspend else scheme.variance < 0)
        ),
        key=lambda scheme: (-abs(scheme.variance), scheme.number),
    )
    other_way = sorted(
        (
            scheme
            for scheme in position.schemes
            if (scheme.variance < 0 if overspend else scheme.variance > 0)
        ),
        key=lambda scheme: (-abs(scheme.variance), scheme.number),
    )
    gross = sum((abs(scheme.variance) for scheme in same_way), Decimal(0))
    chosen, covered = [], Decimal(0)
    for scheme in same_way:
        if covered >= gross * share:
            break
        chosen.append(scheme)
        covered += abs(scheme.variance)
    offsets = [scheme for scheme in other_way if abs(scheme.variance) >= SMALL_AMOUNT]
    return VarianceDrivers(
        overspend=overspend,
        drivers=tuple(_driver(scheme) for scheme in chosen),
        offsets=tuple(_driver(scheme) for scheme in offsets),
    )


def capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]


def scheme_finance_words(finance: SchemeFinance) -> dict[str, str]:
    """The scheme's figures as its highlight report states them, for prefilling the form:
    `annual_value` (total and each partner with its share), `projected_year_end_spend` (by
    partner) and `variance`."""
    if not finance.has_data:
        return {"annual_value": "", "projected_year_end_spend": "", "variance": ""}
    shares = [
        f"{line.partner.code} = {format_short(line.budget)} - {format_percent(share)}"
        for line, share in finance.budget_shares()
        if share is not None
    ]
    spend = [f"{line.partner.code} = {format_short(line.forecast)}" for line in finance.partners]
    variances = [
        f"{line.partner.code} {format_short(line.variance)}"
        for line in finance.partners
        if line.variance != 0
    ]
    return {
        "annual_value": "\n".join([f"Total = {format_short(finance.total.budget)}", *shares]),
        "projected_year_end_spend": "\n".join(
            [f"Total = {format_short(finance.total.forecast)}", *spend]
        ),
        "variance": "\n".join(
            [f"Total = {format_short(finance.total.variance)}", *variances]
            if len(finance.partners) > 1
            else [f"Total = {format_short(finance.total.variance)}"]
        ),
    }
