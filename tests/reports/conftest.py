"""Board pack fixtures: Southampton's priorities, two rated schemes and a Draft JCB pack."""

import pytest

from bettercare.periods import parse_quarter
from bettercare.roles import Role
from reports.services import pack_create, pack_text_save

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
