"""The finance arithmetic, table-driven and without a database."""

from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month
from finance.variance import (
    BudgetEntry,
    ContributionEntry,
    Figures,
    ForecastEntry,
    PartnerInfo,
    SchemeFigures,
    SchemeInfo,
    build_pooled_fund,
    build_position,
    build_scheme_finance,
    explaining_schemes,
)

CCG = PartnerInfo(code="CCG", name="Southampton City CCG", kind="nhs")
SCC = PartnerInfo(code="SCC", name="Southampton City Council", kind="council")
SCHEMES = [SchemeInfo(1, "Carers"), SchemeInfo(2, "Clusters"), SchemeInfo(8, "Long Term Care")]
AUG = Month(2018, 8)


def position(budgets, forecasts, month=AUG, partners=(CCG, SCC)):
    return build_position(
        area_code="E06000045",
        area_name="Southampton",
        month=month,
        partners=list(partners),
        schemes=SCHEMES,
        budgets=[BudgetEntry(*budget) for budget in budgets],
        forecasts=[ForecastEntry(*forecast) for forecast in forecasts],
        source_labels={"nhs": "NHS contribution", "council": "Council contribution"},
    )


@pytest.mark.parametrize(
    ("budget", "forecast", "variance", "percentage"),
    [
        ("100.00", "114.00", "14.00", "14"),  # overspend is positive
        ("100.00", "80.00", "-20.00", "-20"),  # underspend is negative
        ("100.00", "100.00", "0.00", "0"),
        ("110500000.00", "110560000.00", "60000.00", "0.05429864253393665158371040724"),
        ("0.00", "5000.00", "5000.00", None),  # no budget: no percentage
        ("3.00", "4.00", "1.00", "33.33333333333333333333333333"),  # unrounded
    ],
)
def test_variance_is_forecast_minus_budget_and_percentage_of_budget_unrounded(
    budget, forecast, variance, percentage
):
    figures = Figures(budget=D(budget), forecast=D(forecast))
    assert figures.variance == D(variance)
    assert figures.variance_pct == (None if percentage is None else D(percentage))


def test_totals_by_scheme_partner_source_and_in_all_add_up_to_the_penny():
    result = position(
        budgets=[
            (1, "CCG", D("1240000.00"), "nhs"),
            (1, "SCC", D("134000.00"), "council"),
            (2, "CCG", D("49120000.00"), "nhs"),
            (8, "SCC", D("5000000.00"), "ibcf"),
        ],
        forecasts=[
            (1, "CCG", AUG, D("1240000.01")),
            (1, "SCC", AUG, D("104000.00")),
            (2, "CCG", AUG, D("49510000.00")),
            (8, "SCC", AUG, D("4700000.00")),
        ],
    )
    assert [(s.number, s.variance) for s in result.schemes] == [
        (1, D("-29999.99")),
        (2, D("390000.00")),
        (8, D("-300000.00")),
    ]
    assert [(p.partner.code, p.budget, p.variance) for p in result.partners] == [
        ("CCG", D("50360000.00"), D("390000.01")),
        ("SCC", D("5134000.00"), D("-330000.00")),
    ]
    assert [(s.source, s.label, s.variance) for s in result.sources] == [
        ("nhs", "NHS contribution", D("390000.01")),
        ("council", "Council contribution", D("-30000.00")),
        ("ibcf", "ibcf", D("-300000.00")),
    ]
    assert result.total.budget == D("55494000.00")
    assert result.total.variance == D("60000.01")
    assert result.total.variance == sum(s.variance for s in result.schemes)
    assert result.total.variance == sum(p.variance for p in result.partners)


@pytest.mark.parametrize(
    ("forecasts", "month", "expected_forecast", "expected_month"),
    [
        # The latest forecast made on or before the month is used.
        (
            [(2, "CCG", Month(2018, 6), D("110")), (2, "CCG", Month(2018, 7), D("120"))],
            AUG,
            D("120"),
            Month(2018, 7),
        ),
        # A forecast made after the month is not known yet.
        ([(2, "CCG", Month(2018, 9), D("130"))], AUG, D("100"), None),
        # Last year's forecasts do not count in this year.
        ([(2, "CCG", Month(2018, 3), D("150"))], AUG, D("100"), None),
        # A forecast this month wins.
        ([(2, "CCG", AUG, D("90")), (2, "CCG", Month(2018, 4), D("95"))], AUG, D("90"), AUG),
    ],
)
def test_each_line_takes_its_latest_forecast_and_without_one_spends_its_budget(
    forecasts, month, expected_forecast, expected_month
):
    result = position(budgets=[(2, "CCG", D("100"))], forecasts=forecasts, month=month)
    line = result.schemes[0].partners[0]
    assert line.forecast == expected_forecast
    assert line.forecast_month == expected_month
    assert bool(result.lines_without_current_forecast) == (expected_month != month)


