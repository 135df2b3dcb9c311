"""The catalogue corrected (migration 0004): metrics measure what the boards measure, and every
figure held before is still held, under the metric that measures it."""

from decimal import Decimal as D
from importlib import import_module

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

BEFORE = [("metrics", "0002_catalogue")]
AFTER = [("metrics", "0004_catalogue_corrected")]
FIRST_PUBLISHED = [
    "ae_attendances", "nel_admissions", "nel_short_stay", "nel_super_stranded",
    "dtoc_delayed_days", "dtoc_rate", "dtoc_avg_daily_delays", "res_admissions_65",
    "reablement_91", "falls_injuries_65", "avoidable_admissions", "discharge_usual_residence",
    "falls_admissions_65_rate",
]  # fmt: skip


def migrate(targets):
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.fixture
def latest_schema_afterwards():
    """Later migrations exist: the tests that follow need the whole schema back."""
    yield
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())


@pytest.mark.django_db(transaction=True)
def test_figures_held_move_to_the_metric_that_measures_them(area, latest_schema_afterwards):
    old = migrate(BEFORE)
    try:
        Metric = old.get_model("metrics", "Metric")
        MetricValue = old.get_model("metrics", "MetricValue")
        # The database as it stood: only the catalogue as first published (loaded again, as
        # an earlier test may have emptied the tables).
        Metric.objects.exclude(code__in=FIRST_PUBLISHED).delete()
        import_module("metrics.migrations.0002_catalogue").load_catalogue(old, None)
        code = {metric.code: metric.pk for metric in Metric.objects.all()}
        # An administrator's own edit, which the correction must keep.
        Metric.objects.filter(code="dtoc_avg_daily_delays").update(red_from=D(15))

        def held(metric, period, value, series="actual", breakdown=""):
            MetricValue.objects.create(
                area_id=area.pk,
                metric_id=code[metric],
                period=period,
                end_month=period if len(period) == 7 else "2019-03",
                series=series,
                breakdown=breakdown,
                value=D(value),
                status="final",
            )

        held("dtoc_avg_daily_delays", "2018-08", "13.9")  # per 100,000 aged 18+, as then
        held("dtoc_avg_daily_delays", "2018-08", "6.1", breakdown="attribution:NHS")
        held("dtoc_avg_daily_delays", "2018-08", "11.644", series="plan")
        held("reablement_91", "2018-07", "86.5")
        held("reablement_91", "2018-08", "86.2")
        held("nel_super_stranded", "2018-08", "83")
    finally:
        new = migrate(AFTER)

    Metric = new.get_model("metrics", "Metric")
    MetricValue = new.get_model("metrics", "MetricValue")
    metrics = {metric.code: metric for metric in Metric.objects.all()}

    def figures(code):
        return sorted(
            (value.period, value.series, value.breakdown, value.value)
            for value in MetricValue.objects.filter(metric=metrics[code])
        )

    delays = metrics["dtoc_avg_daily_delays"]
    assert (delays.unit, delays.rate_population, delays.ytd_rule) == ("per_day", "", "latest")
    assert delays.red_from == 15  # the administrator's edit stays
    assert figures("dtoc_avg_daily_delays") == []
    per_100k = metrics["dtoc_delays_per_100k_18"]
    assert (per_100k.unit, per_100k.age_group, per_100k.rate_of_id) == ("rate", "18+", delays.pk)
    assert figures("dtoc_delays_per_100k_18") == [
        ("2018-08", "actual", "", D("13.9")),
        ("2018-08", "actual", "attribution:NHS", D("6.1")),
        ("2018-08", "plan", "", D("11.644")),
    ]
    # each move is in the figure's history, with why
    history = new.get_model("metrics", "HistoricalMetricValue").objects.filter(
        metric_id=per_100k.pk
    )
    assert history.count() == 3
    assert {record.history_change_reason for record in history} == {
        "Catalogue corrected: held as per 100,000 aged 18+"
    }

    assert metrics["reablement_91"].frequency == "annual"
    assert figures("reablement_91") == []
    assert figures("reablement_91_monthly") == [
        ("2018-07", "actual", "", D("86.5")),
        ("2018-08", "actual", "", D("86.2")),
    ]
    assert metrics["reablement_91_monthly"].scope == "local"

    assert metrics["nel_super_stranded"].group == "urgent_care_demand"
    assert figures("nel_super_stranded") == [("2018-08", "actual", "", D("83"))]

    rate = metrics["res_admissions_65_rate"]
    assert (rate.rate_of_id, rate.age_group, rate.ytd_rule) == (
        metrics["res_admissions_65"].pk,
        "65+",
        "sum",
    )
    falls = metrics["falls_injuries_65_rate"]
    assert (falls.rate_of_id, falls.frequency, falls.unit) == (None, "annual", "rate")
    # the new metrics sit beside the ones they follow
    order = [m.code for m in sorted(metrics.values(), key=lambda m: (m.display_order, m.code))]
    assert order.index("dtoc_delays_per_100k_18") == order.index("dtoc_avg_daily_delays") + 1
    assert order.index("res_admissions_65_rate") == order.index("res_admissions_65") + 1
    assert order.index("falls_injuries_65_rate") == order.index("falls_injuries_65") + 1


@pytest.mark.django_db
def test_a_new_database_gets_the_corrected_catalogue_without_the_kept_metrics():
    from metrics.catalogue import CODES
    from metrics.models import Metric

    held = set(Metric.objects.values_list("code", flat=True))
    assert held == set(CODES)  # no reablement_91_monthly: there were no monthly figures
