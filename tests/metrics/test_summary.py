"""The RAG summary: one source for the dashboard, its export, the command line and the pack.

The board's table below was worked out by hand, as an analyst would in Excel, from the figures
loaded in `board_figures`; the summary must reproduce every label and every rounded text."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import CommandError, call_command

from bettercare.periods import FinancialYear, Month, Quarter
from metrics.selectors import latest_data_month, rag_summary

from .factories import figures_csv, monthly

pytestmark = pytest.mark.django_db
SOTON = "E06000045"
APRIL_2018, APRIL_2017 = Month(2018, 4), Month(2017, 4)
AUGUST_2018 = Month(2018, 8)


NONE = "\u2013"  # an en dash: how a missing figure is shown
# metric: actual, plan, last year, against plan, its text, against last year, its text. Counts
# (compared over the year to date) read relatively; rates and percentages, compared on the
# month alone, give both figures.
BOARD_TABLE = [
    (
        "ae_attendances",
        "30,500",
        NONE,
        "30,000",
        "No Target set",
        "",
        "Slightly Worse",
        "2% higher than last year",
    ),
    (
        "nel_admissions",
        "12,020",
        "11,850",
        "11,720",
        "Slightly Off Track",
        "1% higher than target",
        "Slightly Worse",
        "3% higher than last year",
    ),
    ("nel_short_stay", "4,500", NONE, NONE, "No Target set", "", "Data not available", ""),
    (
        "nel_super_stranded",
        "1,099",
        NONE,
        "1,000",
        "No Target set",
        "",
        "Slightly Worse",
        "10% higher than last year",
    ),
    (
        "dtoc_delayed_days",
        "5,500",
        "4,600",
        "7,000",
        "Off Track",
        "20% higher than target",
        "Better",
        "21% lower than last year",
    ),
    (
        "dtoc_rate",
        "3.5%",
        "3.5%",
        "3.9%",
        "On Track",
        "3.5% vs. 3.5% target",
        "Better",
        "3.9% in August last year",
    ),
    (
        "dtoc_avg_daily_delays",
        "11.6",
        "11.6",
        "21.8",
        "Slightly Off Track",
        "11.65 vs. 11.64 target",
        "Better",
        "21.8 in August last year",
    ),
    # worked out from the average daily delays: no population aged 18+ is held
    (
        "dtoc_delays_per_100k_18",
        NONE,
        NONE,
        NONE,
        "Data not available",
        "",
        "Data not available",
        "",
    ),
    ("res_admissions_65", NONE, "105", "110", "Data not available", "", "Data not available", ""),
    (
        "res_admissions_65_rate",
        NONE,
        NONE,
        NONE,
        "Data not available",
        "",
        "Data not available",
        "",
    ),
    (
        "falls_injuries_65",
        "419",
        "425",
        "414",
        "On Track",
        "1% lower than target",
        "Slightly Worse",
        "1% higher than last year",
    ),
]


def test_month_5_summary_reproduces_the_boards_hand_made_table(board_figures):
    summary = rag_summary(area=board_figures, month=AUGUST_2018)
    produced = [
        (
            row.code,
            row.actual_display,
            row.plan_display,
            row.last_year_display,
            row.vs_plan.label,
            row.vs_plan.text,
            row.vs_last_year.label,
            row.vs_last_year.text,
        )
        for row in summary.rows
    ]
    assert produced == BOARD_TABLE
    assert summary.financial_year == FinancialYear(2018) and summary.month_number == 5


def test_rows_carry_group_status_and_caveats_for_the_pack(board_figures):
    rows = {row.code: row for row in rag_summary(area=board_figures, month=AUGUST_2018).rows}
    dtoc = rows["dtoc_delayed_days"]
    assert dtoc.group_label == "Discharge & Out of Hospital Model"
    assert dtoc.status == "provisional"
    assert dtoc.notes == ("Southern Health did not submit DTOC data for May.",)
    assert rows["res_admissions_65"].status == "not_available"
    assert rows["falls_injuries_65"].group_label == "Prevention"
    assert rows["nel_admissions"].group_label == "Urgent Care Demand"
    assert rows["nel_admissions"].status == "final" and rows["nel_admissions"].notes == ()
    # A rate compares the month alone: its compared figure is the month's own.
    assert rows["dtoc_rate"].periods == ("2018-08",)
    # A yearly metric is compared only once its year has ended.
    assert "reablement_91" not in rows
    # A rate worked out without its population says why it has no figure.
    assert rows["dtoc_delays_per_100k_18"].notes == (
        "No population aged 18+ is held for Southampton for 2018/19, so this rate cannot be "
        "worked out.",
    )
    assert rows["nel_admissions"].periods == tuple(str(m) for m in AUGUST_2018.year_to_date())
    assert rows["nel_admissions"].month_actual == D(2390)
    groups = [label for label, _ in rag_summary(area=board_figures, month=AUGUST_2018).groups()]
    assert groups == ["Urgent Care Demand", "Discharge & Out of Hospital Model", "Prevention"]


def test_breakdown_rows_are_summarised_apart_and_never_change_the_areas_figures(board_figures):
    older = rag_summary(area=board_figures, month=AUGUST_2018, breakdown="age_band:65+")
    assert [row.code for row in older.rows] == ["nel_admissions"]
    assert older.rows[0].actual == D(5500)
    assert older.rows[0].vs_plan.label == "No Target set"
    whole = rag_summary(area=board_figures, month=AUGUST_2018)
    assert whole.rows[1].actual == D(12020)


def test_filter_by_group_and_metrics_without_figures_that_month_are_left_out(board_figures):
    prevention = rag_summary(area=board_figures, month=AUGUST_2018, groups=["prevention"])
    assert [row.code for row in prevention.rows] == ["falls_injuries_65"]
    # In July 2018 the snapshot metrics (loaded for August only) have no figures.
    july = rag_summary(area=board_figures, month=Month(2018, 7))
    assert "dtoc_rate" not in [row.code for row in july.rows]
    assert "nel_admissions" in [row.code for row in july.rows]


def test_as_dict_is_the_json_of_the_command(board_figures):
    summary = rag_summary(area=board_figures, month=AUGUST_2018)
    out = io.StringIO()
    call_command("rag_summary", "--area", SOTON, "--month", "2018-08", stdout=out)
    printed = json.loads(out.getvalue())
    assert printed == json.loads(json.dumps(summary.as_dict()))
    assert list(printed) == ["area", "month", "financial_year", "month_number", "metrics"]
    assert (printed["area"], printed["month"], printed["financial_year"]) == (
        SOTON,
        "2018-08",
        "2018-19",
    )
    assert printed["month_number"] == 5
    nel = printed["metrics"][1]
    assert list(nel) == [
        "metric",
        "name",
        "unit",
        "direction",
        "ytd_rule",
        "actual",
        "plan",
        "last_year",
        "vs_plan",
        "vs_last_year",
    ]
    assert nel["metric"] == "nel_admissions"
    assert (nel["unit"], nel["direction"], nel["ytd_rule"]) == ("count", "lower", "sum")
    assert (nel["actual"], nel["plan"], nel["last_year"]) == (12020, 11850, 11720)
    assert nel["vs_plan"] == {
        "pct": 170 / 11850 * 100,
        "rag": "amber",
        "label": "Slightly Off Track",
        "text": "Slightly Off Track (1% higher than target)",
    }
    # every key the JSON had keeps its place; `text`, the phrase as printed, comes last
    assert list(nel["vs_plan"]) == ["pct", "rag", "label", "text"]
    assert list(nel["vs_last_year"]) == ["pct", "rag", "label", "text"]
    assert nel["vs_last_year"]["text"] == "Slightly Worse (3% higher than last year)"
    ae = printed["metrics"][0]
    assert ae["plan"] is None
    assert ae["vs_plan"] == {
        "pct": None,
        "rag": None,
        "label": "No Target set",
        "text": "No Target set",
    }
    # a latest-month percentage gives both figures
    rate = next(row for row in printed["metrics"] if row["metric"] == "dtoc_rate")
    assert rate["vs_plan"]["text"] == "On Track (3.5% vs. 3.5% target)"
    assert rate["vs_last_year"]["text"] == "Better (3.9% in August last year)"
    res = next(row for row in printed["metrics"] if row["metric"] == "res_admissions_65")
    assert res["actual"] is None  # June missing


def test_command_table_format_and_errors(board_figures):
    out = io.StringIO()
    call_command(
        "rag_summary", "--area", SOTON, "--month", "2018-08", "--format", "table", stdout=out
    )
    text = out.getvalue()
    assert text.startswith("Southampton (E06000045), Month 5, 31 August 2018, 2018/19")
    assert "Slightly Off Track (1% higher than target)" in text
    with pytest.raises(CommandError, match="no area with the code E06999999"):
        call_command("rag_summary", "--area", "E06999999", "--month", "2018-08")
    with pytest.raises(CommandError, match="is not a month"):
        call_command("rag_summary", "--area", SOTON, "--month", "August")


def test_latest_data_month_is_the_last_month_with_actual_figures_up_to_the_quarters_end(
    board_figures, load
):
    q2 = Quarter(FinancialYear(2018), 2)
    assert latest_data_month(area=board_figures, quarter=q2) == AUGUST_2018
    assert latest_data_month(area=board_figures, quarter=q2).data_label == (
        "Month 5, 31 August 2018"
    )
    assert latest_data_month(area=board_figures, quarter=q2.previous()) == Month(2018, 6)
    assert latest_data_month(area=board_figures, quarter=Quarter(FinancialYear(2016), 1)) is None
    # Plans, breakdowns and figures marked not available do not count as data.
    load(
        figures_csv(
            [
                (SOTON, "nel_admissions", "2018-09", "plan", "2400"),
                (SOTON, "nel_admissions", "2018-09", "actual", "700", "age_band:65+"),
                (SOTON, "ae_attendances", "2018-09", "actual", "", "", "not available"),
            ]
        )
    )
    assert latest_data_month(area=board_figures, quarter=q2) == AUGUST_2018


def test_other_areas_figures_never_enter_a_summary(board_figures, other_area, load):
    load(figures_csv(monthly(other_area.code, "nel_admissions", APRIL_2018, [1] * 5)))
    rows = rag_summary(area=board_figures, month=AUGUST_2018).rows
    assert rows[1].actual == D(12020)
    theirs = rag_summary(area=other_area, month=AUGUST_2018).rows
    assert [(row.code, row.actual) for row in theirs] == [("nel_admissions", D(5))]


def test_a_quarterly_metric_is_compared_in_the_month_its_quarter_ends(area, load):
    load(
        figures_csv(
            [
                (SOTON, "avoidable_admissions", "2023-24-Q2", "actual", "180"),
                (SOTON, "avoidable_admissions", "2023-24-Q2", "plan", "190"),
                (SOTON, "avoidable_admissions", "2022-23-Q2", "actual", "200"),
            ]
        )
    )
    (row,) = rag_summary(area=area, month=Month(2023, 9)).rows
    assert (row.actual, row.plan, row.last_year) == (D(180), D(190), D(200))
    assert row.vs_plan.label == "On Track" and row.vs_last_year.label == "Better"
    assert rag_summary(area=area, month=Month(2023, 8)).rows == ()


def test_a_yearly_metric_is_compared_in_the_month_its_year_ends(board_figures):
    rows = {row.code: row for row in rag_summary(area=board_figures, month=Month(2018, 3)).rows}
    reablement = rows["reablement_91"]
    assert reablement.periods == ("2017-18",)
    assert reablement.vs_plan.phrase == "Off Track (81.0% vs. 90.0% target)"  # higher is better
    assert reablement.vs_last_year.phrase == "Worse (90.0% in 2016/17)"
