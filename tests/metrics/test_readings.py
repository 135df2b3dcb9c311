"""Figures as every page reads them: rates worked out from counts and populations (never typed
twice), and each month rated against the plan in force at its end."""

from datetime import date
from decimal import Decimal as D

import pytest

from bettercare.periods import FinancialYear, Month
from metrics.models import AgeGroup, Metric
from metrics.readings import EACH_MONTH, readings
from metrics.selectors import metric_series, metric_spc, rag_summary

from .factories import MetricValueFactory, PopulationFactory, revise_plans

pytestmark = pytest.mark.django_db
AUGUST, JULY, JUNE = Month(2018, 8), Month(2018, 7), Month(2018, 6)


@pytest.fixture
def metrics():
    return {metric.code: metric for metric in Metric.objects.all()}


def test_a_rate_is_worked_out_from_its_count_and_the_population(area, metrics):
    delays = metrics["dtoc_avg_daily_delays"]
    MetricValueFactory(area=area, metric=delays, end_month=AUGUST, value=D("28.6"))
    MetricValueFactory(area=area, metric=delays, end_month=AUGUST, series="plan", value=D(28))
    MetricValueFactory(
        area=area, metric=delays, end_month=AUGUST, breakdown="attribution:NHS", value=D("12.2")
    )
    PopulationFactory(area=area, financial_year=FinancialYear(2018), people=200_800)
    rate = metrics["dtoc_delays_per_100k_18"]
    found = {
        (r.series, r.breakdown): r
        for r in readings(area=area, metrics=[rate], breakdown=None, end=AUGUST)
    }
    assert found[("actual", "")].value == D("28.6") * 100_000 / 200_800
    assert found[("actual", "")].worked_out
    assert found[("plan", "")].value == D(28) * 100_000 / 200_800
    assert found[("actual", "attribution:NHS")].value == D("12.2") * 100_000 / 200_800
    # the count itself is not among the rate's readings
    assert {r.metric_id for r in found.values()} == {rate.pk}

    (row,) = [r for r in rag_summary(area=area, month=AUGUST).rows if r.code == rate.code]
    assert row.actual_display == "14.2" and row.plan_display == "13.9"
    assert row.vs_plan.phrase == "Slightly Off Track (14.2 vs. 13.9 target)"


def test_without_the_years_population_the_rate_is_not_available_and_says_why(area, metrics):
    MetricValueFactory(area=area, metric=metrics["res_admissions_65"], end_month=AUGUST, value=21)
    # a population for another year, and for another age group, do not count
    PopulationFactory(
        area=area, financial_year=FinancialYear(2017), age_group=AgeGroup.AGED_65_PLUS
    )
    PopulationFactory(
        area=area, financial_year=FinancialYear(2018), age_group=AgeGroup.AGED_18_PLUS
    )
    rows = {r.code: r for r in rag_summary(area=area, month=AUGUST).rows}
    rate = rows["res_admissions_65_rate"]
    assert rate.actual is None and rate.status == "not_available"
    assert rate.vs_last_year.label == "Data not available"
    assert rate.notes == (
        "No population aged 65+ is held for Southampton for 2018/19, so this rate cannot be "
        "worked out.",
    )


def test_a_summed_rate_adds_up_its_months_at_the_years_population(area, metrics):
    count = metrics["res_admissions_65"]
    for month, value in zip(AUGUST.year_to_date(), [20, 22, 21, 21, 23], strict=True):
        MetricValueFactory(area=area, metric=count, end_month=month, value=value)
        MetricValueFactory(area=area, metric=count, end_month=month, series="plan", value=21)
    PopulationFactory(
        area=area, financial_year=FinancialYear(2018), age_group=AgeGroup.AGED_65_PLUS,
        people=34_134,
    )  # fmt: skip
    rows = {r.code: r for r in rag_summary(area=area, month=AUGUST).rows}
    rate, admissions = rows["res_admissions_65_rate"], rows["res_admissions_65"]
    assert rate.actual == sum(D(v) * 100_000 / 34_134 for v in [20, 22, 21, 21, 23])
    # the same population on both sides: the rate is rated as the count is
    assert rate.vs_plan.rag == admissions.vs_plan.rag
    assert rate.vs_plan.pct == pytest.approx(admissions.vs_plan.pct)
    # the plan's own pair: 250 admissions a year are 732.4 per 100,000 aged 65+
    assert round(D(250) * 100_000 / 34_134, 1) == D("732.4")


