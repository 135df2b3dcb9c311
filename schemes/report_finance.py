"""The figures of a highlight report's Overall Financial Performance section.

Pure arithmetic with no Django import. A report holds, per funding source, the annual value and
the projected year end spend as exact pounds and pence; everything else (the totals, each
source's share of the annual value, the variances) is worked out here, once, and shown from
here by the form page, the read view, the exports and the board pack.

Variance is projected spend minus annual value: an overspend is positive, an underspend
negative, as the boards report it.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal

from bettercare.money import (
    EXACT,
    MoneyError,
    format_full,
    format_percent,
    format_variance,
    parse_money,
    percent_of,
)

# Shares are shown to one decimal place: 61.6%, 90.2%, 100.0% reads oddly, so whole numbers
# drop the decimal (see `format_share`).
SHARE_PLACES = 1


@dataclass(frozen=True)
class FinanceLine:
    """One funding source's figures as the report holds them."""

    label: str
    annual_value: Decimal
    projected_spend: Decimal | None = None


@dataclass(frozen=True)
class LineFigures:
    label: str
    annual_value: Decimal
    share: Decimal | None  # percent of the total annual value, unrounded; None if total is 0
    projected_spend: Decimal | None
    variance: Decimal | None  # None until the projected spend is known


@dataclass(frozen=True)
class FinanceSummary:
    lines: tuple[LineFigures, ...]
    total_annual_value: Decimal
    # None while any line's projected spend is missing: a partial total would mislead.
    total_projected_spend: Decimal | None
    total_variance: Decimal | None

    @property
    def is_empty(self) -> bool:
        return not self.lines

    @property
    def variance_label(self) -> str:
        """`£607,000 overspend`, `(£33,000) underspend`, `on budget`; a dash when not known."""
        return format_variance(self.total_variance, EXACT)


def summarise(lines: Iterable[FinanceLine]) -> FinanceSummary:
    lines = tuple(lines)
    total = sum((line.annual_value for line in lines), Decimal("0.00"))
    figures = tuple(
        LineFigures(
            label=line.label,
            annual_value=line.annual_value,
            share=percent_of(line.annual_value, total),
            projected_spend=line.projected_spend,
            variance=(
                None if line.projected_spend is None else line.projected_spend - line.annual_value
            ),
        )
        for line in lines
    )
    spends = [line.projected_spend for line in lines]
    total_spend = (
        sum(spends, Decimal("0.00")) if lines and all(s is not None for s in spends) else None
    )
    return FinanceSummary(
        lines=figures,
        total_annual_value=total,
        total_projected_spend=total_spend,
        total_variance=None if total_spend is None else total_spend - total,
    )


def format_share(share: Decimal | None) -> str:
    if share is None:
        return "—"
    text = format_percent(share, SHARE_PLACES)
    return text.replace(".0%", "%")


# --- Amounts typed with their share, as the Word template wrote them ---------------------------
# People paste lines such as `£1.240m - 90%` (often with an en dash) or `£659,280 - 61.5 %` from
# the old template. The
# amount is kept; the share is only checked (shares are always worked out from the amounts).

_WITH_SHARE = re.compile(
    r"^(?P<amount>.*?\S)\s*(?:[-\u2013\u2014,]\s*|\(\s*)(?P<share>\d+(?:\.\d+)?)\s*%\s*\)?\s*$"
)
_SHARE_ONLY = re.compile(r"^\s*(?P<share>\d+(?:\.\d+)?)\s*%\s*$")


@dataclass(frozen=True)
class TypedShare:
    """A percentage someone typed beside an amount, with the precision they typed it to."""

    percent: Decimal

    @property
    def unit(self) -> Decimal:
        """One in the last place typed: 90% -> 1, 61.5% -> 0.1."""
        return Decimal(1).scaleb(self.percent.as_tuple().exponent)

    def __str__(self) -> str:
        return f"{self.percent}%"


