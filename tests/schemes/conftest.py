"""Highlight report fixtures: the reporting quarter fixed at Q2 2018/19, a second lead, and
reports at each stage of the workflow, all made through the services."""

import datetime as dt
from decimal import Decimal

import pytest

from bettercare.periods import Quarter
from bettercare.roles import Role
from bettercare.services import scheme_lead_assign
from schemes import services
from schemes.models import BcfAim
from schemes.workflow import Action

Q1_2018 = Quarter.parse("2018-19-Q1")
Q4_2017 = Quarter.parse("2017-18-Q4")


@pytest.fixture(autouse=True)
def reporting_q2_2018(db, area):
    area.current_quarter = Quarter.parse("2018-19-Q2")
    area.save()
    return area


@pytest.fixture
def lead_clusters(make_user, area, clusters):
    user = make_user("lead-clusters", Role.SCHEME_LEAD, [area])
    scheme_lead_assign(scheme=clusters, user=user)
    return user


def full_content(**fields) -> services.ReportContent:
    """A report with every section filled in, as a lead would write it."""
    values = {
        "pooled_budget_manager": "",
        "report_author": "Alex Morgan",
        "report_date": dt.date(2018, 7, 20),
        "reasons_for_variance": "Underspend negligible",
        "actions_on_variance": "Not applicable",
        "savings_opportunities": "None",
        "cost_pressures": "None",
        "aims": "- To identify carers",
        "recommendations": "",
        "priorities": "- Whole family approach",
        **fields,
    }
    return services.ReportContent(
        fields=values,
        financial_lines=[
            {
                "partner": "CCG",
                "source": "nhs",
                "other_source": "",
                "annual_value": Decimal("1240000.00"),
                "projected_spend": Decimal("1208000.00"),
            },
            {
                "partner": "SCC",
                "source": "council",
                "other_source": "",
                "annual_value": Decimal("134000.00"),
                "projected_spend": Decimal("133000.00"),
            },
        ],
        key_developments=[
            {"text": "Direct payments processed in time", "aims": [BcfAim.EXPERIENCE]}
        ],
        indicators=[{"indicator": "Carers identified", "progress": "Exceeded"}],
        risks=[{"risk": "Replacement care", "mitigation": "A named member of staff"}],
    )


@pytest.fixture
def draft(lead, carers):
    return services.highlight_report_start(scheme=carers, quarter=Q1_2018, user=lead)


@pytest.fixture
def complete_draft(draft, lead):
    return services.highlight_report_save(
        report=draft, user=lead, expected_version=draft.version, content=full_content()
    )


@pytest.fixture
def submitted(complete_draft, lead):
    return services.highlight_report_submit(report=complete_draft, user=lead)


@pytest.fixture
def accepted(submitted, analyst):
    return services.highlight_report_accept(report=submitted, user=analyst)


BOARD_DATES = {
    Action.RECEIVE_BY_JCB: dt.date(2018, 7, 26),
    Action.SIGN_OFF_BY_JCB: dt.date(2018, 7, 26),
    Action.RECEIVE_BY_HWB: dt.date(2018, 8, 8),
}


@pytest.fixture
def signed_off(accepted, secretary):
    return services.highlight_report_board_dates_record(
        report=accepted, user=secretary, dates=BOARD_DATES, today=dt.date(2018, 9, 1)
    )
