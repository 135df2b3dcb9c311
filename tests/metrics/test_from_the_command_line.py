"""Issue 13's "done when", end to end through the command line only: populations and figures
loaded with `import_populations` and `import_metrics` (a plan revision with its reason), then
read back with `rag_summary --format json` as a script or the pack would store it."""

import io
import json
from decimal import Decimal as D

import pytest
from django.core.management import call_command

from bettercare.periods import Month

from .factories import figures_csv, monthly

pytestmark = pytest.mark.django_db
SOTON = "E06000045"
APRIL_2018, APRIL_2017 = Month(2018, 4), Month(2017, 4)


def write(tmp_path, name: str, content: bytes) -> str:
    path = tmp_path / name
    path.write_bytes(content)
    return str(path)


def run(*args) -> str:
    out = io.StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_rates_as_rates_counts_relative_rates_from_populations_and_the_revision(area, tmp_path):
    populations = figures_csv(
        [
            (SOTON, year, group, people, "ONS mid-year estimates")
            for year in ("2017-18", "2018-19")
            for group, people in (("all", "252,500"), ("18+", "200,800"), ("65+", "34,134"))
        ],
        header=["area", "financial_year", "age_group", "population", "source"],
    )
    assert "6 new" in run("import_populations", write(tmp_path, "people.csv", populations))
    figures = [
        (SOTON, "dtoc_rate", "2018-08", "actual", "4.3"),
        (SOTON, "dtoc_rate", "2018-08", "plan", "3.5"),
        (SOTON, "dtoc_rate", "2017-08", "actual", "5.6"),
        *monthly(SOTON, "nel_admissions", APRIL_2018, [2400, 2350, 2420, 2460, 2390]),
        *monthly(SOTON, "nel_admissions", APRIL_2018, [2370] * 5, series="plan"),
        *monthly(SOTON, "nel_admissions", APRIL_2017, [2300, 2280, 2390, 2400, 2350]),
        *monthly(SOTON, "dtoc_avg_daily_delays", APRIL_2018, [33, 31, 30, 29.5, 28.6]),
        *monthly(SOTON, "dtoc_avg_daily_delays", APRIL_2018, ["23.4"] * 6, series="plan"),
        (SOTON, "dtoc_avg_daily_delays", "2017-08", "actual", "40.2"),
        *monthly(SOTON, "res_admissions_65", APRIL_2018, [20, 22, 21, 21, 23]),
        *monthly(SOTON, "res_admissions_65", APRIL_2018, [21] * 5, series="plan"),
    ]
    run("import_metrics", write(tmp_path, "figures.csv", figures_csv(figures)))
    revised = figures_csv(
        monthly(SOTON, "dtoc_avg_daily_delays", Month(2018, 7), ["29.3", "28.0", "26.6"], "plan")
    )
    printed = run(
        "import_metrics",
        write(tmp_path, "revised.csv", revised),
        "--reason",
        "Reset by national guidance from the Quarter 3 2017/18 position",
        "--effective",
        "2018-07-19",
    )
    assert "1 plan revision recorded" in printed

    summary = json.loads(
        run("rag_summary", "--area", SOTON, "--month", "2018-08", "--format", "json")
    )
    rows = {row["metric"]: row for row in summary["metrics"]}
    # a latest-month percentage: both figures
    assert rows["dtoc_rate"]["vs_plan"]["text"] == "Off Track (4.3% vs. 3.5% target)"
    assert rows["dtoc_rate"]["vs_last_year"]["text"] == "Better (5.6% in August last year)"
    # the RAG rule is still on the relative difference, and the old keys keep their values
    assert rows["dtoc_rate"]["vs_plan"]["rag"] == "red"
    assert rows["dtoc_rate"]["vs_plan"]["pct"] == pytest.approx((4.3 - 3.5) / 3.5 * 100)
    # a count: relative
    nel = rows["nel_admissions"]
    assert nel["vs_plan"]["text"] == "Slightly Off Track (1% higher than target)"
    assert nel["vs_last_year"]["text"] == "Slightly Worse (3% higher than last year)"
    # average daily delays against the revised plan in force in August
    delays = rows["dtoc_avg_daily_delays"]
    assert delays["vs_plan"]["text"] == "Slightly Off Track (28.6 vs. 28.0 target)"
    # the rate per 100,000 aged 18+, worked out from the count and the population, and its
    # plan from the revised plan
    per_100k = rows["dtoc_delays_per_100k_18"]
    assert D(str(per_100k["actual"])).quantize(D("0.001")) == (
        D("28.6") * 100_000 / 200_800
    ).quantize(D("0.001"))
    assert D(str(per_100k["plan"])).quantize(D("0.001")) == (
        D("28.0") * 100_000 / 200_800
    ).quantize(D("0.001"))
    assert per_100k["vs_plan"]["text"] == "Slightly Off Track (14.2 vs. 13.9 target)"
    admissions_rate = rows["res_admissions_65_rate"]
    assert D(str(admissions_rate["actual"])).quantize(D("0.01")) == (
        D(107) * 100_000 / 34_134
    ).quantize(D("0.01"))

    table = run("rag_summary", "--area", SOTON, "--month", "2018-08", "--format", "table")
    # the table for a person reads the revision among its notes, as the pack's table does
    assert (
        "Delayed Transfers of Care: average daily delays: Target revised from 19 July 2018: "
        "Reset by national guidance from the Quarter 3 2017/18 position"
    ) in table.split("Notes:")[1]
