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
from metrics.catalogue import CODES
from metrics.demo import DEMO_FILE, POPULATIONS_FILE, REVISION_FILE
from metrics.models import Metric, MetricImport, MetricValue, PlanRevision, Population
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
    populations = sorted(Population.objects.values_list("financial_year", "age_group", "people"))
    load_demo(log=lambda line: None)
    assert snapshot() == first
    # the figures, then the revised trajectory; loading again changes nothing, records nothing
    # (and the comparators' figures, England's and the statistical neighbours', a third)
    assert MetricImport.objects.count() == imports == 3
    assert all(record.illustrative for record in MetricImport.objects.all())
    assert PlanRevision.objects.count() == 1
    assert (
        sorted(Population.objects.values_list("financial_year", "age_group", "people"))
        == populations
    )
    assert Population.objects.filter(illustrative=False).count() == 0


def test_month_5_has_a_mix_of_ratings_targets_only_from_the_plan_and_a_caveat(southampton):
    q2 = Quarter(FinancialYear(2018), 2)
    month = latest_data_month(area=southampton, quarter=q2)
    assert month == Month(2018, 8)
    rows = {row.code: row for row in rag_summary(area=southampton, month=month).rows}
    assert {row.vs_plan.rag for row in rows.values()} >= {"green", "amber", "red"}
    for code in ("ae_attendances", "nel_short_stay", "nel_super_stranded"):
        assert rows[code].vs_plan.label == "No Target set"
        assert rows[code].vs_last_year.rag is not None
    caveat = (
        "Southern Health did not submit DTOC data for Southampton in May 2018: the total "
        "excludes its delays."
    )
    assert rows["dtoc_delayed_days"].notes == (caveat,)
    assert rows["dtoc_delayed_days"].status == "provisional"
    # the DTOC rate, a latest-month percentage, with both figures, as the boards write it
    assert rows["dtoc_rate"].vs_plan.phrase == "Off Track (4.3% vs. 3.5% target)"
    assert rows["dtoc_rate"].vs_last_year.phrase == "Better (5.6% in August last year)"
    # average daily delays against the revised trajectory, the revision noted
    delays = rows["dtoc_avg_daily_delays"]
    assert delays.vs_plan.phrase == "Slightly Off Track (28.6 vs. 28.0 target)"
    assert delays.notes[-1].startswith(
        "Target revised from 19 July 2018: Reset by national guidance (BCF operating guidance "
        "2018/19, 19 July 2018) from the Quarter 3 2017/18 position"
    )
    # the rates per 100,000, worked out from the counts and the populations
    assert rows["dtoc_delays_per_100k_18"].actual_display == "14.2"
    assert rows["res_admissions_65_rate"].vs_plan.label == "On Track"
    # reablement is yearly: it is compared at the year's end, not in August
    assert "reablement_91" not in rows
    assert not MetricValue.objects.filter(series="actual", end_month__gt=Month(2018, 8)).exists()


def test_the_revised_dtoc_trajectory_from_july_2018(southampton):
    delays = Metric.objects.get(code="dtoc_avg_daily_delays")
    (revision,) = PlanRevision.objects.filter(area=southampton, metric=delays)
    assert revision.financial_year == FinancialYear(2018)
    assert revision.effective.isoformat() == "2018-07-19"
    # it replaced the plan of July 2018 to March 2019 and added the attributions' trajectories
    assert revision.superseded.filter(breakdown="").count() == 9
    assert revision.superseded.exclude(breakdown="").filter(value__isnull=True).count() == 27

    def plan(month, breakdown=""):
        return MetricValue.objects.get(
            area=southampton, metric=delays, series="plan", breakdown=breakdown, end_month=month
        ).value

    assert plan(Month(2018, 9)) == D("26.6") and plan(Month(2019, 3)) == D("26.6")
    assert [plan(Month(2018, 9), f"attribution:{part}") for part in ("NHS", "ASC", "Joint")] == [
        D("11.3"),
        D("11.0"),
        D("4.4"),
    ]
    # June, before the revision, keeps the plan then: the plan's 11.644 per 100,000 aged 18+
    june = next(
        row
        for row in rag_summary(area=southampton, month=Month(2018, 6)).rows
        if row.code == "dtoc_delays_per_100k_18"
    )
    assert june.plan_display == "11.6" and june.revisions == ()


def test_the_quarter_3_2017_18_position_the_guidance_starts_from(southampton):
    """Delayed patients per day over October to December 2017: 38.8 (16.2 NHS, 18.3 Adult
    Social Care, 4.4 Joint)."""
    months = [Month(2017, 10), Month(2017, 11), Month(2017, 12)]

    def quarter(breakdown=""):
        values = MetricValue.objects.filter(
            area=southampton, metric__code="dtoc_avg_daily_delays", series="actual",
            breakdown=breakdown, end_month__in=months,
        )  # fmt: skip
        days = {Month(2017, 10): 31, Month(2017, 11): 30, Month(2017, 12): 31}
        total = sum(value.value * days[value.end_month] for value in values)
        return round(total / 92, 1)

    assert quarter() == D("38.8")
    assert [quarter(f"attribution:{part}") for part in ("NHS", "ASC", "Joint")] == [
        D("16.2"),
        D("18.3"),
        D("4.4"),
    ]


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


