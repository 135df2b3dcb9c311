"""Finance at national scale: 150 areas x 12 schemes x 2 partners x 12 months x 10 years.

    .venv/bin/python tests/benchmarks/bench_finance.py            (or: make bench)

Builds a throwaway SQLite database (or the one BENCH_DATABASE_URL names, which it fills and
leaves: give it an empty database) with 432,000 forecasts and 36,000 budgets, then measures:

- `manage.py finance_summary` for one area and month: in-process (median of 20) and as a whole
  command in a new process, Django start-up included (target: under 1 s);
- the position page for one area and month through Django's test client with production
  settings (median of 30; target: under 150 ms) and its number of queries;
- importing a year's file for one area (312 rows) with django-simple-history, against the same
  writes without history, and re-importing it with every amount changed.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
WORK = Path(tempfile.mkdtemp(prefix="bench-finance-"))
DATABASE_URL = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{WORK / 'bench.sqlite3'}"
os.environ.update(
    DATABASE_URL=DATABASE_URL,
    DJANGO_SETTINGS_MODULE="bettercare.settings",
    DEBUG="false",
    HTTPS="false",
    ALLOWED_HOSTS="localhost",
)

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402

from bettercare.models import (  # noqa: E402
    Area,
    Partner,
    Scheme,
)
from bettercare.periods import FinancialYear, Month  # noqa: E402
from bettercare.roles import Role  # noqa: E402
from bettercare.services import user_with_role_save  # noqa: E402
from finance.models import Budget, Forecast  # noqa: E402
from finance.services import finance_file_import  # noqa: E402

AREAS, SCHEMES, YEARS = 150, 12, 10
FIRST_YEAR = 2009  # 2009-10 to 2018-19
MONTH = Month(2018, 8)


def build() -> None:
    call_command("migrate", verbosity=0)
    started = time.perf_counter()
    areas = Area.objects.bulk_create(
        Area(code=f"E06{index:06d}", name=f"Area {index}") for index in range(1, AREAS + 1)
    )
    partners = Partner.objects.bulk_create(
        Partner(area=area, code=code, name=f"{area.name} {code}", kind=kind)
        for area in areas
        for code, kind in (("CCG", "nhs"), ("SCC", "council"))
    )
    schemes = Scheme.objects.bulk_create(
        Scheme(
            area=area,
            number=number,
            name=f"Scheme {number}",
            host=partners[2 * index],
            first_year=FinancialYear(FIRST_YEAR),
        )
        for index, area in enumerate(areas)
        for number in range(1, SCHEMES + 1)
    )
    by_area = {}
    for scheme in schemes:
        by_area.setdefault(scheme.area_id, []).append(scheme)
    budgets, forecasts = 0, 0
    for index, area in enumerate(areas):
        batch_budgets, batch_forecasts = [], []
        for year in range(FIRST_YEAR, FIRST_YEAR + YEARS):
            fy = FinancialYear(year)
            for scheme in by_area[area.pk]:
                for partner in partners[2 * index : 2 * index + 2]:
                    budget = Decimal(1_000_000 + 1_000 * scheme.number)
                    batch_budgets.append(
                        Budget(
                            area=area,
                            financial_year=fy,
                            scheme=scheme,
                            partner=partner,
                            amount=budget,
                            funding_source=partner.kind,
                        )
                    )
                    for month in fy.months():
                        drift = Decimal((scheme.number * month.number * 37) % 20_000 - 10_000)
                        batch_forecasts.append(
                            Forecast(
                                area=area,
                                financial_year=fy,
                                month=month,
                                scheme=scheme,
                                partner=partner,
                                amount=budget + drift,
                            )
                        )
        Budget.objects.bulk_create(batch_budgets, batch_size=2000)
        Forecast.objects.bulk_create(batch_forecasts, batch_size=2000)
        budgets += len(batch_budgets)
        forecasts += len(batch_forecasts)
    print(
        f"built {AREAS} areas, {len(schemes)} schemes, {budgets:,} budgets and "
        f"{forecasts:,} forecasts in {time.perf_counter() - started:.0f} s ({connection.vendor})"
    )


def timed(function, runs: int) -> list[float]:
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        function()
        times.append((time.perf_counter() - started) * 1000)
    return times


def report(label: str, times: list[float]) -> None:
    print(
        f"{label}: median {statistics.median(times):.1f} ms, "
        f"min {min(times):.1f} ms, max {max(times):.1f} ms ({len(times)} runs)"
    )


def bench_summary(area: Area) -> None:
    with open(os.devnull, "w") as devnull:
        report(
            "finance_summary --format json, in process",
            timed(
                lambda: call_command(
                    "finance_summary", area=area.code, month=str(MONTH), stdout=devnull
                ),
                20,
            ),
        )
    command = [
        sys.executable,
        "manage.py",
        "finance_summary",
        "--area",
        area.code,
        "--month",
        str(MONTH),
        "--format",
        "json",
    ]
    times = []
    for _ in range(5):
        started = time.perf_counter()
        subprocess.run(command, cwd=ROOT, check=True, capture_output=True, env=os.environ)
        times.append((time.perf_counter() - started) * 1000)
    report("finance_summary as a whole command (new process, Django start-up included)", times)


def bench_page(area: Area) -> None:
    analyst = user_with_role_save(
        username="bench-analyst", role=Role.ANALYST, areas=[area], password="bench-password-1"
    )
    client = Client(HTTP_HOST="localhost")
    client.force_login(analyst)
    url = f"/finance/position/?month={MONTH}"
    assert client.get(url).status_code == 200
    with CaptureQueriesContext(connection) as queries:
        client.get(url)
    report(f"position page ({len(queries)} queries)", timed(lambda: client.get(url), 30))
    report("position page CSV export", timed(lambda: client.get(url + "&_export=csv"), 10))


def year_file(area: Area, year: FinancialYear, extra: int) -> bytes:
    lines = ["area,financial_year,scheme,partner,kind,month,amount"]
    for number in range(1, SCHEMES + 1):
        for code in ("CCG", "SCC"):
            lines.append(f"{area.code},{year},{number},{code},budget,,{1_000_000 + extra}.00")
            for month in year.months():
                lines.append(
                    f"{area.code},{year},{number},{code},forecast,{month},"
                    f"{1_000_000 + extra + month.number}.00"
                )
    return "\n".join(lines).encode()


def bench_import(area: Area) -> None:
    year = FinancialYear(FIRST_YEAR + YEARS)  # a new year: every row is new
    data = year_file(area, year, 0)
    rows = data.count(b"\n")

    started = time.perf_counter()
    with transaction.atomic():
        from finance.imports import finance_file_check

        checked = finance_file_check(data=data, file_name="year.csv")
        Budget.objects.bulk_create(
            Budget(
                area=row.area,
                financial_year=row.financial_year,
                scheme=row.scheme,
                partner=row.partner,
                amount=row.amount,
                funding_source=row.partner.kind,
            )
            for row in checked
            if row.kind == "budget"
        )
        Forecast.objects.bulk_create(
            Forecast(
                area=row.area,
                financial_year=row.financial_year,
                month=row.month,
                scheme=row.scheme,
                partner=row.partner,
                amount=row.amount,
            )
            for row in checked
            if row.kind == "forecast"
        )
        without_history = (time.perf_counter() - started) * 1000
        transaction.set_rollback(True)

    started = time.perf_counter()
    plan = finance_file_import(data=data, file_name="year.csv")
    with_history = (time.perf_counter() - started) * 1000
    assert len(plan.new) == rows
    print(
        f"import of {rows} new rows for one area-year: {with_history:.0f} ms with history, "
        f"{without_history:.0f} ms for the same check and writes without history"
    )
    started = time.perf_counter()
    plan = finance_file_import(data=year_file(area, year, 500), file_name="year-again.csv")
    assert len(plan.changed) == rows
    print(
        f"re-import with every amount changed: {(time.perf_counter() - started) * 1000:.0f} ms "
        f"({Forecast.history.count() + Budget.history.count()} history rows in all)"
    )


def main() -> None:
    try:
        build()
        area = Area.objects.get(code=f"E06{AREAS // 2:06d}")
        bench_summary(area)
        bench_page(area)
        bench_import(area)
        print(f"(database: {connection.vendor})")
    finally:
        connection.close()
        shutil.rmtree(WORK, ignore_errors=True)


if __name__ == "__main__":
    main()
