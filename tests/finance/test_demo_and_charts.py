"""The Southampton finance demo (idempotent, true to its sources) and the variance chart."""

from decimal import Decimal as D

import pytest
from django.core.management import call_command

from bettercare.charts import COLOURS
from bettercare.funding import FundingSource
from bettercare.periods import FinancialYear, Month
from finance.charts import position_variance_chart, variance_by_month_chart
from finance.models import Budget, Contribution, Forecast, PooledFundYear
from finance.selectors import finance_position, pooled_fund
from finance.wording import describe_position
from reports.drawing import ChartRenderer, SvgJob


def _snapshot():
    return (
        sorted(
            Budget.objects.values_list(
                "financial_year", "scheme__number", "partner__code", "amount", "funding_source"
            )
        ),
        sorted(
            Forecast.objects.values_list(
                "month", "scheme__number", "partner__code", "amount", "note"
            )
        ),
        sorted(
            Contribution.objects.values_list(
                "fund__financial_year", "partner__code", "stream", "amount"
            )
        ),
        sorted(
            PooledFundYear.objects.values_list("financial_year", "national_minimum", "illustrative")
        ),
        Budget.history.count() + Forecast.history.count() + Contribution.history.count(),
    )


@pytest.fixture
def southampton(demo):
    return demo


def test_finance_demo_loads_twice_to_the_same_data(southampton):
    first = _snapshot()
    call_command("load_demo", "--southampton-only", stdout=open("/dev/null", "w"))  # noqa: SIM115
    assert _snapshot() == first


def test_2017_18_is_the_plans_pool_and_scheme_budgets(southampton):
    fund = pooled_fund(area=southampton, year=FinancialYear(2017))
    assert not fund.illustrative
    assert fund.national_minimum == D("16176000.00")
    assert fund.total == D("105196000.00")  # section 9.1's total
    assert fund.budgeted == D("105196000.00")  # section 9.2's total
    assert [(p.partner.code, p.contributed, p.budgeted) for p in fund.by_partner] == [
        ("CCG", D("69501000.00"), D("69501000.00")),
        ("SCC", D("35695000.00"), D("35695000.00")),
    ]
    budgets = {
        (b.scheme.number, b.partner.code): b
        for b in Budget.objects.filter(financial_year=FinancialYear(2017)).select_related(
            "scheme", "partner"
        )
    }
    assert budgets[(1, "CCG")].amount == D("1240000.00")  # Carers
    assert budgets[(4, "SCC")].amount == D("2935000.00")  # Equipment, Telecare and DFG
    assert budgets[(4, "SCC")].funding_source == FundingSource.DFG
    assert budgets[(6, "SCC")].amount == D("16414000.00")  # Integrated Care Teams - LD
    assert not {9, 10} & {number for number, _ in budgets}  # not pooled: no 9.2 line


def test_2018_19_is_illustrative_110_5m_and_month_5_tells_the_boards_story(southampton):
    fund = pooled_fund(area=southampton, year=FinancialYear(2018))
    assert fund.illustrative
    assert fund.total == fund.budgeted == D("110500000.00")
    assert [(p.partner.code, p.contributed) for p in fund.by_partner] == [
        ("CCG", D("73400000.00")),
        ("SCC", D("37100000.00")),
    ]
    assert fund.minimum_contribution == fund.national_minimum == D("16484000.00")

    position = finance_position(area=southampton, month=Month(2018, 8))
    # As the council's published Quarter 2 2018/19 report gives Month 5.
    assert describe_position(position) == (
        "a projected year end overspend of £0.06M, which represents a percentage variance "
        "against budget of 0.05%. This is made up of a £0.39M overspend for the CCG and a £0.33M "
        "underspend for the Council. The schemes driving it are Integrated Rehabilitation and "
        "Reablement and Hospital Discharge (£0.20M underspend), Learning Disability Integration "
        "(£0.20M overspend) and Clusters (£0.14M overspend)."
    )
    by_scheme = {scheme.number: scheme for scheme in position.schemes}
    assert by_scheme[2].variance == D("140000.00")  # Clusters: £0.09M CCG, £0.05M Council
    assert [line.variance for line in by_scheme[2].partners] == [D("90000.00"), D("50000.00")]
    assert [line.variance for line in by_scheme[6].partners] == [D("300000.00"), D("-100000.00")]
    assert by_scheme[3].variance == D("-200000.00") and by_scheme[5].variance == D("-100000.00")
    assert all(line.note for line in by_scheme[2].partners)  # the finance leads' reasons
    outturn = finance_position(area=southampton, month=Month(2019, 3))
    assert outturn.is_outturn and len(outturn.monthly) == 12
    assert describe_position(outturn).startswith("a year end outturn overspend of £0.10M")


def test_the_variance_chart_has_a_bar_per_partner_and_a_total_line_in_house_colours(southampton):
    position = finance_position(area=southampton, month=Month(2018, 8))
    figure = position_variance_chart(position)
    bars = [trace for trace in figure.data if trace.type == "bar"]
    assert [bar.name for bar in bars] == ["CCG", "SCC"]
    assert [bar.marker.color for bar in bars] == [COLOURS["ccg"], COLOURS["council"]]
    assert list(bars[0].x) == ["M1 Apr", "M2 May", "M3 Jun", "M4 Jul", "M5 Aug"]
    assert list(bars[0].y) == [0.0, 0.0, 0.13, 0.26, 0.39]
    assert list(bars[1].hovertext)[-1] == "£0.33M underspend"
    total = figure.data[-1]
    assert total.name == "Total" and list(total.y)[-1] == 0.06
    assert figure.layout.title.text == "Forecast variance by month, 2018/19"

    with ChartRenderer(tabs=1, idle_seconds=None) as renderer:
        [svg] = renderer.draw([SvgJob(figure, 680, 320)])
    assert svg.startswith("<svg") and "M5 Aug" in svg and "SCC" in svg


def test_a_chart_with_no_months_is_still_a_figure():
    figure = variance_by_month_chart([], title=None)
    assert [trace.name for trace in figure.data] == ["Total"]
