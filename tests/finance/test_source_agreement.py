"""Budgets by funding source against the pool's contributions: the demo's agree to the penny,
and the position page warns, naming each source and both figures, when a year's do not."""

import re
from decimal import Decimal as D

import pytest
from django.urls import reverse

from bettercare.demo import load_demo
from bettercare.periods import FinancialYear, Month
from finance.models import Budget, FundingSource
from finance.selectors import finance_position, funding_source_agreement
from finance.services import budget_funding_source_set
from finance.variance import source_agreement

LABELS = {"nhs": "NHS contribution", "council": "Council contribution", "ibcf": "iBCF"}


def test_each_source_is_compared_to_the_penny():
    found = source_agreement(
        budgets=[("nhs", D("100.00")), ("council", D("50.00")), ("ibcf", D("20.01"))],
        contributions=[
            ("nhs", D("60.00")),
            ("nhs", D("40.00")),
            ("council", D("50.00")),
            ("ibcf", D("20.00")),
        ],
        source_labels=LABELS,
    )
    assert [(s.source, s.agrees, s.difference) for s in found] == [
        ("nhs", True, D("0.00")),
        ("council", True, D("0.00")),
        ("ibcf", False, D("0.01")),
    ]


@pytest.fixture
def southampton(db):
    return load_demo(log=lambda line: None)


def test_the_demos_2018_19_budgets_by_source_agree_with_its_contributions(southampton):
    found = funding_source_agreement(area=southampton, year=FinancialYear(2018))
    assert {s.source: (s.budgeted, s.contributed) for s in found} == {
        "nhs": (D("73400000.00"), D("73400000.00")),
        "council": (D("30000000.00"), D("30000000.00")),
        "ibcf": (D("5000000.00"), D("5000000.00")),
        "dfg": (D("2100000.00"), D("2100000.00")),
    }
    assert all(source.agrees for source in found)
    position = finance_position(area=southampton, month=Month(2018, 8))
    assert funding_source_agreement(
        area=southampton, year=FinancialYear(2018), position=position
    ) == found  # the page's budgets by source are the same figures


def test_the_position_page_warns_when_they_do_not_and_brackets_underspends(southampton, client):
    analyst = southampton.members.get(username="analyst")
    client.force_login(analyst)
    url = reverse("finance:position") + "?month=2018-08"
    page = client.get(url).content.decode()
    assert 'data-testid="source-disagreement"' not in page
    sources = page[page.index('data-testid="sources"') :].split("</table>")[0]
    underspends = re.findall(r">\s*([^<>]*?) <span class=\"bc-variance-kind\">underspend", sources)
    assert underspends and all(re.fullmatch(r"\(£[\d.]+[Mk]\)", u) for u in underspends)

    budget = Budget.objects.get(
        area=southampton, financial_year=FinancialYear(2018), scheme__number=8, partner__code="SCC"
    )
    budget_funding_source_set(budget=budget, source=FundingSource.COUNCIL)
    page = client.get(url).content.decode()
    warning = page[page.index('data-testid="source-disagreement"') :].split("</div>")[0]
    assert "Budgets do not match the pool's contributions" in warning
    assert "Council contribution: budgets £35,000,000, contributions £30,000,000" in warning
    assert "£5,000,000 more budgeted than contributed" in warning
    assert "contributions £5,000,000 (£5,000,000 contributed but not budgeted)" in warning


def test_a_year_without_a_pooled_fund_has_nothing_to_compare(southampton):
    assert funding_source_agreement(area=southampton, year=FinancialYear(2016)) == ()
