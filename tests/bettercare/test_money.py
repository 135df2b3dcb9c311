"""Reading and writing money as Better Care documents do: pure, no database."""

from decimal import Decimal

import pytest

from bettercare.money import (
    BOARD,
    EXACT,
    MoneyError,
    format_full,
    format_millions,
    format_percent,
    format_short,
    format_variance,
    parse_money,
    percent_of,
)


@pytest.mark.parametrize(
    ("text", "pounds"),
    [
        ("£1.374m", "1374000.00"),
        ("1,374,000", "1374000.00"),
        ("£607k", "607000.00"),
        ("(£33k)", "-33000.00"),
        ("-£33k", "-33000.00"),
        ("£3.60 Million", "3600000.00"),
        ("£1.285M", "1285000.00"),
        ("£48,820,000", "48820000.00"),
        ("1300000.00", "1300000.00"),
        ("£1.3m", "1300000.00"),
        ("£ 1,070,680", "1070680.00"),
        ("£0.134m", "134000.00"),
        ("£919k", "919000.00"),
        ("12.5", "12.50"),
        ("0", "0.00"),
        ("(0)", "0.00"),
        ("£1.0000001m", "1000000.10"),
    ],
)
def test_parse_money_reads_what_people_type(text, pounds):
    assert parse_money(text) == Decimal(pounds)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("abc", "not an amount of money"),
        ("£1.2.3", "not an amount of money"),
        ("1,23", "not an amount of money"),
        ("£0.001", "fractions of a penny"),
        ("(-£3)", "negative twice"),
        ("", "not an amount of money"),
        ("£", "not an amount of money"),
        ("£5 overspend", "not an amount of money"),
        ("1e5", "not an amount of money"),
        # 27 digits and more raised decimal.InvalidOperation (a server error) before.
        ("9" * 27, "more than £10bn"),
        ("1" + "0" * 40 + ".001", "more than £10bn"),
        ("£10.5bn", "more than £10bn"),
        ("(£10,000,000,000.01)", "more than £10bn"),
        ("99999999999999999999999999999999999999bn", "more than £10bn"),
    ],
)
def test_parse_money_refuses_what_it_cannot_read_exactly(text, message):
    with pytest.raises(MoneyError, match=message):
        parse_money(text)


def test_ten_billion_pounds_is_the_largest_amount():
    assert parse_money("£10bn") == Decimal("10000000000.00")
    assert parse_money("-£10,000,000,000") == Decimal("-10000000000.00")
    with pytest.raises(MoneyError):
        parse_money(Decimal("1E+30"))


def test_parse_money_accepts_exact_numbers_but_not_floats():
    assert parse_money(1374000) == Decimal("1374000.00")
    assert parse_money(Decimal("12.34")) == Decimal("12.34")
    with pytest.raises(MoneyError):
        parse_money(12.34)
    with pytest.raises(MoneyError):
        parse_money(True)


@pytest.mark.parametrize(
    ("pounds", "short", "full", "millions"),
    [
        ("1374000", "£1.374m", "£1,374,000", "£1.37M"),
        ("-33000", "(£33k)", "(£33,000)", "(£0.03M)"),
        ("607000", "£607k", "£607,000", "£0.61M"),
        ("950", "£950", "£950", "£0.00M"),
        ("1070680.50", "£1.071m", "£1,070,680.50", "£1.07M"),
        ("140000", "£140k", "£140,000", "£0.14M"),
        ("-200000", "(£200k)", "(£200,000)", "(£0.20M)"),
        ("5000", "£5k", "£5,000", "£0.01M"),  # half up, as finance teams round
    ],
)
def test_formats(pounds, short, full, millions):
    amount = Decimal(pounds)
    assert format_short(amount) == short
    assert format_full(amount) == full
    assert format_millions(amount) == millions


@pytest.mark.parametrize(
    ("variance", "board", "exact"),
    [
        # The boards' £M in prose and on the finance pages; a highlight report's exact pounds,
        # an underspend bracketed as scheme leads write it.
        ("607000", "£0.61M overspend", "£607,000 overspend"),
        ("140000", "£0.14M overspend", "£140,000 overspend"),
        ("-200000", "£0.20M underspend", "(£200,000) underspend"),
        ("-33000", "£0.03M underspend", "(£33,000) underspend"),
        ("-4400", "£4k underspend", "(£4,400) underspend"),  # never £0.00M
        ("-0.50", "£1 underspend", "(£0.50) underspend"),
        ("0", "on budget", "on budget"),
        (None, "\u2014", "\u2014"),  # not known yet: a dash
    ],
)
def test_a_variance_is_written_in_the_style_named(variance, board, exact):
    amount = None if variance is None else Decimal(variance)
    assert format_variance(amount, BOARD) == board
    assert format_variance(amount, EXACT) == exact


def test_a_variance_style_must_be_named():
    with pytest.raises(ValueError, match="not a style of variance"):
        format_variance(Decimal(1), "pretty")


def test_percentages_are_unrounded_until_formatted():
    pct = percent_of(Decimal("60000"), Decimal("110500000"))
    assert pct == Decimal("60000") / Decimal("110500000") * 100
    assert format_percent(pct, 2) == "0.05%"
    assert percent_of(Decimal("1"), Decimal("0")) is None
    assert format_percent(None) == "n/a"
    assert format_percent(Decimal("4.5")) == "5%"