def test_budgets_of_other_years_are_given_by_the_selector_and_a_forecast_needs_no_budget():
    result = position(budgets=[], forecasts=[(2, "CCG", AUG, D("250.00"))])
    line = result.schemes[0].partners[0]
    assert (line.budget, line.forecast, line.variance, line.variance_pct) == (
        D("0.00"),
        D("250.00"),
        D("250.00"),
        None,
    )


@pytest.mark.parametrize(
    ("month", "movement"),
    [
        (Month(2018, 4), None),  # Month 1 has no last month
        (Month(2018, 5), D("0")),  # no new forecast: no change
        (Month(2018, 7), D("30")),  # M6 carried 10 over, M7 40 over
        (AUG, D("-60")),  # M7 40 over, M8 20 under
    ],
)
def test_movement_since_last_month_is_the_change_in_the_variance(month, movement):
    result = position(
        budgets=[(2, "CCG", D("1000"))],
        forecasts=[
            (2, "CCG", Month(2018, 6), D("1010")),
            (2, "CCG", Month(2018, 7), D("1040")),
            (2, "CCG", AUG, D("980")),
        ],
        month=month,
    )
    assert result.total.movement == movement
    assert result.schemes[0].movement == movement
    assert result.partners[0].movement == movement


def test_variance_month_by_month_per_partner_for_every_month_with_forecasts():
    result = position(
        budgets=[(2, "CCG", D("1000")), (8, "SCC", D("500"))],
        forecasts=[
            (2, "CCG", Month(2018, 6), D("1010")),
            (8, "SCC", Month(2018, 7), D("450")),
            (2, "CCG", AUG, D("1030")),
        ],
    )
    assert [
        (point.month.number, [(p.code, v) for p, v in point.by_partner], point.total)
        for point in result.monthly
    ] == [
        (3, [("CCG", D("10")), ("SCC", D("0"))], D("10")),
        (4, [("CCG", D("10")), ("SCC", D("-50"))], D("-40")),
        (5, [("CCG", D("30")), ("SCC", D("-50"))], D("-20")),
    ]


def _scheme(number, variance):
    return SchemeFigures(
        number=number,
        name=f"S{number}",
        budget=D("1000"),
        forecast=D(1000 + variance),
        partners=(),
    )


@pytest.mark.parametrize(
    ("variances", "drivers"),
    [
        ({2: 450, 8: -300, 3: -80, 5: -10}, [2, 8]),  # 750 of 840 gross
        ({1: 100}, [1]),
        ({1: 0, 2: 0}, []),  # nothing to explain
        ({1: 50, 2: 50, 3: 50, 4: 50, 5: 50}, [1, 2, 3, 4]),  # ties by scheme number
        ({1: -900, 2: 60, 3: 40}, [1]),  # one scheme is nearly everything
    ],
)
def test_the_schemes_driving_the_position_are_the_largest_variances_first(variances, drivers):
    schemes = [_scheme(number, variance) for number, variance in variances.items()]
    assert [scheme.number for scheme in explaining_schemes(schemes)] == drivers


def test_as_dict_is_the_summary_json_with_numbers_in_pounds():
    result = position(
        budgets=[(2, "CCG", D("49120000.00")), (8, "SCC", D("5000000.00"))],
        forecasts=[(2, "CCG", AUG, D("49510000.10")), (8, "SCC", AUG, D("4700000.00"))],
    )
    data = result.as_dict()
    assert list(data) == [
        "area",
        "financial_year",
        "month",
        "month_number",
        "total",
        "partners",
        "schemes",
    ]
    assert (data["area"], data["financial_year"], data["month"], data["month_number"]) == (
        "E06000045",
        "2018-19",
        "2018-08",
        5,
    )
    assert data["total"] == {
        "budget": 54120000.0,
        "forecast": 54210000.1,
        "variance": 90000.1,
        "variance_pct": float(D("90000.10") / D("54120000.00") * 100),
    }
    assert data["partners"][0] == {
        "partner": "CCG",
        "budget": 49120000.0,
        "forecast": 49510000.1,
        "variance": 390000.1,
        "variance_pct": float(D("390000.10") / D("49120000.00") * 100),
    }
    assert data["schemes"][1]["number"] == 8
    assert data["schemes"][1]["name"] == "Long Term Care"
    assert data["schemes"][1]["partners"] == [
        {
            "partner": "SCC",
            "budget": 5000000.0,
            "forecast": 4700000.0,
            "variance": -300000.0,
            "variance_pct": -6.0,
        }
    ]


