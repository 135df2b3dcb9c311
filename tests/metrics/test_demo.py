"""Southampton's demo figures: plans from the Better Care Plan's targets, illustrative actuals up
to Month 5 of 2018/19, with a mix of ratings and a caveat for the Quarter 2 pack."""

import importlib.util
from decimal import Decimal as D
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.db.models import Sum
from django.urls import reverse

from bettercare.demo import load_demo
from bettercare.periods import FinancialYear, Month, Quarter
from metrics.demo import DEMO_FILE
from metrics.models import Metric, MetricImport, MetricValue
from metrics.selectors import latest_data_month, rag_summary
from metrics.services import metric_catalogue_ensure

pytestmark = pytest.mark.django_db
GENERATOR = Path(settings.BASE_DIR) / "fixtures" / "southampton" / "generate_metrics.py"


@pytest.fixture
def southampton(demo):
    return demo


def snapshot():
    return sorted(
        MetricValue.objects.values_list(
            "metric__code", "period", "series", "breakdown", "value", "status", "note"
        )
    )


def test_loading_the_demo_twice_leaves_the_same_figures(southampton):
    first = snapshot()
    imports = MetricImport.objects.count()
    load_demo(log=lambda line: None)
    assert snapshot() == first
    assert MetricImport.objects.count() == imports == 1
    assert MetricImport.objects.get().illustrative


def test_month_5_has_a_mix_of_ratings_targets_only_from_the_plan_and_a_caveat(southampton):
    q2 = Quarter(FinancialYear(2018), 2)
    month = latest_data_month(area=southampton, quarter=q2)
    assert month == Month(2018, 8)
    rows = {row.code: row for row in rag_summary(area=southampton, month=month).rows}
    assert {row.vs_plan.rag for row in rows.values()} >= {"green", "amber", "red"}
    for code in ("ae_attendances", "nel_short_stay", "nel_super_stranded"):
        assert rows[code].vs_plan.label == "No Target set"
        assert rows[code].vs_last_year.rag is not None
    assert rows["dtoc_delayed_days"].notes == (
        "Southern Health did not submit DTOC data for Southampton in May 2018: the total "
        "excludes its delays.",
    )
    assert rows["dtoc_delayed_days"].status == "provisional"
    assert rows["reablement_91"].vs_plan.label == "Slightly Off Track"
    assert rows["dtoc_rate"].vs_plan.label == "Off Track"
    assert not MetricValue.objects.filter(series="actual", end_month__gt=Month(2018, 8)).exists()


@pytest.mark.parametrize(
    ("code", "year", "target"),
    [
        ("nel_admissions", 2017, 28525),
        ("nel_admissions", 2018, 28534),
        ("falls_injuries_65", 2017, 1038),
        ("falls_injuries_65", 2018, 1004),
        ("res_admissions_65", 2017, 270),
        ("res_admissions_65", 2018, 250),
        ("dtoc_delayed_days", 2017, 13397),
        ("dtoc_delayed_days", 2018, 11226),
    ],
)
def test_yearly_targets_of_the_plan_are_spread_over_the_months_exactly(
    southampton, code, year, target
):
    plans = MetricValue.objects.filter(
        metric__code=code,
        series="plan",
        breakdown="",
        end_month__in=FinancialYear(year).months(),
    )
    assert plans.count() == 12
    assert plans.aggregate(total=Sum("value"))["total"] == target


def test_snapshot_targets_follow_the_plan(southampton):
    def plan(code, month):
        return MetricValue.objects.get(
            metric__code=code, series="plan", breakdown="", end_month=month
        ).value

    assert plan("dtoc_rate", Month(2017, 9)) == D("4.0")
    assert plan("dtoc_rate", Month(2018, 3)) == D("4.0")
    assert plan("dtoc_rate", Month(2018, 6)) == D("3.5")
    assert plan("reablement_91", Month(2018, 8)) == D(90)
    assert plan("dtoc_avg_daily_delays", Month(2017, 4)) == D("16.781")
    assert not MetricValue.objects.filter(
        series="plan", metric__code__in=["ae_attendances", "nel_short_stay", "nel_super_stranded"]
    ).exists()
    assert not MetricValue.objects.filter(series="plan", end_month__lt=Month(2017, 4)).exists()


def test_2016_17_actuals_add_up_to_the_plans_reported_outturn(southampton):
    year = FinancialYear(2016).months()

    def total(code):
        return MetricValue.objects.filter(
            metric__code=code, series="actual", breakdown="", end_month__in=year
        ).aggregate(total=Sum("value"))["total"]

    assert total("nel_admissions") == 28320
    assert total("falls_injuries_65") == 1078
    assert total("res_admissions_65") == 289
    assert total("dtoc_delayed_days") == 18397


def test_the_committed_file_is_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("generate_metrics", GENERATOR)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert DEMO_FILE.read_text(encoding="utf-8") == generator.csv_text()


def test_the_catalogue_can_be_restored_after_a_flush():
    Metric.objects.all().delete()
    assert metric_catalogue_ensure() == 13
    assert metric_catalogue_ensure() == 0
    assert Metric.objects.get(code="reablement_91").direction == "higher"


def test_pages_say_the_demo_figures_are_illustrative(southampton, login):
    client = login(get_user_model().objects.get(username="analyst"))
    for url in (reverse("metrics:index"), reverse("metrics:metric", args=["dtoc_rate"])):
        assert 'data-testid="illustrative"' in client.get(url).content.decode()
