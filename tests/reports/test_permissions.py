"""Who may see and make board packs and rate the schemes: every role against its own area and
another (see tests/permissions_matrix.py; packs are the area's, so both schemes of an area
answer alike)."""

import pytest

from reports import permissions
from tests.permissions_matrix import (
    table,
    world,  # noqa: F401 (the fixture)
)


def of_area(check, **kwargs):
    return lambda user, scheme: check(user, scheme.area, **kwargs)


EVERY_ROLE = table(
    administrator="YYN", analyst="YYN", board_secretary="YYN", scheme_lead="YYN", superuser="YYN"
)
AREA_WIDE = table(administrator="YYN", analyst="YYN", board_secretary="YYN", superuser="YYN")
SECRETARIES = table(board_secretary="YYN", superuser="YYN")

TABLE = {
    "see the list of packs": (of_area(permissions.may_see_packs), EVERY_ROLE),
    "download a public version": (
        of_area(permissions.may_download_versions, full=False),
        EVERY_ROLE,
    ),
    "see drafts, exempt sections and full versions": (
        of_area(permissions.may_see_full_packs),
        AREA_WIDE,
    ),
    "download a full version and its figures": (
        of_area(permissions.may_download_versions, full=True),
        AREA_WIDE,
    ),
    "start a pack": (of_area(permissions.may_create_packs), SECRETARIES),
    "edit a pack": (of_area(permissions.may_edit_packs), SECRETARIES),
    "make a pack Final, or correct it": (of_area(permissions.may_finalise_packs), SECRETARIES),
    "see the portfolio ratings": (of_area(permissions.may_see_portfolio), AREA_WIDE),
    "rate the schemes": (
        of_area(permissions.may_rate_schemes),
        table(analyst="YYN", superuser="YYN"),
    ),
    "see the national conditions": (
        of_area(permissions.may_see_national_conditions),
        AREA_WIDE,
    ),
    "record the national conditions": (
        of_area(permissions.may_record_national_conditions),
        table(analyst="YYN", superuser="YYN"),
    ),
    "see and download the quarterly return": (of_area(permissions.may_see_returns), AREA_WIDE),
    "complete the quarterly return": (
        of_area(permissions.may_write_returns),
        table(analyst="YYN", superuser="YYN"),
    ),
}


@pytest.mark.parametrize("action", TABLE)
def test_who_may(world, action):  # noqa: F811
    check, expected = TABLE[action]
    assert world.answers(check) == expected


def test_the_services_refuse_what_the_table_refuses_whoever_calls_them(world):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    from bettercare.periods import Quarter
    from reports.models import NationalCondition, Pack, PortfolioRating
    from reports.services import (
        ConditionEntry,
        RatingEntry,
        national_conditions_save,
        pack_create,
        pack_text_save,
        portfolio_ratings_save,
    )

    from .factories import PackFactory

    scheme = world.schemes["own scheme"]
    analyst, secretary = world.people["analyst"], world.people["board_secretary"]
    quarter = Quarter.parse("2018-19-Q2")
    with pytest.raises(PermissionDenied):
        pack_create(area=scheme.area, board="JCB", quarter=quarter, user=analyst)
    pack = PackFactory(area=scheme.area, board="HWB")
    with pytest.raises(PermissionDenied):
        pack_text_save(pack=pack, text={"brief_summary": "Not mine to write."}, user=analyst)
    with pytest.raises(PermissionDenied):
        portfolio_ratings_save(
            area=scheme.area,
            quarter=quarter,
            entries=[RatingEntry(scheme=scheme, rag="green")],
            user=secretary,
        )
    with pytest.raises(PermissionDenied):
        national_conditions_save(
            area=scheme.area,
            year=quarter.year,
            entries=[ConditionEntry(code="jointly_agreed_plan", compliance="compliant")],
            user=secretary,
        )
    assert Pack.objects.get().brief_summary == "" and not PortfolioRating.objects.exists()
    assert not NationalCondition.objects.exists()