def test_a_scheme_finance_is_the_same_arithmetic_as_the_position():
    budgets = [
        BudgetEntry(2, "CCG", D("49120000")),
        BudgetEntry(2, "SCC", D("1384000")),
        BudgetEntry(8, "SCC", D("5000000")),
    ]
    forecasts = [
        ForecastEntry(2, "CCG", Month(2018, 7), D("49420000")),
        ForecastEntry(2, "CCG", AUG, D("49510000")),
    ]
    finance = build_scheme_finance(
        scheme=SchemeInfo(2, "Clusters"),
        month=AUG,
        partners=[CCG, SCC],
        budgets=budgets,
        forecasts=forecasts,
    )
    whole = build_position(
        area_code="",
        area_name="",
        month=AUG,
        partners=[CCG, SCC],
        schemes=SCHEMES,
        budgets=budgets,
        forecasts=forecasts,
    ).scheme(2)
    assert (finance.total.budget, finance.total.forecast, finance.total.variance) == (
        whole.budget,
        whole.forecast,
        whole.variance,
    )
    assert finance.partners == whole.partners
    assert [(line.partner.code, share) for line, share in finance.budget_shares()] == [
        ("CCG", D("49120000") / D("50504000") * 100),
        ("SCC", D("1384000") / D("50504000") * 100),
    ]
    assert [point.month.number for point in finance.history] == [4, 5]
    assert [point.total for point in finance.monthly_variance()] == [D("300000"), D("390000")]


def test_a_scheme_with_nothing_recorded_has_no_data():
    finance = build_scheme_finance(
        scheme=SchemeInfo(9, "SEND"),
        month=AUG,
        partners=[CCG, SCC],
        budgets=[],
        forecasts=[],
    )
    assert not finance.has_data
    assert finance.total.variance == 0


@pytest.mark.parametrize(
    ("minimum", "amounts", "above", "meets"),
    [
        (
            "16484000",
            {"nhs_minimum": "16484000", "nhs_additional": "56916000", "council": "37100000"},
            "94016000.00",
            True,
        ),
        ("16484000", {"nhs_minimum": "16000000", "council": "100000"}, "-383999.99", False),
        (None, {}, None, None),
    ],
)
def test_the_pool_against_the_national_minimum(minimum, amounts, above, meets):
    partners = [CCG, SCC]
    contributions = [
        ContributionEntry(
            partner=CCG if stream.startswith("nhs") else SCC,
            stream=stream,
            stream_label=stream,
            amount=D(amount) + (D("0.01") if amount == "100000" else 0),
        )
        for stream, amount in amounts.items()
    ]
    fund = build_pooled_fund(
        area_code="E06000045",
        area_name="Southampton",
        financial_year=FinancialYear(2018),
        national_minimum=D(minimum) if minimum else None,
        partners=partners,
        contributions=contributions,
        budgets=[BudgetEntry(2, "CCG", D("100"))],
        stream_labels={
            "nhs_minimum": "NHS minimum",
            "nhs_additional": "NHS additional",
            "council": "Council",
        },
    )
    assert fund.above_minimum == (D(above) if above else None)
    assert fund.meets_minimum is meets
    assert fund.total == sum((c.amount for c in contributions), D("0.00"))


def test_pool_shares_by_partner_and_stream_and_what_the_budgets_leave_unallocated():
    fund = build_pooled_fund(
        area_code="E06000045",
        area_name="Southampton",
        financial_year=FinancialYear(2017),
        national_minimum=D("16176000"),
        partners=[CCG, SCC],
        contributions=[
            ContributionEntry(partner=SCC, stream="ibcf", stream_label="iBCF", amount=D("4981651")),
            ContributionEntry(
                partner=CCG, stream="nhs_minimum", stream_label="NHS minimum", amount=D("16176000")
            ),
            ContributionEntry(
                partner=CCG,
                stream="nhs_additional",
                stream_label="NHS additional",
                amount=D("53325000"),
            ),
            ContributionEntry(
                partner=SCC, stream="council", stream_label="Council", amount=D("30713349")
            ),
        ],
        budgets=[BudgetEntry(1, "CCG", D("69501000")), BudgetEntry(1, "SCC", D("35000000"))],
        stream_labels={"nhs_minimum": "", "nhs_additional": "", "council": "", "ibcf": ""},
    )
    assert fund.total == D("105196000")
    assert [s.stream for s in fund.by_stream] == [
        "nhs_minimum",
        "nhs_additional",
        "council",
        "ibcf",
    ]
    assert [(p.partner.code, p.contributed, p.unallocated) for p in fund.by_partner] == [
        ("CCG", D("69501000"), D("0")),
        ("SCC", D("35695000"), D("695000")),
    ]
    assert fund.by_partner[0].share_pct == D("69501000") / D("105196000") * 100
    assert fund.unallocated == D("695000")
    assert fund.times_minimum == D("105196000") / D("16176000")
