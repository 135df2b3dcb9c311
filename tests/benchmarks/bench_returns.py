"""The quarterly return to NHS England: `export_return` for Southampton's Q2 2018/19, the demo's
data among national-scale metrics (the demo's area plus 149 more, each with 15 national and
local metrics x 10 years of monthly figures), against the issue's target:

    export_return                         under 2 s (the whole command: read, workbook, file)

and the same workbook through the Reports page (the download's server time), with the queries
each makes: they do not grow with the number of areas held.

    .venv/bin/python tests/benchmarks/bench_returns.py   (or `make bench`)
    BENCH_DATABASE_URL=postgres://... .venv/bin/python tests/benchmarks/bench_returns.py

Uses its own throwaway database (a temporary SQLite file unless BENCH_DATABASE_URL names an
empty PostgreSQL database). BENCH_AREAS sets the number of other areas (default 149).
"""

from __future__ import annotations

import io
import os
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
workdir = tempfile.TemporaryDirectory(prefix="bench-returns-")
os.environ["DATABASE_URL"] = os.environ.get(
    "BENCH_DATABASE_URL", f"sqlite:///{Path(workdir.name) / 'bench.sqlite3'}"
)
os.environ["DJANGO_SETTINGS_MODULE"] = "bettercare.settings_test"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

import openpyxl  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext, setup_test_environment  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from bettercare.models import Area  # noqa: E402
from bettercare.periods import Month, parse_quarter  # noqa: E402
from metrics.models import Metric, MetricValue  # noqa: E402
from reports.returns import SHEET_NAMES, return_workbook  # noqa: E402
from reports.selectors import quarterly_return  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "7"))
OTHER_AREAS = int(os.environ.get("BENCH_AREAS", "149"))
MONTHS = [Month(2010, 4).plus(i) for i in range(120)]  # April 2010 to March 2020
QUARTER = parse_quarter("2018-19-Q2")
TARGET = 2.0


def timed(action) -> float:
    start = time.perf_counter()
    action()
    return time.perf_counter() - start


def add_other_areas(count: int) -> int:
    """`count` more areas, each with a figure for every month of ten years for every metric
    loaded as it is published (not the worked-out rates)."""
    metrics = list(Metric.objects.filter(rate_of=None))
    areas = Area.objects.bulk_create(
        Area(code=f"E08{index:06d}", name=f"Benchmark area {index}") for index in range(count)
    )
    made = 0
    for area_index, area in enumerate(areas):
        rows = [
            MetricValue(
                area=area,
                metric=metric,
                period=str(month),
                end_month=month,
                series="actual",
                value=Decimal(50 + (area_index * 7 + month_index * 3) % 45),
            )
            for metric in metrics
            for month_index, month in enumerate(MONTHS)
        ]
        MetricValue.objects.bulk_create(rows, batch_size=5000)
        made += len(rows)
    return made


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo(log=lambda line: None)
    start = time.perf_counter()
    figures = add_other_areas(OTHER_AREAS)
    print(
        f"{OTHER_AREAS} more areas, {figures:,} monthly figures, in "
        f"{time.perf_counter() - start:.0f} s ({connection.vendor})"
    )
    area = Area.objects.get(code="E06000045")
    output = Path(workdir.name) / "return.xlsx"

    # The command as people run it: a fresh process each time (Django's start-up included).
    command = [
        sys.executable,
        str(ROOT / "manage.py"),
        "export_return",
        "--area",
        "E06000045",
        "--quarter",
        str(QUARTER),
        "--output",
        str(output),
    ]
    env = {**os.environ}
    whole = []
    for _ in range(RUNS):
        whole.append(
            timed(lambda: subprocess.run(command, env=env, check=True, capture_output=True))
        )
    assert openpyxl.load_workbook(output).sheetnames == list(SHEET_NAMES)

    # Inside one process: reading the return and writing the workbook, and its queries.
    inside = [timed(lambda: return_workbook(quarterly_return(area=area, quarter=QUARTER)))
              for _ in range(RUNS)]
    with CaptureQueriesContext(connection) as queries:
        return_workbook(quarterly_return(area=area, quarter=QUARTER))

    setup_test_environment()
    client = Client()
    client.force_login(get_user_model().objects.get(username="analyst"))
    url = f"/reports/return/return.xlsx?quarter={QUARTER}"
    assert client.get(url).status_code == 200  # warm
    page = []
    for _ in range(RUNS):
        page.append(timed(lambda: client.get(url)))
    with CaptureQueriesContext(connection) as page_queries:
        response = client.get(url)
    assert openpyxl.load_workbook(io.BytesIO(response.content)).sheetnames == list(SHEET_NAMES)

    median = statistics.median(whole)
    print(
        f"export_return (the whole command, a new process)   median {median:5.2f} s  "
        f"slowest {max(whole):5.2f} s  target < {TARGET:.0f} s: "
        f"{'met' if median < TARGET else 'MISSED'}"
    )
    print(
        f"the return read and its workbook written           median "
        f"{statistics.median(inside):5.2f} s  slowest {max(inside):5.2f} s  "
        f"{len(queries)} queries"
    )
    print(
        f"the Reports page's download (server time)          median "
        f"{statistics.median(page):5.2f} s  slowest {max(page):5.2f} s  "
        f"{len(page_queries)} queries"
    )
    if median >= TARGET:
        sys.exit(1)


if __name__ == "__main__":
    main()
