"""Pure rules, table-driven and without a database: which data months a pack may have, and the
pooled fund in the overview's words."""

from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month, parse_quarter
from finance.variance import BudgetEntry, ContributionEntry, PartnerInfo, build_pooled_fund
from reports.models import data_month_problem
from reports.wording import describe_pool

Q2 = parse_quarter("2018-19-Q2")
Q4 = parse_quarter("2018-19-Q4")


@pytest.mark.parametrize(
    "quarter,month,problem",
    [
        (Q2, Month(2018, 8), None),  # the default: the quarter's second month
        (Q2, Month(2018, 4), None),  # earlier in the year
        (Q2, Month(2018, 9), None),  # the quarter's last month
        (
            Q2,
            Month(2018, 10),
            "The data month cannot be after the quarter: Quarter Two 2018/19 ends with September "
            "2018, so October 2018 is too late.",
        ),
        (
            Q2,
            Month(2018, 3),
            "The data month must be in 2018/19, the financial year of Quarter Two 2018/19: March "
            "2018 is in 2017/18.",
        ),
        (Q4, Month(2019, 3), None),  # Month 12: the outturn
        (
            Q4,
            Month(2019, 4),
            "The data month must be in 2018/19, the financial year of Quarter Four 2018/19: April "
            "2019 is in 2019/20.",
        ),
    ],
)
def test_data_month_must_be_in_the_quarters_year_and_not_after_it(quarter, month, problem):
    assert data_month_problem(quarter=quarter, month=month) == problem


CCG = PartnerInfo(code="CCG", name="Southampton City CCG", kind="nhs")
SCC = PartnerInfo(code="SCC", name="Southampton City Council", kind="council")


def fund(contributions, minimum, *, partners=(CCG, SCC)):
    return build_pooled_fund(
        area_code="E06000045",
        area_name="Southampton",
        financial_year=FinancialYear(2018),
        national_minimum=minimum,
        partners=list(partners),
        contributions=[
            ContributionEntry(partner=partner, stream="other", stream_label="Other", amount=amount)
            for partner, amount in contributions
        ],
        budgets=[BudgetEntry(scheme=1, partner="CCG", amount=D("1000000.00"))],
        stream_labels={"other": "Other"},
    )


@pytest.mark.parametrize(
    "contributions,minimum,words",
    [
        (
            [(CCG, D("73400000.00")), (SCC, D("37100000.00"))],
            D("16484000.00"),
            "The pooled fund for 2018/19 is £110.50M: £73.40M from the CCG and £37.10M from the "
            "Council, 6.7 times the national minimum of £16.48M.",
        ),
        (
            [(CCG, D("16484000.00"))],
            D("16484000.00"),
            "The pooled fund for 2018/19 is £16.48M: £16.48M from the CCG, exactly the national "
            "minimum of £16.48M.",
        ),
        (
            [(CCG, D("10000000.00")), (SCC, D("5000000.00"))],
            D("16484000.00"),
            "The pooled fund for 2018/19 is £15.00M: £10.00M from the CCG and £5.00M from the "
            "Council, £1.48M short of the national minimum of £16.48M.",
        ),
        (
            [(CCG, D("1000000.00"))],
            D("0.00"),
            "The pooled fund for 2018/19 is £1.00M: £1.00M from the CCG; the national minimum is "
            "£0.00M.",
        ),
        ([], None, "No pooled fund has been recorded for 2018/19."),
    ],
)
def test_the_pool_against_the_national_minimum_in_words(contributions, minimum, words):
    assert describe_pool(fund(contributions, minimum)) == words


def test_times_the_minimum_is_rounded_half_up_to_one_place():
    # 16.5 / 10 = 1.65 exactly: half up gives 1.7 (banker's rounding would give 1.6).
    pool = fund([(CCG, D("16500000.00"))], D("10000000.00"))
    assert "1.7 times the national minimum of £10.00M" in describe_pool(pool)
