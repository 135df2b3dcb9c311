"""Metrics at national scale: 150 areas x 16 metrics x 10 years of monthly figures, with plans
and breakdowns (334,800 rows), and two rates worked out from them and the populations.

    .venv/bin/python tests/benchmarks/bench_metrics.py
    BENCH_DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/bench_metrics.py

Uses its own throwaway database (a temporary SQLite file unless BENCH_DATABASE_URL names an
empty PostgreSQL database), so it can be rerun. Measures, against the issue's targets:

    import of a 100,000-row file           under 10 s  (new rows, then replacing rows)
    the dashboard for one area             under 150 ms median server time
    rag_summary for one area and month     under 1 s

The catalogue has 16 metrics of different eras, two of them rates worked out from others and
the populations (never loaded); here all are made monthly and valid for the whole ten years, and
two more are added, so every area has 16 monthly series loaded and 2 worked out, from its
populations by year and age group.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
workdir = tempfile.TemporaryDirectory(prefix="bench-metrics-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
)
os.environ["DJANGO_SETTINGS_MODULE"] = "bettercare.settings_test"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import setup_test_environment  # noqa: E402

from bettercare.models import Area  # noqa: E402
from bettercare.periods import Month  # noqa: E402
from bettercare.roles import Role  # noqa: E402
from bettercare.services import user_with_role_save  # noqa: E402
from metrics.models import AgeGroup, Metric, MetricValue, Population  # noqa: E402
from metrics.selectors import rag_summary  # noqa: E402
from metrics.services import metric_file_import  # noqa: E402

AREAS = 150
FIRST = Month(2010, 4)
MONTHS = [FIRST.plus(i) for i in range(120)]  # April 2010 to March 2020
LAST = MONTHS[-1]
PLANNED_METRICS = 10  # plans for the last two years
BROKEN_DOWN = {"nel_admissions": "age_band", "dtoc_delayed_days": "provider"}
PARTS = {"age_band": ["0-17", "18-64", "65+"], "provider": ["UHS", "Solent", "Southern Health"]}
HEADER = ["area", "metric", "period", "series", "value", "breakdown", "status", "note"]


def figure(metric: Metric, area_index: int, month_index: int, scale: int = 1) -> str:
    if metric.unit == "percent":
        return f"{50 + (area_index * 7 + month_index * 3) % 45}.{month_index % 10}"
    return str(scale * (500 + (area_index * 37 + month_index * 11) % 400))


def prepare_catalogue() -> list[Metric]:
    Metric.objects.update(first_year="2010-11", last_year="", frequency="monthly")
    for number in (1, 2):
        Metric.objects.get_or_create(
            code=f"bench_local_{number}",
            defaults={
                "name": f"Local measure {number}",
                "group": "prevention",
                "unit": "count",
                "direction": "lower",
                "ytd_rule": "sum",
                "scope": "local",
                "first_year": "2010-11",
                "display_order": 200 + number,
            },
        )
    metrics = list(Metric.objects.filter(rate_of=None).order_by("display_order"))
    assert len(metrics) == 16 and Metric.objects.exclude(rate_of=None).count() == 2
    return metrics


def add_populations(areas: list[Area]) -> None:
    Population.objects.bulk_create(
        Population(
            area=area,
            financial_year=month.financial_year,
            age_group=group,
            people=people + 97 * n,
            source="Benchmark",
        )
        for n, area in enumerate(areas)
        for month in MONTHS[::12]
        for group, people in (
            (AgeGroup.ALL_AGES, 250_000),
            (AgeGroup.AGED_18_PLUS, 200_000),
            (AgeGroup.AGED_65_PLUS, 34_000),
        )
    )


def all_rows(areas: list[Area], metrics: list[Metric]) -> list[list[str]]:
    rows = []
    for a, area in enumerate(areas):
        for m, metric in enumerate(metrics):
            for i, month in enumerate(MONTHS):
                rows.append([area.code, metric.code, str(month), "actual", figure(metric, a, i)])
                if m < PLANNED_METRICS and i >= len(MONTHS) - 24:
                    rows.append([area.code, metric.code, str(month), "plan", figure(metric, a, 0)])
                kind = BROKEN_DOWN.get(metric.code)
                if kind and i >= len(MONTHS) - 12:
                    for part in PARTS[kind]:
                        rows.append(
                            [
                                area.code,
                                metric.code,
                                str(month),
                                "actual",
                                str(int(figure(metric, a, i)) // 3),
                                f"{kind}:{part}",
                            ]
                        )
    return rows


def revised(value: str) -> str:
    """A different figure of the same kind: one more, or one more decimal digit."""
    return value + "1" if "." in value else str(int(value) + 1)


def as_csv(rows) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(HEADER)
    writer.writerows(row + [""] * (len(HEADER) - len(row)) for row in rows)
    return out.getvalue().encode()


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def imported(rows, name: str, **revision):
    content = as_csv(rows)
    result, seconds = timed(
        lambda: metric_file_import(content=content, file_name=name, via="command", **revision)
    )
    revisions = f"; {len(result.revisions):,} plan revisions" if result.revisions else ""
    print(
        f"  {name}: {len(rows):,} rows ({result.new:,} new, {result.replaced:,} replaced, "
        f"{result.unchanged:,} unchanged{revisions}) in {seconds:.2f} s"
    )
    return seconds


def main() -> None:
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    metrics = prepare_catalogue()
    areas = [Area.objects.create(code=f"E06{n:06d}", name=f"Area {n}") for n in range(AREAS)]
    add_populations(areas)
    rows = all_rows(areas, metrics)
    print(
        f"{len(rows):,} rows for {AREAS} areas x {len(metrics)} metrics x "
        f"{len(MONTHS)} months (with plans and breakdowns)"
    )

    print("Import (whole-file check, write, history):")
    first, second, rest = rows[:100_000], rows[100_000:200_000], rows[200_000:]
    new_empty = imported(first, "first-100k.csv")
    new_full = imported(second, "second-100k.csv")
    imported(rest, "rest.csv")
    changed = [[*row[:4], revised(row[4]), *row[5:]] for row in second]
    # Its plans change too: a plan revision for each area, metric and year, with the plans it
    # replaced, as the command records with --reason (from the first day of 2018/19, so that
    # both years it revises are rated against it).
    replacing = imported(
        changed,
        "second-100k-revised.csv",
        revision_reason="Plans reset for the benchmark",
        revision_effective=dt.date(2018, 4, 1),
    )
    unchanged = imported(changed, "second-100k-revised-again.csv")
    held = MetricValue.objects.count()
    print(f"  figures held: {held:,}; history records: {MetricValue.history.count():,}")

    setup_test_environment()
    area = areas[len(areas) // 2]
    analyst = user_with_role_save(username="bench", role=Role.ANALYST, areas=[area])
    client = Client()
    client.force_login(analyst)
    url = f"/metrics/?month={LAST}"
    for _ in range(3):
        assert client.get(url).status_code == 200
    times = []
    for _ in range(30):
        _, seconds = timed(lambda: client.get(url))
        times.append(seconds)
    queries = []
    # Counted by wrapping the cursor: the request's own signals reset Django's query log.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        client.get(url)
    page = client.get(url).content.decode()
    assert page.count('class="bc-rag ') >= 18, "the dashboard should rate every metric"
    dashboard_median = statistics.median(times)
    print(
        f"Dashboard for one area ({url}): median {dashboard_median * 1000:.0f} ms, "
        f"90th percentile {sorted(times)[26] * 1000:.0f} ms, {len(queries)} queries"
    )
    export_times = [timed(lambda: client.get(url + "&_export=xlsx"))[1] for _ in range(5)]
    print(f"Dashboard XLSX export: median {statistics.median(export_times) * 1000:.0f} ms")

    summary_times = []
    for _ in range(10):
        out = io.StringIO()
        _, seconds = timed(
            lambda out=out: call_command(
                "rag_summary", "--area", area.code, "--month", str(LAST), stdout=out
            )
        )
        summary_times.append(seconds)
    selector_times = [timed(lambda: rag_summary(area=area, month=LAST))[1] for _ in range(10)]
    summary_median = statistics.median(summary_times)
    print(
        f"rag_summary command: median {summary_median * 1000:.0f} ms "
        f"(selector alone {statistics.median(selector_times) * 1000:.0f} ms)"
    )

    verdicts = [
        ("import 100,000 new rows < 10 s", max(new_empty, new_full) < 10),
        ("import replacing 100,000 rows < 10 s", replacing < 10),
        ("re-import of 100,000 unchanged rows < 10 s", unchanged < 10),
        ("dashboard median < 150 ms", dashboard_median < 0.150),
        ("rag_summary < 1 s", summary_median < 1),
    ]
    for label, ok in verdicts:
        print(f"  {'PASS' if ok else 'FAIL'}  {label}")
    if not all(ok for _, ok in verdicts):
        sys.exit(1)


if __name__ == "__main__":
    try:
        main()
    finally:
        workdir.cleanup()
