"""The position in the boards' words, and amounts rounded for display. Pure, no database."""

from decimal import Decimal as D

import pytest

from bettercare.money import format_board
from bettercare.periods import Month
from finance.variance import (
    BudgetEntry,
    ForecastEntry,
    PartnerInfo,
    SchemeInfo,
    build_position,
    build_scheme_finance,
)
from finance.wording import (
    capitalised,
    describe_position,
    scheme_finance_words,
    with_article,
)

CCG = PartnerInfo(code="CCG", name="Southampton City CCG", kind="nhs")
SCC = PartnerInfo(code="SCC", name="Southampton City Council", kind="council")
SCHEMES = [
    SchemeInfo(1, "Carers"),
    SchemeInfo(2, "Clusters"),
    SchemeInfo(8, "Transforming Long Term Care"),
]


AUG = Month(2018, 8)


def position(budgets, forecasts, month=AUG, partners=(CCG, SCC)):
    return build_position(
        area_code="E06000045",
        area_name="Southampton",
        month=month,
        partners=list(partners),
        schemes=SCHEMES,
        budgets=[BudgetEntry(*b) for b in budgets],
        forecasts=[
            ForecastEntry(b[0], b[1], month, D(f)) for b, f in zip(budgets, forecasts, strict=True)
        ],
    )


BOARD_BUDGETS = [(2, "CCG", D("73400000")), (1, "SCC", D("32100000")), (8, "SCC", D("5000000"))]


@pytest.mark.parametrize(
    ("forecasts", "month", "words"),
    [
        (
            ["73790000", "32070000", "4700000"],
            Month(2018, 8),
            "a projected year end overspend of £0.06M, which represents a percentage variance "
            "against budget of 0.05%. This is made up of a £0.39M overspend for the CCG and a "
            "£0.33M underspend for the Council. The schemes driving it are Clusters (£0.39M "
            "overspend) and Transforming Long Term Care (£0.30M underspend).",
        ),
        (
            ["73400000", "32100000", "4193000"],
            Month(2019, 3),
            "a year end outturn underspend of £0.81M, which represents a percentage variance "
            "against budget of 0.73%. This is made up of no variance for the CCG and a £0.81M "
            "underspend for the Council. The scheme driving it is Transforming Long Term Care "
            "(£0.81M underspend).",
        ),
        (
            ["73400000", "32100000", "5000000"],
            Month(2018, 8),
            "a projected year end spend on budget.",
        ),
        (
            ["73403000", "32098000", "5000000"],
            Month(2018, 8),
            "a projected year end overspend of £1k, which represents a percentage variance "
            "against budget of 0.00%. This is made up of a £3k overspend for the CCG and a £2k "
            "underspend for the Council. The schemes driving it are Clusters (£3k overspend) "
            "and Carers (£2k underspend).",
        ),
    ],
)
def test_describe_position_in_the_boards_words(forecasts, month, words):
    assert describe_position(position(BOARD_BUDGETS, forecasts, month)) == words


def test_describe_position_with_one_partner_and_no_budget():
    result = position([(2, "CCG", D("0"))], ["250000"], partners=(CCG,))
    assert describe_position(result) == (
        "a projected year end overspend of £0.25M. This is made up of a £0.25M overspend for "
        "the CCG. The scheme driving it is Clusters (£0.25M overspend)."
    )


def test_describe_an_empty_position_and_capitalise_for_a_sentence_of_its_own():
    empty = position([], [])
    assert describe_position(empty) == "no budgets or forecasts recorded for the year."
    assert capitalised("a projected year end") == "A projected year end"


@pytest.mark.parametrize(
    ("amount", "words"),
    [
        ("140000", "£0.14M"),
        ("-200000", "(£0.20M)"),
        ("135000", "£0.14M"),  # half up, as finance teams round
        ("134999.99", "£0.13M"),
        ("5000", "£0.01M"),  # from £5k, millions
        ("4999.99", "£5k"),  # below, thousands: never £0.00M
        ("-4400", "(£4k)"),
        ("0", "£0"),
        ("110560000", "£110.56M"),
        ("1285000", "£1.29M"),
    ],
)
def test_amounts_round_half_up_for_display(amount, words):
    assert format_board(D(amount)) == words


@pytest.mark.parametrize(
    ("phrase", "expected"),
    [
        ("£0.39M overspend", "a £0.39M overspend"),
        ("£8.10M overspend", "an £8.10M overspend"),
        ("£11.00M underspend", "an £11.00M underspend"),
        ("£18.20M underspend", "an £18.20M underspend"),
        ("£1.29M overspend", "a £1.29M overspend"),
        ("£4k underspend", "a £4k underspend"),
        ("£80.00M overspend", "an £80.00M overspend"),
        ("£110.56M overspend", "a £110.56M overspend"),
    ],
)
def test_article_follows_how_the_amount_is_said(phrase, expected):
    assert with_article(phrase) == expected


def test_scheme_finance_words_prefill_the_highlight_report():
    finance = build_scheme_finance(
        scheme=SchemeInfo(1, "Carers"),
        month=Month(2019, 3),
        partners=[CCG, SCC],
        budgets=[BudgetEntry(1, "CCG", D("1240000")), BudgetEntry(1, "SCC", D("134000"))],
        forecasts=[
            ForecastEntry(1, "CCG", Month(2019, 3), D("1208000")),
            ForecastEntry(1, "SCC", Month(2019, 3), D("133000")),
        ],
    )
    assert scheme_finance_words(finance) == {
        "annual_value": "Total = £1.374m\nCCG = £1.240m - 90%\nSCC = £134k - 10%",
        "projected_year_end_spend": "Total = £1.341m\nCCG = £1.208m\nSCC = £133k",
        "variance": "Total = (£33k)\nCCG (£32k)\nSCC (£1k)",
    }
