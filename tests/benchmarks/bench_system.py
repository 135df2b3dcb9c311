"""The system view at national scale: the metrics of 150 areas x 16 metrics x 10 years of
months (as bench_metrics builds them), of which a person holds 10, each with 12 schemes, a
pooled fund and a year's budgets and Month 5 forecasts.

    .venv/bin/python tests/benchmarks/bench_system.py            (or: make bench)

Uses bench_metrics' throwaway database (a temporary SQLite file unless BENCH_DATABASE_URL names
an empty PostgreSQL database). Measures the page /system/2018-19-Q2/ for a viewer of the 10
areas through Django's test client (median of 20; target: under 300 ms) and its queries, and
the same page for 2 areas: the number of queries does not grow with the areas.
"""

from __future__ import annotations

import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))

import bench_metrics as national
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext, setup_test_environment

from bettercare.models import Area, Partner
from bettercare.periods import FinancialYear, parse_quarter
from bettercare.roles import Role
from bettercare.services import scheme_save, user_with_role_save
from finance.services import finance_file_import, pooled_fund_save
from metrics.services import metric_file_import

HELD = 10
SCHEMES = 12
QUARTER = parse_quarter("2018-19-Q2")
URL = f"/system/{QUARTER}/"


def add_schemes_and_finance(area: Area, index: int) -> None:
    nhs = Partner.objects.create(area=area, code="CCG", name=f"{area.name} CCG", kind="nhs")
    council = Partner.objects.create(area=area, code="LA", name=f"{area.name} LA", kind="council")
    for number in range(1, SCHEMES + 1):
        scheme_save(
            area=area,
            number=number,
            name=f"Scheme {number}",
            host=nhs if number % 2 else council,
            first_year=FinancialYear(2017),
        )
    pooled_fund_save(
        area=area,
        financial_year=QUARTER.year,
        national_minimum=Decimal("16000000.00"),
        contributions={
            (nhs, "nhs_minimum"): Decimal("16500000.00") + index,
            (council, "council"): Decimal("9000000.00"),
        },
    )
    lines = ["area,financial_year,scheme,partner,kind,month,amount"]
    for number in range(1, SCHEMES + 1):
        for code in ("CCG", "LA"):
            lines.append(f"{area.code},2018-19,{number},{code},budget,,{100000 + number}.00")
            for month in range(4, 9):
                amount = 100000 + number + month * index
                lines.append(
                    f"{area.code},2018-19,{number},{code},forecast,2018-{month:02d},{amount}.50"
                )
    finance_file_import(data="\n".join(lines).encode(), file_name="finance.csv", area=area)


def measure(client: Client, runs: int = 20) -> tuple[float, int]:
    client.get(URL)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        response = client.get(URL)
        times.append(time.perf_counter() - start)
        assert response.status_code == 200, response.status_code
    with CaptureQueriesContext(connection) as queries:
        client.get(URL)
    return statistics.median(times) * 1000, len(queries.captured_queries)


def main() -> None:
    print(f"Database: {connection.vendor}")
    call_command("migrate", verbosity=0)
    metrics = national.prepare_catalogue()
    areas = [
        Area.objects.create(code=f"E06{n:06d}", name=f"Area {n:03d}") for n in range(national.AREAS)
    ]
    national.add_populations(areas)
    started = time.perf_counter()
    rows = []
    for first in range(0, len(areas), 40):  # files under the import's 200,000 lines
        chunk = national.all_rows(areas[first : first + 40], metrics)
        metric_file_import(content=national.as_csv(chunk), file_name="national.csv", via="command")
        rows.extend(chunk)
    seconds = time.perf_counter() - started
    print(f"  {len(rows):,} metric rows for {len(areas)} areas in {seconds:.0f} s")
    for index, area in enumerate(areas[:HELD]):
        add_schemes_and_finance(area, index)
    setup_test_environment()
    results = {}
    for held in (2, HELD):
        viewer = user_with_role_save(
            username=f"icb-{held}", role=Role.VIEWER, areas=areas[:held], password="bench-pass-1"
        )
        client = Client()
        client.force_login(viewer)
        results[held] = measure(client)
        median, queries = results[held]
        print(f"  system view, {held} areas: {median:.0f} ms median, {queries} queries")
    target = results[HELD][0] < 300
    same = results[2][1] == results[HELD][1]
    print(
        f"  target under 300 ms for {HELD} areas: {'met' if target else 'NOT met'}; "
        f"queries the same for 2 and {HELD} areas: {'yes' if same else 'NO'}"
    )


if __name__ == "__main__":
    main()
