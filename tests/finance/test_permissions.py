"""Who may see and change the pooled fund's finances: every role against its own scheme,
another scheme of its area and a scheme of another area (see tests/permissions_matrix.py).
Area-wide actions are asked about the scheme's area."""

import pytest

from finance import permissions
from tests.permissions_matrix import (
    table,
    world,  # noqa: F401 (the fixture)
)


def of_area(check):
    return lambda user, scheme: check(user, scheme.area)


AREA_WIDE = table(administrator="YYN", analyst="YYN", board_secretary="YYN", superuser="YYN")

TABLE = {
    "see the position and the pool": (of_area(permissions.may_view_finance), AREA_WIDE),
    "see a scheme's finance": (
        permissions.may_see_scheme_finance,
        {**AREA_WIDE, "scheme_lead": "YNN"},
    ),
    "import budgets and forecasts": (
        of_area(permissions.may_import_finance),
        table(analyst="YYN", superuser="YYN"),
    ),
    "write the finance lead's notes": (
        permissions.may_write_forecast_notes,
        table(analyst="YYN", superuser="YYN"),
    ),
    "edit the pooled fund": (
        of_area(permissions.may_edit_pooled_fund),
        table(administrator="YYN", analyst="YYN", superuser="YYN"),
    ),
    "say which source a budget is paid from": (
        of_area(permissions.may_set_funding_sources),
        table(administrator="YYN", superuser="YYN"),
    ),
}


@pytest.mark.parametrize("action", TABLE)
def test_who_may(world, action):  # noqa: F811
    check, expected = TABLE[action]
    assert world.answers(check) == expected


def test_the_services_refuse_what_the_table_refuses_whoever_calls_them(world):  # noqa: F811
    from decimal import Decimal

    from django.core.exceptions import PermissionDenied

    from bettercare.periods import FinancialYear
    from finance.services import finance_file_import, forecast_note_save, pooled_fund_save

    from .conftest import finance_csv
    from .factories import ForecastFactory

    scheme, secretary = world.schemes["own scheme"], world.people["board_secretary"]
    forecast = ForecastFactory(scheme=scheme, partner=scheme.area.partners.get(code="CCG"))
    with pytest.raises(PermissionDenied):
        forecast_note_save(forecast=forecast, note="Not mine to write.", user=secretary)
    with pytest.raises(PermissionDenied):
        pooled_fund_save(
            area=scheme.area,
            financial_year=FinancialYear(2018),
            national_minimum=Decimal(1),
            contributions={},
            user=secretary,
        )
    row = [scheme.area.code, "2018-19", scheme.number, "CCG", "budget", "", "1"]
    with pytest.raises(PermissionDenied):
        finance_file_import(data=finance_csv([row]), file_name="f.csv", user=secretary)
    forecast.refresh_from_db()
    assert forecast.note == "" and not scheme.budgets.exists()  # nothing was written
