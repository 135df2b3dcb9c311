"""A highlight report's Overall Financial Performance filled in from Finance's figures."""

from decimal import Decimal

import pytest
from django.urls import reverse

from bettercare.contributions import scheme_funding
from bettercare.funding import FundingSource as Source
from bettercare.funding import line_label
from bettercare.periods import FinancialYear, Month, Quarter
from finance.selectors import scheme_finance_for_quarter
from finance.services import finance_file_import
from schemes.models import HighlightReport

pytestmark = pytest.mark.django_db

Q1 = Quarter(FinancialYear(2018), 1)


def _finance_rows(lines):
    header = "area,financial_year,scheme,partner,kind,month,amount"
    return "\n".join([header, *lines]) + "\n"


@pytest.fixture
def carers_finance(area, carers, analyst):
    text = _finance_rows(
        [
            "E06000045,2018-19,1,CCG,budget,,1240000",
            "E06000045,2018-19,1,SCC,budget,,134000",
            "E06000045,2018-19,1,CCG,forecast,2018-05,1208000",
            # Finance's June forecast for the CCG only; the council has none yet.
            "E06000045,2018-19,1,CCG,forecast,2018-06,1210000",
            # After the quarter: a Q1 report must not use it.
            "E06000045,2018-19,1,CCG,forecast,2018-07,1300000",
        ]
    )
    finance_file_import(data=text.encode(), file_name="f.csv", user=analyst, area=area)


@pytest.mark.parametrize(
    ("partner", "source", "label"),
    [
        ("CCG", "nhs", "CCG"),
        ("SCC", "council", "SCC"),
        ("SCC", "ibcf", "SCC iBCF"),
        ("SCC", "dfg", "SCC DFG"),
        ("CCG", "", "CCG"),
    ],
)
def test_finance_sources_become_the_templates_funding_lines(partner, source, label):
    assert line_label(partner, source) == label


def test_the_month_the_quarters_packs_report_is_used_never_a_later_one(carers, carers_finance):
    """A Q1 pack reports Month 2 (May): the prefill takes Finance's May position, not June's,
    even though June's forecast is in, so the report and the pack give the same figures."""
    finance = scheme_finance_for_quarter(scheme=carers, quarter=Q1)
    assert finance.month == Month(2018, 5) == Q1.data_month
    by_partner = {line.partner.code: line for line in finance.partners}
    assert by_partner["CCG"].forecast == Decimal("1208000")


def test_finance_hands_the_schemes_app_its_funding_lines_through_the_app_registry(
    carers, carers_finance
):
    funding = scheme_funding(scheme=carers, quarter=Q1)  # finance's AppConfig answers
    assert funding.month == Month(2018, 5) == Q1.data_month  # the month the Q1 packs report
    lines = {line.label: line for line in funding.lines}
    assert lines["CCG"].source == Source.NHS and lines["SCC"].source == Source.COUNCIL
    assert lines["CCG"].projected_spend == Decimal("1208000")
    assert lines["SCC"].projected_spend is None  # no council forecast yet: not assumed


def test_starting_a_report_fills_its_finance_from_finance(login, lead, carers, carers_finance):
    response = login(lead).post(reverse("schemes:report_start", args=[1, Q1]), follow=True)
    shown = [str(message) for message in response.context["messages"]]
    assert any(
        "filled in from Finance's Month 2, 31 May 2018 position, the month the Q1 2018/19 "
        "board packs report" in message
        for message in shown
    )
    report = HighlightReport.objects.get(scheme=carers, quarter=Q1)
    lines = {line.label: line for line in report.finance.lines}
    assert lines["CCG"].annual_value == Decimal("1240000.00")
    assert lines["CCG"].projected_spend == Decimal("1208000.00")
    assert lines["SCC"].annual_value == Decimal("134000.00")
    assert lines["SCC"].projected_spend is None  # no council forecast yet: not assumed
    assert report.finance.total_annual_value == Decimal("1374000.00")


def test_a_scheme_without_finance_starts_with_empty_figures(login, lead, carers):
    login(lead).post(reverse("schemes:report_start", args=[1, Q1]))
    report = HighlightReport.objects.get(scheme=carers, quarter=Q1)
    assert list(report.finance.lines) == []


def test_the_lead_can_refill_from_finance_but_nobody_else(
    login, lead, analyst, carers, carers_finance
):
    client = login(lead)
    client.post(reverse("schemes:report_start", args=[1, Q1]))
    edit = client.get(reverse("schemes:report_edit", args=[1, Q1])).content.decode()
    assert 'data-testid="finance-fill"' in edit
    report = HighlightReport.objects.get(scheme=carers, quarter=Q1)
    report.financial_lines.filter(partner__code="CCG").update(projected_spend=Decimal("1.00"))
    assert report.finance.lines[0].projected_spend == Decimal("1.00")  # the change took
    response = client.post(reverse("schemes:report_finance_fill", args=[1, Q1]))
    assert response.status_code == 302
    lines = {line.label: line for line in report.finance.lines}
    assert lines["CCG"].projected_spend == Decimal("1208000.00")  # Finance's figure again

    report.financial_lines.filter(partner__code="CCG").update(projected_spend=Decimal("2.00"))
    version = HighlightReport.objects.get(pk=report.pk).version
    refused = login(analyst).post(reverse("schemes:report_finance_fill", args=[1, Q1]))
    assert refused.status_code == 403
    lines = {line.label: line for line in report.finance.lines}
    assert lines["CCG"].projected_spend == Decimal("2.00")  # untouched
    assert HighlightReport.objects.get(pk=report.pk).version == version


def test_figures_typed_unlike_finances_are_shown_beside_them(
    login, lead, analyst, carers, carers_finance
):
    """The lead's report page, the edit page and the analyst's review each say where the
    typed figures are not Finance's for the month the packs report."""
    client = login(lead)
    client.post(reverse("schemes:report_start", args=[1, Q1]))
    report = HighlightReport.objects.get(scheme=carers, quarter=Q1)
    read = client.get(reverse("schemes:report", args=[1, Q1])).content.decode()
    assert 'data-testid="finance-differences"' not in read  # as Finance gave them
    report.financial_lines.filter(partner__code="CCG").update(
        projected_spend=Decimal("1250000.00")
    )
    expected = (
        "CCG projected year end spend: the report gives £1,250,000, Finance £1,208,000 "
        "(£42,000 more)"
    )
    for user, name in ((lead, "report"), (lead, "report_edit"), (analyst, "report")):
        page = login(user).get(reverse(f"schemes:{name}", args=[1, Q1])).content.decode()
        assert 'data-testid="finance-differences"' in page, (user, name)
        assert expected in page, (user, name)
        assert "Month 2, 31 May 2018" in page
