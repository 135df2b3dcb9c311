"""The Overall Financial Performance figures: totals, shares and variances worked out once, and
the template's `£1.240m - 90%` accepted with its share checked. Pure: no database."""

from decimal import Decimal

import pytest

from bettercare.money import MoneyError
from schemes.report_finance import (
    FinanceLine,
    TypedShare,
    format_share,
    parse_amount_with_share,
    summarise,
    typed_share_problems,
)

D = Decimal


def test_carers_q4_2017_18_figures_as_the_report_states_them():
    summary = summarise(
        [
            FinanceLine("CCG", D("1240000.00"), D("1208000.00")),
            FinanceLine("SCC", D("134000.00"), D("133000.00")),
        ]
    )
    assert summary.total_annual_value == D("1374000.00")
    assert summary.total_projected_spend == D("1341000.00")
    assert summary.total_variance == D("-33000.00")
    assert [format_share(line.share) for line in summary.lines] == ["90.2%", "9.8%"]
    assert [line.variance for line in summary.lines] == [D("-32000.00"), D("-1000.00")]
    assert summary.variance_label == "(£33,000) underspend"


@pytest.mark.parametrize(
    ("lines", "total", "spend", "variance"),
    [
        ([], D("0"), None, None),
        (
            [FinanceLine("SCC iBCF", D("350000"), D("192000"))],
            D("350000"),
            D("192000"),
            D("-158000"),
        ),
        # Clusters: an overspend is positive.
        (
            [
                FinanceLine("CCG", D("47436000"), D("47750000")),
                FinanceLine("SCC", D("1384000"), D("1677000")),
            ],
            D("48820000"),
            D("49427000"),
            D("607000"),
        ),
        # A line whose spend is not known yet leaves the totals unknown, not partial.
        (
            [FinanceLine("CCG", D("100.10"), D("90.05")), FinanceLine("SCC", D("0.01"), None)],
            D("100.11"),
            None,
            None,
        ),
        # Pennies are exact.
        (
            [FinanceLine("CCG", D("0.10"), D("0.30")), FinanceLine("SCC", D("0.20"), D("0.00"))],
            D("0.30"),
            D("0.30"),
            D("0.00"),
        ),
    ],
)
def test_totals_and_variance(lines, total, spend, variance):
    summary = summarise(lines)
    assert summary.total_annual_value == total
    assert summary.total_projected_spend == spend
    assert summary.total_variance == variance


def test_shares_are_none_when_the_total_is_zero():
    summary = summarise([FinanceLine("CCG", D("0"), D("0"))])
    assert summary.lines[0].share is None
    assert format_share(summary.lines[0].share) == "—"


@pytest.mark.parametrize(
    ("share", "text"),
    [(D("100"), "100%"), (D("61.57"), "61.6%"), (D("9.75"), "9.8%"), (D("10"), "10%")],
)
def test_share_format(share, text):
    assert format_share(share) == text


@pytest.mark.parametrize(
    ("typed", "amount", "share"),
    [
        ("£1.240m", D("1240000.00"), None),
        ("£1.240m \u2013 90%", D("1240000.00"), D("90")),
        ("£0.134m- 10%", D("134000.00"), D("10")),
        ("£659,280 - 61.5 %", D("659280.00"), D("61.5")),
        ("£1,240,000, 90%", D("1240000.00"), D("90")),
        ("£1.240m (90%)", D("1240000.00"), D("90")),
        ("(£33k)", D("-33000.00"), None),
        ("£3.60 Million", D("3600000.00"), None),
    ],
)
def test_amounts_typed_with_their_share(typed, amount, share):
    parsed_amount, parsed_share = parse_amount_with_share(typed)
    assert parsed_amount == amount
    assert (parsed_share.percent if parsed_share else None) == share


@pytest.mark.parametrize(
    ("typed", "words"),
    [
        ("90%", "is a share, not an amount"),
        ("lots \u2013 90%", "not an amount of money"),
        ("£1.2.3m", "not an amount of money"),
    ],
)
def test_unreadable_amounts_are_refused(typed, words):
    with pytest.raises(MoneyError, match=words):
        parse_amount_with_share(typed)


def _share(text):
    return None if text is None else TypedShare(D(text))


@pytest.mark.parametrize(
    ("amounts", "shares", "bad_lines", "words"),
    [
        # As the Carers report typed them: 90% and 10% of £1.374m.
        (["1240000", "134000"], ["90", "10"], [], ""),
        # As Building Resilience typed them (61.5/38.5 of 61.58/38.42: within the rounding).
        (["659280", "411400"], ["61.5", "38.5"], [], ""),
        # Thirds typed as whole numbers add up to 99: within the rounding.
        (["1", "1", "1"], ["33", "33", "33"], [], ""),
        # A split that does not add up: every line is told.
        (["1240000", "134000"], ["90", "20"], [0, 1], "add up to 110%, not 100%"),
        # A share that does not match its amount.
        (["1240000", "134000"], ["80", None], [0], "is 90.2% of the £1,374,000 total, not 80%"),
        # Lines without a typed share are not checked.
        (["1240000", "134000"], [None, None], [], ""),
        (["350000"], ["100"], [], ""),
    ],
)
def test_typed_shares_must_add_up_and_match(amounts, shares, bad_lines, words):
    problems = typed_share_problems([D(a) for a in amounts], [_share(s) for s in shares])
    assert sorted(problems) == bad_lines
    for message in problems.values():
        assert words in message
