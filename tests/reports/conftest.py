"""Board pack fixtures: Southampton's priorities, two rated schemes and a Draft JCB pack."""

import datetime as dt

import pytest

from bettercare.demo import load_demo
from bettercare.periods import Month, parse_quarter
from bettercare.roles import Role
from metrics.services import metric_file_import
from reports.models import Pack
from reports.services import pack_create, pack_text_save
from schemes.services import ReportContent, highlight_report_record_paper
from tests.metrics.factories import figures_csv, monthly

from .factories import PortfolioRatingFactory, PriorityFactory

Q2 = parse_quarter("2018-19-Q2")
Q1 = parse_quarter("2018-19-Q1")


@pytest.fixture
def priorities(area):
    return [
        PriorityFactory(area=area, number=1, title="More rapid expansion of integration"),
        PriorityFactory(area=area, number=2, title="A stronger focus on prevention"),
    ]


@pytest.fixture
def ratings(carers, clusters):
    return [
        PortfolioRatingFactory(scheme=carers, quarter=Q1, rag="amber", narrative="Contract late."),
        PortfolioRatingFactory(scheme=carers, quarter=Q2, rag="green", narrative="New contract."),
        PortfolioRatingFactory(scheme=clusters, quarter=Q2, rag="red", narrative="Admissions up."),
    ]


@pytest.fixture
def pack(area, priorities, ratings, secretary):
    """A Draft JCB pack for 2018-19 Q2 with a summary and a highlight."""
    pack = pack_create(area=area, board="JCB", quarter=Q2, user=secretary)
    return pack_text_save(
        pack=pack,
        text={"brief_summary": "Quarter Two went well for the Carers scheme."},
        highlights={priorities[0].pk: "Clusters now cover working age adults."},
    )


@pytest.fixture
def lead_user(make_user, area):
    return make_user("lead-other", Role.SCHEME_LEAD, [area])


@pytest.fixture
def outsider(make_user, other_area):
    """A board secretary of another area."""
    return make_user("secretary-portsmouth", Role.BOARD_SECRETARY, [other_area])


@pytest.fixture
def southampton():
    """The whole Southampton demo: its Draft JCB pack for Q2 2018/19 with commentary and six
    headlines, illustrative 2018/19 metrics and finance, and the ten Q2 2018/19 highlight
    reports (eight accepted, one submitted, one returned)."""
    load_demo(log=lambda line: None)
    return Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")


def accepted_report(scheme, *, analyst, quarter=Q2, content=None, **fields):
    """A report for `quarter` that the ICU has accepted (recorded as a paper report)."""
    return highlight_report_record_paper(
        scheme=scheme,
        quarter=quarter,
        user=analyst,
        content=content
        or ReportContent(
            fields={"report_author": "Alex Morgan", **fields},
            financial_lines=[
                {
                    "partner": "SCC",
                    "source": "council",
                    "other_source": "",
                    "annual_value": 100000,
                    "projected_spend": 99000,
                }
            ],
            key_developments=[{"text": "A new contract."}],
            indicators=[{"indicator": "Carers identified", "progress": "On track"}],
            risks=[{"risk": "Demand", "mitigation": "Waiting list"}],
        ),
        board_dates={},
        today=dt.date(2018, 10, 15),
    )


SOTON = "E06000045"


@pytest.fixture
def figures(area):
    """Southampton's figures to August 2018 for two metrics (one with a caveat), and nothing
    for the others: enough for a table, a footnote and a headline chart."""
    april_2017, april_2018 = Month(2017, 4), Month(2018, 4)
    rows = [
        *monthly(SOTON, "nel_admissions", april_2017, [2300, 2280, 2390, 2400, 2350]),
        *monthly(SOTON, "nel_admissions", april_2018, [2400, 2350, 2420, 2460, 2390]),
        *monthly(SOTON, "nel_admissions", april_2018, [2370] * 5, series="plan"),
        *monthly(SOTON, "falls_injuries_65", april_2017, [90] * 5),
        *monthly(SOTON, "falls_injuries_65", april_2018, [80, 85, 82, 88]),
        (SOTON, "falls_injuries_65", "2018-08", "actual", "84", "", "provisional",
         "One provider's August figure is estimated."),
        *monthly(SOTON, "falls_injuries_65", april_2018, [85] * 5, series="plan"),
    ]
    metric_file_import(content=figures_csv(rows), file_name="figures.csv", via="command")
    return area
