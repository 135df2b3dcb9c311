"""Money as people write it in Better Care documents, held exactly in pounds and pence.

Pure functions with no Django import. Amounts are `Decimal` pounds with two decimal places;
rounding happens only when an amount is formatted for display (half up, as finance teams do).

Accepted input: `£1.374m`, `1,374,000`, `£607k`, `(£33k)`, `-£33k`, `£3.60 Million`,
`£1.285M`, `£48,820,000`, `1300000.00`, `£1.3bn`.
"""

from __future__ import annotations

import re
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

PENNY = Decimal("0.01")
# No Better Care amount comes near this (Southampton's whole pool is £110.5M): anything larger
# is a typing slip, and refused with a message rather than stored.
LARGEST = Decimal(10_000_000_000)
_SCALES = {
    "": Decimal(1),
    "k": Decimal(1_000),
    "thousand": Decimal(1_000),
    "m": Decimal(1_000_000),
    "mn": Decimal(1_000_000),
    "million": Decimal(1_000_000),
    "bn": Decimal(1_000_000_000),
    "billion": Decimal(1_000_000_000),
}
_AMOUNT = re.compile(
    r"""^
    (?P<sign>[-+]?)\s*
    (?:£|gbp)?\s*
    (?P<number>\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?|\.\d+)
    \s*(?P<scale>k|thousand|mn|m|million|bn|billion)?
    $""",
    re.VERBOSE | re.IGNORECASE,
)


class MoneyError(ValueError):
    """Text that is not an amount of money this system can read exactly."""


def parse_money(value: str | int | Decimal) -> Decimal:
    """Pounds and pence from what a person typed; brackets or a minus sign mean negative."""
    if isinstance(value, bool):
        raise MoneyError(f"{value!r} is not an amount of money.")
    if isinstance(value, int):
        return Decimal(value).quantize(PENNY)
    if isinstance(value, Decimal):
        return _exact_pence(value, str(value))
    if not isinstance(value, str):
        raise MoneyError(f"{value!r} is not an amount of money.")

    text = value.strip()
    negative = False
    if text.startswith("(") and text.endswith(")"):
        negative, text = True, text[1:-1].strip()
    text = text.replace("\u2212", "-").replace("\u2013", "-")  # minus and en dash typed as minus
    match = _AMOUNT.match(text.replace(" ", "") if "," in text else text)
    if not match:
        raise MoneyError(
            f"'{value}' is not an amount of money: "
            "write it like £1,374,000, £1.374m, £607k or (£33k)."
        )
    if match.group("sign") == "-":
        if negative:
            raise MoneyError(
                f"'{value}' is negative twice: use brackets or a minus sign, not both."
            )
        negative = True
    try:
        number = Decimal(match.group("number").replace(",", ""))
    except InvalidOperation as error:  # pragma: no cover - the pattern only admits digits
        raise MoneyError(f"'{value}' is not an amount of money.") from error
    amount = number * _SCALES[(match.group("scale") or "").lower()]
    return _exact_pence(-amount if negative else amount, value)


def _exact_pence(amount: Decimal, original: str) -> Decimal:
    if not amount.is_finite():
        raise MoneyError(f"'{original}' is not an amount of money.")
    # Before anything else: a number of 27 digits or more cannot even be rounded to the penny
    # in Decimal's 28 digits of precision.
    if abs(amount) > LARGEST:
        raise MoneyError(
            f"'{original}' is more than £10bn: check the amount (no Better Care amount is "
            "that large)."
        )
    if amount != amount.quantize(PENNY):
        raise MoneyError(f"'{original}' has fractions of a penny: amounts are exact to the penny.")
    return amount.quantize(PENNY) + Decimal("0.00")  # normalises -0.00 to 0.00


def round_half_up(value: Decimal, places: int = 0) -> Decimal:
    return value.quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)


def _bracketed(text: str, negative: bool) -> str:
    return f"({text})" if negative else text


def format_full(amount: Decimal, *, pence: bool | None = None) -> str:
    """£1,374,000 or £1,374,000.50; negative amounts in brackets: (£33,000).

    Pence are shown when the amount has any, unless `pence` says otherwise."""
    show_pence = amount != amount.to_integral_value() if pence is None else pence
    places = 2 if show_pence else 0
    text = f"£{round_half_up(abs(amount), places):,.{places}f}"
    return _bracketed(text, amount < 0)


def format_short(amount: Decimal) -> str:
    """As highlight reports write amounts: £1.374m, £607k, £950; (£33k) when negative."""
    size = abs(amount)
    if size >= 1_000_000:
        text = f"£{round_half_up(size / 1_000_000, 3)}m"
    elif size >= 1_000:
        text = f"£{round_half_up(size / 1_000, 0)}k"
    else:
        text = f"£{round_half_up(size, 0)}"
    return _bracketed(text, amount < 0)


def format_millions(amount: Decimal, places: int = 2) -> str:
    """As board reports write totals: £0.14M; (£0.20M) when negative."""
    text = f"£{round_half_up(abs(amount) / 1_000_000, places):,.{places}f}M"
    return _bracketed(text, amount < 0)


# Below this, £M to two places would read £0.00M: boards write such amounts as £4k instead.
SMALL_AMOUNT = Decimal("5000")


def format_board(amount: Decimal) -> str:
    """An amount as board reports write it: £0.39M, or £4k when it would round to £0.00M."""
    if abs(amount) < SMALL_AMOUNT:
        return format_short(amount)
    return format_millions(amount)


# The two ways a variance (spend minus budget, an overspend positive) is written, by name:
# BOARD as board reports and the finance pages say it ("£0.61M overspend", "£0.33M
# underspend"); EXACT as a highlight report's table gives it, to the pound and signed as
# scheme leads write it ("£607,000 overspend", "(£33,000) underspend").
BOARD, EXACT = "board", "exact"
VARIANCE_STYLES = (BOARD, EXACT)
NOT_KNOWN = "\u2014"  # an em dash, where a figure is not known yet


def format_variance(variance: Decimal | None, style: str) -> str:
    """The variance in words, in the named style (BOARD or EXACT); 'on budget' when it is
    nothing, a dash when it is not known."""
    if style not in VARIANCE_STYLES:
        raise ValueError(f"{style!r} is not a style of variance: use one of {VARIANCE_STYLES}.")
    if variance is None:
        return NOT_KNOWN
    if variance == 0:
        return "on budget"
    kind = "overspend" if variance > 0 else "underspend"
    amount = format_board(abs(variance)) if style == BOARD else format_full(variance)
    return f"{amount} {kind}"


def percent_of(part: Decimal, whole: Decimal) -> Decimal | None:
    """part / whole x 100, unrounded; None when the whole is zero."""
    if whole == 0:
        return None
    return part / whole * 100


def format_percent(value: Decimal | float | None, places: int = 0) -> str:
    if value is None:
        return "n/a"
    return f"{round_half_up(Decimal(str(value)), places)}%"
