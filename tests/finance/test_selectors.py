"""Finance reads against the database: fixed query counts, one source for every figure."""

from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month, Quarter
from finance.models import FundingStream
from finance.selectors import (
    finance_position,
    forecast_months,
    home_tasks,
    pooled_fund,
    reporting_month,
    scheme_finance,
)
from finance.services import finance_file_import, pooled_fund_save
from tests.factories import SchemeFactory

from .conftest import AREA, finance_csv

pytestmark = pytest.mark.django_db
AUG = Month(2018, 8)


def test_finance_position_reads_with_five_queries_whatever_the_number_of_schemes(
    month5, area, django_assert_num_queries
):
    with django_assert_num_queries(5):
        small = finance_position(area=area, month=AUG)
    ccg = area.partners.get(code="CCG")
    rows = []
    for number in range(20, 32):
        SchemeFactory(area=area, number=number, host=ccg, first_year=FinancialYear(2017))
        rows.append([AREA, "2018-19", number, "CCG", "budget", "", "1000"])
        rows += [
            [AREA, "2018-19", number, "CCG", "forecast", str(m), "1100"]
            for m in FinancialYear(2018).months()
        ]
    finance_file_import(data=finance_csv(rows), file_name="more.csv")
    with django_assert_num_queries(5):
        large = finance_position(area=area, month=AUG)
    assert len(large.schemes) == len(small.schemes) + 12


def test_the_position_is_the_boards_month_5_story(month5, area):
    position = finance_position(area=area, month=AUG)
    assert position.total.variance == D("60000.00")
    assert [(p.partner.code, p.variance) for p in position.partners] == [
        ("CCG", D("390000.00")),
        ("SCC", D("-330000.00")),
    ]
    assert [s.name for s in position.drivers] == ["Clusters", "Transforming Long Term Care"]
    assert position.total.movement == D("-40000.00")  # Month 4 was £0.10M over
    assert [point.month for point in position.monthly] == [Month(2018, 7), AUG]


def test_a_scheme_name_is_the_name_it_had_that_year(month5, area):
    month5[2].year_names.create(financial_year=FinancialYear(2018), name="Clusters (2018/19)")
    position = finance_position(area=area, month=AUG)
    assert position.scheme(2).name == "Clusters (2018/19)"
    assert scheme_finance(scheme=month5[2], month=AUG).name == "Clusters (2018/19)"


def test_scheme_finance_gives_the_same_figures_as_the_position(month5, area):
    position = finance_position(area=area, month=AUG)
    for number, scheme in month5.items():
        finance = scheme_finance(scheme=scheme, month=AUG)
        whole = position.scheme(number)
        assert (finance.total.budget, finance.total.forecast, finance.total.variance) == (
            whole.budget,
            whole.forecast,
            whole.variance,
        )
        assert finance.partners == whole.partners


def test_other_areas_finance_never_shows(month5, area, other_area):
    assert not finance_position(area=other_area, month=AUG).has_data
    assert forecast_months(area=other_area) == []


def test_pooled_fund_by_partner_and_stream_against_the_minimum(month5, area):
    ccg, scc = area.partners.get(code="CCG"), area.partners.get(code="SCC")
    pooled_fund_save(
        area=area,
        financial_year=FinancialYear(2018),
        national_minimum=D("16484000"),
        contributions={
            (ccg, FundingStream.NHS_MINIMUM): D("16484000"),
            (ccg, FundingStream.NHS_ADDITIONAL): D("33876000"),
            (scc, FundingStream.COUNCIL): D("5000000"),
            (scc, FundingStream.IBCF): D("1518000"),
        },
    )
    fund = pooled_fund(area=area, year=FinancialYear(2018))
    assert fund.total == D("56878000.00")
    assert fund.above_minimum == D("40394000.00")
    assert fund.meets_minimum
    assert [(p.partner.code, p.contributed, p.budgeted) for p in fund.by_partner] == [
        ("CCG", D("50360000.00"), D("50360000.00")),
        ("SCC", D("6518000.00"), D("6518000.00")),
    ]
    assert [s.label for s in fund.by_stream] == [
        "NHS minimum contribution",
        "NHS additional contribution",
        "Council contribution",
        "Improved Better Care Fund (iBCF)",
    ]
    assert not pooled_fund(area=area, year=FinancialYear(2019)).recorded


def test_pages_open_at_the_quarters_data_month_or_the_latest_before_it():
    months = [Month(2018, 6), Month(2018, 7), Month(2018, 9)]
    q2 = Quarter(FinancialYear(2018), 2)
    assert reporting_month(area=None, quarter=q2, months=months) == Month(2018, 7)
    assert reporting_month(area=None, quarter=q2, months=[*months, AUG]) == AUG
    assert reporting_month(area=None, quarter=q2, months=[Month(2018, 9)]) == Month(2018, 9)
    assert reporting_month(area=None, quarter=q2, months=[]) is None


def test_home_tasks_tell_the_analyst_whether_the_quarters_forecasts_are_in(
    schemes, area, analyst, secretary
):
    q2 = Quarter(FinancialYear(2018), 2)
    [task] = home_tasks(user=analyst, area=area, quarter=q2)
    assert (task.status, task.url) == ("todo", "/finance/import/")
    assert home_tasks(user=secretary, area=area, quarter=q2) == []
    finance_file_import(
        data=finance_csv([[AREA, "2018-19", 2, "CCG", "forecast", "2018-08", "100"]]),
        file_name="f.csv",
    )
    [task] = home_tasks(user=analyst, area=area, quarter=q2)
    assert task.status == "done"
    assert task.title == "Finance position at Month 5 (August 2018)"