def parse_amount_with_share(text: str) -> tuple[Decimal, TypedShare | None]:
    """`£1.240m - 90%` -> (1240000.00, 90%); `£1.240m` -> (1240000.00, None).

    Raises MoneyError for an unreadable amount, and for a share typed without an amount."""
    if _SHARE_ONLY.match(text or ""):
        raise MoneyError(
            f"'{text.strip()}' is a share, not an amount: type the amount (like £1.240m); "
            "the shares are worked out from the amounts."
        )
    match = _WITH_SHARE.match(text or "")
    if match:
        try:
            amount = parse_money(match.group("amount"))
        except MoneyError:
            pass  # not an amount followed by a share: report the whole text below
        else:
            return amount, TypedShare(Decimal(match.group("share")))
    return parse_money(text), None


def amount_typed_with_share(text: str) -> Decimal:
    """The amount of `£1.240m - 90%` (the share typed beside it is checked by the form)."""
    return parse_amount_with_share(text)[0]


def typed_share_problems(
    amounts: Sequence[Decimal], shares: Sequence[TypedShare | None]
) -> dict[int, str]:
    """Problems with the shares typed beside amounts, by line index.

    Shares typed on every line must add up to 100% (give or take the rounding of what was
    typed); each typed share must match its amount's share of the total to the precision
    typed. Lines without a typed share are not checked."""
    problems: dict[int, str] = {}
    typed = [(index, share) for index, share in enumerate(shares) if share is not None]
    if not typed:
        return problems
    total = sum(amounts, Decimal("0.00"))
    if len(typed) == len(amounts) and len(amounts) > 1:
        added = sum(share.percent for _, share in typed)
        tolerance = sum(share.unit for _, share in typed) / 2
        if abs(added - 100) > tolerance:
            message = (
                f"The shares typed add up to {added.normalize():f}%, not 100%. Type the amounts "
                "only: each share of the annual value is worked out from them."
            )
            return dict.fromkeys((index for index, _ in typed), message)
    for index, share in typed:
        actual = percent_of(amounts[index], total)
        if actual is None or abs(actual - share.percent) >= share.unit:
            worked_out = format_share(actual) if actual is not None else "nothing"
            problems[index] = (
                f"{format_full(amounts[index])} is {worked_out} of the "
                f"{format_full(total)} total, not {share}. Check the amount: the share is "
                "worked out from it."
            )
    return problems


# --- A lead's figures against Finance's ---------------------------------------------------


@dataclass(frozen=True)
class FinanceDifference:
    """One of a lead's typed figures that is not Finance's for the same month."""

    source: str  # the funding source line: "CCG", "SCC iBCF"
    figure: str  # "annual value" or "projected year end spend"
    typed: Decimal | None  # None: the report has no such line, or no figure in it
    finance: Decimal | None  # None: Finance has no such line, or no forecast yet

    @property
    def difference(self) -> Decimal | None:
        if self.typed is None or self.finance is None:
            return None
        return self.typed - self.finance

    def __str__(self) -> str:
        typed = format_full(self.typed) if self.typed is not None else "nothing"
        finance = format_full(self.finance) if self.finance is not None else "nothing"
        text = f"{self.source} {self.figure}: the report gives {typed}, Finance {finance}"
        if self.difference is not None:
            more = "more" if self.difference > 0 else "less"
            text += f" ({format_full(abs(self.difference))} {more})"
        return text


def differences_from_finance(
    summary: FinanceSummary, finance: dict[str, tuple[Decimal, Decimal | None]]
) -> list[FinanceDifference]:
    """Where the report's funding lines (`summary`) differ from Finance's figures for the same
    month (`finance`: source label -> (budget, forecast or None)), line by line: the annual
    value against the budget, the projected spend against the forecast. Empty when Finance has
    no figures for the scheme (nothing to compare with)."""
    if not finance:
        return []
    typed = {line.label: line for line in summary.lines}
    found = []
    for source in [*finance, *(label for label in typed if label not in finance)]:
        line = typed.get(source)
        budget, forecast = finance.get(source, (None, None))
        pairs = (
            ("annual value", line.annual_value if line else None, budget),
            ("projected year end spend", line.projected_spend if line else None, forecast),
        )
        for figure, mine, theirs in pairs:
            if mine != theirs and not (mine is None and theirs is None):
                found.append(FinanceDifference(source, figure, mine, theirs))
    return found