def test_the_plans_rates_are_worked_out_from_its_counts_and_the_populations(southampton):
    def rated(code, month):
        row = next(r for r in rag_summary(area=southampton, month=month).rows if r.code == code)
        return row.plan_display

    # March, the year's end: the year's plans
    assert rated("res_admissions_65_rate", Month(2018, 3)) == "809.8"
    assert rated("dtoc_delays_per_100k_18", Month(2018, 3)) == "16.8"  # the plan's 16.781
    # and the standardised falls rate, loaded as published
    assert rated("falls_injuries_65_rate", Month(2018, 3)) == "2,821"


def test_snapshot_and_yearly_targets_follow_the_plan(southampton):
    def plan(code, period):
        return MetricValue.objects.get(
            metric__code=code, series="plan", breakdown="", period=period
        ).value

    assert plan("dtoc_rate", "2017-09") == D("4.0")
    assert plan("dtoc_rate", "2018-03") == D("4.0")
    assert plan("dtoc_rate", "2018-06") == D("3.5")
    assert plan("reablement_91", "2018-19") == D(90)
    assert plan("falls_injuries_65_rate", "2018-19") == D(2666)
    assert not MetricValue.objects.filter(
        series="plan", metric__code__in=["ae_attendances", "nel_short_stay", "nel_super_stranded"]
    ).exists()
    assert not MetricValue.objects.filter(series="plan", end_month__lt=Month(2017, 4)).exists()
    # the providers' own DTOC rate plans, in August as the boards quote them
    august = dict(
        MetricValue.objects.filter(
            metric__code="dtoc_rate", series="plan", period="2018-08"
        ).values_list("breakdown", "value")
    )
    assert august == {
        "": D("3.5"),
        "provider:UHS": D("3.9"),
        "provider:Solent": D("2.9"),
        "provider:Southern Health": D("4.4"),
    }
    # nothing is loaded for a rate worked out from a count
    assert not MetricValue.objects.filter(metric__rate_of__isnull=False).exists()


@pytest.mark.parametrize(
    ("year", "totals"), [(2015, (27442, 1025, 368, 13409)), (2016, (28320, 1078, 289, 18397))]
)
def test_2015_16_and_2016_17_actuals_add_up_to_the_plans_reported_outturn(
    southampton, year, totals
):
    months = FinancialYear(year).months()

    def total(code):
        return MetricValue.objects.filter(
            area=southampton, metric__code=code, series="actual", breakdown="",
            end_month__in=months,
        ).aggregate(total=Sum("value"))["total"]  # fmt: skip

    codes = ("nel_admissions", "falls_injuries_65", "res_admissions_65", "dtoc_delayed_days")
    assert tuple(total(code) for code in codes) == totals


def test_the_plans_yearly_actuals_and_the_populations_they_imply(southampton):
    def actual(code, period):
        return MetricValue.objects.get(
            area=southampton, metric__code=code, series="actual", breakdown="", period=period
        ).value

    assert actual("reablement_91", "2015-16") == 79 and actual("reablement_91", "2016-17") == 84
    assert actual("falls_injuries_65_rate", "2015-16") == 2895
    rows = {r.code: r for r in rag_summary(area=southampton, month=Month(2017, 3)).rows}
    assert rows["res_admissions_65_rate"].actual_display == "877.0"  # 289 admissions, 2016/17
    assert rows["falls_injuries_65_rate"].actual_display == "3,013"
    people = {
        (population.financial_year.start_year, population.age_group): population
        for population in Population.objects.filter(area=southampton)
    }
    assert len(people) == 12
    assert people[(2018, "65+")].people == 34134
    assert "implied by" in people[(2018, "65+")].source
    assert people[(2018, "18+")].source.startswith("Illustrative")


def test_the_committed_files_are_what_the_generator_writes():
    spec = importlib.util.spec_from_file_location("generate_metrics", GENERATOR)
    generator = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(generator)
    assert DEMO_FILE.read_text(encoding="utf-8") == generator.csv_text()
    assert REVISION_FILE.read_text(encoding="utf-8") == generator.revision_csv_text()
    assert POPULATIONS_FILE.read_text(encoding="utf-8") == generator.populations_csv_text()


def test_the_catalogue_can_be_restored_after_a_flush():
    Metric.objects.update(rate_of=None)
    Metric.objects.all().delete()
    assert metric_catalogue_ensure() == len(CODES) == 16
    assert metric_catalogue_ensure() == 0
    assert Metric.objects.get(code="reablement_91").direction == "higher"
    rate = Metric.objects.get(code="dtoc_delays_per_100k_18")
    assert rate.rate_of.code == "dtoc_avg_daily_delays" and rate.age_group == "18+"


def test_pages_say_the_demo_figures_are_illustrative(southampton, login):
    client = login(get_user_model().objects.get(username="analyst"))
    for url in (reverse("metrics:index"), reverse("metrics:metric", args=["dtoc_rate"])):
        assert 'data-testid="illustrative"' in client.get(url).content.decode()


def test_the_demo_benchmarks_southampton_beside_england_and_its_neighbours(southampton):
    import io
    import json

    from django.core.management import call_command

    out = io.StringIO()
    call_command(
        "benchmark", "--metric", "res_admissions_65_rate", "--month", "2018-08", stdout=out
    )
    printed = json.loads(out.getvalue())
    assert "Southampton" in [row["name"] for row in printed["areas"]]
    assert {line["name"] for line in printed["comparators"]} == {
        "England",
        "Southampton's statistical neighbours",
    }
    # Comparators are never among the areas a person reports for.
    assert not southampton.is_comparator
    assert MetricImport.objects.filter(file_name="comparators-metrics.csv", illustrative=True)
