"""Benchmarking between areas at national scale: 150 areas and 2 comparators x 15 metrics x 10
years of monthly figures (273,600 rows), with populations by year and age group.

    .venv/bin/python tests/benchmarks/bench_benchmarking.py
    BENCH_DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/bench_benchmarking.py

Uses its own throwaway database (a temporary SQLite file unless BENCH_DATABASE_URL names an
empty PostgreSQL database), so it can be rerun. Measures, against issue 15's targets, for one
metric and month:

    the benchmarking page (/metrics/benchmark/), for a person holding all 150 areas
                                                 under 300 ms median server time
    manage.py benchmark --format json, every area in the installation
                                                 under 300 ms median (in process, no start-up)

and prints the queries of each, which do not grow with the areas (the tests assert it with 2
and 5 areas). The figures are written with bulk_create, not the import: the import's own speed
is bench_metrics.py's.
"""

from __future__ import annotations

import io
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
workdir = tempfile.TemporaryDirectory(prefix="bench-benchmarking-")
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
from metrics.selectors.benchmarks import benchmark  # noqa: E402

AREAS = 150
METRICS = 15
FIRST = Month(2010, 4)
MONTHS = [FIRST.plus(i) for i in range(120)]  # April 2010 to March 2020
MONTH = Month(2018, 8)
TARGET = 0.300
COMPARATORS = {"E92000001": ("England", 300), "SNBENCH01": ("Statistical neighbours", 12)}


def timed(action):
    start = time.perf_counter()
    result = action()
    return result, time.perf_counter() - start


def counted(action) -> int:
    queries = []
    # Counted by wrapping the cursor: the request's own signals reset Django's query log.
    with connection.execute_wrapper(
        lambda execute, sql, *args: queries.append(sql) or execute(sql, *args)
    ):
        action()
    return len(queries)


def median_ms(action, runs: int) -> tuple[float, float]:
    for _ in range(3):
        action()
    times = sorted(timed(action)[1] for _ in range(runs))
    return statistics.median(times) * 1000, times[int(len(times) * 0.9) - 1] * 1000


def figure(metric: Metric, area_index: int, month_index: int, scale: int) -> str:
    if metric.unit == "percent":
        return f"{50 + (area_index * 7 + month_index * 3) % 45}.{month_index % 10}"
    return str(scale * (500 + (area_index * 37 + month_index * 11) % 400))


def load() -> tuple[list[Area], list[Metric]]:
    Metric.objects.update(first_year="2010-11", last_year="", frequency="monthly")
    # The catalogue loads 14 metrics (and works out 2 more); a local measure makes 15.
    Metric.objects.get_or_create(
        code="bench_local",
        defaults={
            "name": "Local measure",
            "group": "prevention",
            "unit": "count",
            "direction": "lower",
            "ytd_rule": "sum",
            "scope": "local",
            "first_year": "2010-11",
            "display_order": 200,
        },
    )
    metrics = list(Metric.objects.filter(rate_of=None).order_by("display_order")[:METRICS])
    assert len(metrics) == METRICS, len(metrics)
    areas = [Area.objects.create(code=f"E06{n:06d}", name=f"Area {n:03d}") for n in range(AREAS)]
    comparators = [
        Area.objects.create(code=code, name=name, kind=Area.Kind.COMPARATOR)
        for code, (name, _) in COMPARATORS.items()
    ]
    scales = {area.pk: 1 for area in areas} | {
        area.pk: COMPARATORS[area.code][1] for area in comparators
    }
    everyone = [*areas, *comparators]
    Population.objects.bulk_create(
        Population(
            area=area,
            financial_year=month.financial_year,
            age_group=group,
            people=(people + 97 * n) * scales[area.pk],
            source="Benchmark",
        )
        for n, area in enumerate(everyone)
        for month in MONTHS[::12]
        for group, people in (
            (AgeGroup.ALL_AGES, 250_000),
            (AgeGroup.AGED_18_PLUS, 200_000),
            (AgeGroup.AGED_65_PLUS, 34_000),
        )
    )
    for n, area in enumerate(everyone):
        MetricValue.objects.bulk_create(
            (
                MetricValue(
                    area=area,
                    metric=metric,
                    period=str(month),
                    end_month=month,
                    series="actual",
                    value=figure(metric, n, i, scales[area.pk]),
                )
                for metric in metrics
                for i, month in enumerate(MONTHS)
            ),
            batch_size=2000,
        )
    return areas, metrics


def main() -> None:
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    (areas, metrics), seconds = timed(load)
    held = MetricValue.objects.count()
    print(
        f"{held:,} figures: {AREAS} areas and {len(COMPARATORS)} comparators x {len(metrics)} "
        f"metrics x {len(MONTHS)} months, written in {seconds:.1f} s"
    )

    setup_test_environment()
    analyst = user_with_role_save(username="bench", role=Role.ANALYST, areas=areas)
    client = Client()
    client.force_login(analyst)
    results = []
    for code in ("nel_admissions", "res_admissions_65_rate", "dtoc_rate"):
        url = f"/metrics/benchmark/?metric={code}&month={MONTH}"
        response = client.get(url)
        assert response.status_code == 200
        bench = response.context["bench"]
        assert bench.result.ranked == AREAS and len(bench.result.comparators) == 2, code
        page_median, page_p90 = median_ms(lambda url=url: client.get(url), 20)
        page_queries = counted(lambda url=url: client.get(url))

        def command(code=code):
            call_command(
                "benchmark", "--metric", code, "--month", str(MONTH), stdout=io.StringIO()
            )

        command_median, _ = median_ms(command, 20)
        command_queries = counted(command)
        selector_median, _ = median_ms(
            lambda code=code: benchmark(metric=code, month=MONTH), 20
        )
        print(
            f"{code} {MONTH}: page median {page_median:.0f} ms (90th percentile "
            f"{page_p90:.0f} ms, {page_queries} queries); command median "
            f"{command_median:.0f} ms ({command_queries} queries); selector and pandas alone "
            f"{selector_median:.0f} ms"
        )
        results.append((code, page_median, command_median))

    verdicts = [
        (f"{code}: {what} median < {TARGET * 1000:.0f} ms", ms < TARGET * 1000)
        for code, page_ms, command_ms in results
        for what, ms in (("page", page_ms), ("command", command_ms))
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
