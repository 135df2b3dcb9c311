"""Packs made before packs had a data month get their quarter's (migrations 0002 and 0003)."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

pytestmark = pytest.mark.django_db(transaction=True)

BEFORE = [("reports", "0001_initial")]
AFTER = [("reports", "0003_pack_data_month_required")]


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture(autouse=True)
def latest_schema_afterwards():
    """Later migrations exist: the tests that follow need the whole schema back."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


def test_existing_packs_and_their_history_get_the_quarters_data_month(area):
    old = migrate(BEFORE)
    try:
        Pack = old.get_model("reports", "Pack")
        HistoricalPack = old.get_model("reports", "HistoricalPack")
        for board, quarter in (("JCB", "2018-19-Q2"), ("HWB", "2018-19-Q4"), ("JCB", "2019-20-Q1")):
            pack = Pack.objects.create(area_id=area.pk, board=board, quarter=quarter)
            HistoricalPack.objects.create(
                id=pack.pk,
                area_id=area.pk,
                board=board,
                quarter=quarter,
                status="draft",
                exempt_sections=[],
                created=pack.created,
                updated=pack.updated,
                history_date=pack.updated,
                history_type="+",
            )
    finally:
        new = migrate(AFTER)
    months = dict(new.get_model("reports", "Pack").objects.values_list("quarter", "data_month"))
    assert {str(quarter): str(month) for quarter, month in months.items()} == {
        "2018-19-Q2": "2018-08",  # Month 5
        "2018-19-Q4": "2019-02",  # Month 11
        "2019-20-Q1": "2019-05",  # Month 2
    }
    history = new.get_model("reports", "HistoricalPack").objects.values_list(
        "quarter", "data_month"
    )
    assert {str(quarter): str(month) for quarter, month in history} == {
        "2018-19-Q2": "2018-08",
        "2018-19-Q4": "2019-02",
        "2019-20-Q1": "2019-05",
    }