def test_figures_held_for_a_rate_before_the_correction_show_only_where_nothing_works_one_out(
    area, metrics
):
    rate, delays = metrics["dtoc_delays_per_100k_18"], metrics["dtoc_avg_daily_delays"]
    MetricValueFactory(area=area, metric=rate, end_month=JULY, value=D("13.9"))  # kept
    MetricValueFactory(area=area, metric=rate, end_month=AUGUST, value=D("99"))  # superseded
    MetricValueFactory(area=area, metric=delays, end_month=AUGUST, value=D("28.6"))
    PopulationFactory(area=area, financial_year=FinancialYear(2018), people=200_000)
    found = {r.end_month: r for r in readings(area=area, metrics=[rate], end=AUGUST)}
    assert found[JULY].value == D("13.9") and not found[JULY].worked_out
    assert found[AUGUST].value == D("14.3") and found[AUGUST].worked_out


@pytest.fixture
def revised(area, metrics):
    """Average daily delays planned at 23.4 a day for 2018/19, revised from 19 July 2018 to
    29.3 in July, 28.0 in August and 26.6 from September (and for March 2019, which had no
    plan before)."""
    delays = metrics["dtoc_avg_daily_delays"]
    for month in FinancialYear(2018).months()[:6]:
        MetricValueFactory(
            area=area, metric=delays, end_month=month, series="plan", value=D("23.4")
        )
    for month, value in zip([JUNE, JULY, AUGUST], ["30.2", "29.5", "28.6"], strict=True):
        MetricValueFactory(area=area, metric=delays, end_month=month, value=D(value))
        MetricValueFactory(
            area=area, metric=delays, end_month=month.same_period_last_year(), value=D(44)
        )
    revise_plans(
        area,
        delays,
        {"2018-07": D("29.3"), "2018-08": D("28.0"), "2018-09": D("26.6"), "2019-03": D("26.6")},
        effective=date(2018, 7, 19),
        reason="reset by national guidance from the Quarter 3 2017/18 position",
    )
    return delays


def test_a_month_is_rated_against_the_plan_in_force_at_its_end(area, revised):
    def row(month):
        return next(r for r in rag_summary(area=area, month=month).rows if r.code == revised.code)

    august = row(AUGUST)
    assert august.vs_plan.phrase == "Slightly Off Track (28.6 vs. 28.0 target)"
    assert august.notes == (
        "Target revised from 19 July 2018: reset by national guidance from the Quarter 3 "
        "2017/18 position",
    )
    assert [revision.effective for revision in august.revisions] == [date(2018, 7, 19)]
    june = row(JUNE)  # before the revision took effect: the plan then, and no note
    assert june.vs_plan.phrase == "Off Track (30.2 vs. 23.4 target)"
    assert june.notes == () and june.revisions == ()
    # July ends after 19 July: the revised plan is in force for the whole month
    assert row(JULY).plan == D("29.3")


def test_the_month_by_month_plan_steps_where_the_revision_took_effect(area, revised):
    series = metric_series(area=area, metric=revised, months=FinancialYear(2018).months())
    assert series.plan[:6] == (D("23.4"),) * 3 + (D("29.3"), D("28.0"), D("26.6"))
    assert series.plan[11] == D("26.6")  # a plan the revision added, shown from then on
    # Asked at June, the revision is not yet in force: September had no plan then
    at_june = readings(area=area, metrics=[revised], series="plan", plans_at=JUNE)
    assert {r.period: r.value for r in at_june}["2018-08"] == D("23.4")
    assert "2018-09" in {r.period for r in at_june}  # September's plan was 23.4 before too
    assert "2019-03" not in {r.period for r in at_june}
    # the plans held now, revisions aside
    held = readings(area=area, metrics=[revised], series="plan", plans_at=None)
    assert {r.period: r.value for r in held}["2018-08"] == D("28.0")
    assert EACH_MONTH == "each"


def test_the_spc_target_is_the_plan_in_force(area, revised):
    assert metric_spc(area=area, metric=revised, up_to=AUGUST).target == D("28.0")
    assert metric_spc(area=area, metric=revised, up_to=JUNE).target == D("23.4")


def test_a_rate_follows_its_counts_revised_plan_and_cites_the_revision(area, revised, metrics):
    PopulationFactory(area=area, financial_year=FinancialYear(2018), people=200_000)
    row = next(
        r for r in rag_summary(area=area, month=AUGUST).rows if r.code == "dtoc_delays_per_100k_18"
    )
    assert row.plan == D(14)  # 28.0 a day per 100,000 of 200,000
    assert row.notes[-1].startswith("Target revised from 19 July 2018")
