"""Who may see and load the metrics: every role against its own area and another (see
tests/permissions_matrix.py; the metrics are the area's, so both schemes of an area answer
alike)."""

import pytest

from metrics import permissions
from tests.permissions_matrix import (
    table,
    world,  # noqa: F401 (the fixture)
)


def of_area(check):
    return lambda user, scheme: check(user, scheme.area)


LOADERS = table(analyst="YYN", superuser="YYN")

TABLE = {
    "see the dashboard and the figures": (
        of_area(permissions.may_view_metrics),
        table(
            administrator="YYN",
            analyst="YYN",
            board_secretary="YYN",
            scheme_lead="YYN",
            superuser="YYN",
        ),
    ),
    "import figures": (of_area(permissions.may_import_metrics), LOADERS),
    "mark an SPC recalculation point": (of_area(permissions.may_mark_recalculations), LOADERS),
    "remove one": (of_area(permissions.may_remove_recalculations), LOADERS),
    "be told when the figures are in": (
        of_area(permissions.waits_for_the_figures),
        table(board_secretary="YYN"),
    ),
}


@pytest.mark.parametrize("action", TABLE)
def test_who_may(world, action):  # noqa: F811
    check, expected = TABLE[action]
    assert world.answers(check) == expected


def test_the_services_refuse_what_the_table_refuses_whoever_calls_them(world):  # noqa: F811
    from django.core.exceptions import PermissionDenied

    from bettercare.periods import Month
    from metrics.models import Metric, MetricValue, SpcRecalculation
    from metrics.services import metric_file_import, spc_recalculation_add

    from .factories import figures_csv

    area, lead = world.schemes["own scheme"].area, world.people["scheme_lead"]
    with pytest.raises(PermissionDenied):
        spc_recalculation_add(
            area=area,
            metric=Metric.objects.get(code="nel_admissions"),
            month=Month(2017, 10),
            reason="Not mine to mark.",
            user=lead,
        )
    figures = figures_csv([(area.code, "nel_admissions", "2018-08", "actual", "100")])
    with pytest.raises(PermissionDenied):
        metric_file_import(content=figures, file_name="f.csv", via="upload", user=lead)
    assert not SpcRecalculation.objects.exists() and not MetricValue.objects.exists()
