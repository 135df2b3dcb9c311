"""How fast the highlight report pages and the board pack's reads are with a full area.

Builds a throwaway SQLite database with Southampton's demo data plus seven earlier quarters
of reports for each of its ten schemes (82 reports with all their rows), then times:
  - highlight_reports_for_pack + rendering every report body (what the board pack does),
  - the analysts' quarter overview page and its CSV export,
  - a scheme lead's edit page (GET) and a draft save (POST) of a full report.
Run: .venv/bin/python tests/benchmarks/bench_schemes.py
"""

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
database = Path(tempfile.mkdtemp()) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{database}"
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bettercare.settings_test")
os.environ["ALLOWED_HOSTS"] = "testserver"

import django  # noqa: E402

django.setup()

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.template.loader import render_to_string  # noqa: E402
from django.test import Client  # noqa: E402
from django.urls import reverse  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from bettercare.models import Scheme  # noqa: E402
from bettercare.periods import Quarter  # noqa: E402
from schemes import services  # noqa: E402
from schemes.demo import report_content  # noqa: E402
from schemes.models import HighlightReport  # noqa: E402
from schemes.selectors import highlight_reports_for_pack  # noqa: E402

RUNS = 20


class QueryCounter:
    """Counts the SQL statements run (Django's query log is reset at each request)."""

    def __init__(self):
        self.count = 0

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)


def timed(label, action, runs=RUNS, status=200):
    times = []
    queries = QueryCounter()
    with connection.execute_wrapper(queries):
        response = action()
    if status is not None and response.status_code != status:
        raise SystemExit(f"{label}: answered {response.status_code}, not {status}")
    for _ in range(runs):
        start = time.perf_counter()
        action()
        times.append((time.perf_counter() - start) * 1000)
    print(
        f"{label:<58} median {statistics.median(times):7.1f} ms   "
        f"max {max(times):7.1f} ms   {queries.count:3d} queries"
    )


def build():
    call_command("migrate", verbosity=0)
    area = load_demo(log=lambda line: None)
    from django.contrib.auth import get_user_model

    analyst = get_user_model().objects.get(username="analyst")
    q4 = HighlightReport.objects.select_related("scheme").filter(quarter="2017-18-Q4")
    template = {report.scheme.number: report for report in q4}
    import json

    fixture = json.loads((ROOT / "fixtures/southampton/highlight_reports.json").read_text())
    items = {item["scheme"]: item for item in fixture["reports"]}
    quarter = Quarter.parse("2016-17-Q1")
    # Seven more quarters before 2017/18 Q4 for every scheme, from its Q4 words and figures.
    Scheme.objects.filter(area=area).update(first_year="2016-17")
    for _ in range(7):
        for number, report in template.items():
            services.highlight_report_record_paper(
                scheme=report.scheme,
                quarter=quarter,
                user=analyst,
                content=report_content(
                    items[number], scheme=report.scheme, aims=report.aims, report_date=quarter.end
                ),
                board_dates={},
            )
        quarter = quarter.next()
    return area


def main():
    area = build()
    print(f"{HighlightReport.objects.count()} reports in {Scheme.objects.count()} schemes\n")
    q4 = Quarter.parse("2017-18-Q4")

    def pack():
        for _, report in highlight_reports_for_pack(area=area, quarter=q4):
            render_to_string("schemes/includes/highlight_report_body.html", {"report": report})

    timed("board pack: 10 schemes' Q4 reports read and rendered", pack, status=None)

    analyst = Client()
    analyst.login(username="analyst", password="bettercare-demo")
    overview = reverse("schemes:overview") + "?quarter=2017-18-Q4"
    timed("quarter overview page (10 schemes)", lambda: analyst.get(overview))
    timed("quarter overview CSV export", lambda: analyst.get(overview + "&_export=csv"))
    timed(
        "read view of the Clusters Q4 report",
        lambda: analyst.get(reverse("schemes:report", args=[2, q4])),
    )

    lead = Client()
    lead.login(username="lead-clusters", password="bettercare-demo")
    edit = reverse("schemes:report_edit", args=[2, Quarter.parse("2018-19-Q1")])
    timed("lead's edit page (GET)", lambda: lead.get(edit))
    # A save of the Clusters report with its Q4 content: 8 developments, 14 indicators.
    clusters_q4 = HighlightReport.objects.get(scheme__number=2, quarter=q4)
    draft = HighlightReport.objects.get(scheme__number=2, quarter="2018-19-Q1")
    from tests.schemes.pages import form_data

    rows = {
        "financial_lines": [
            {
                "source": line.source,
                "annual_value": line.annual_value,
                "projected_spend": line.projected_spend,
            }
            for line in clusters_q4.financial_lines.all()
        ],
        "key_developments": [
            {"text": row.text, "aims": [aim.value for aim in row.aims]}
            for row in clusters_q4.key_developments.all()
        ],
        "indicators": [
            {"indicator": row.indicator, "progress": row.progress}
            for row in clusters_q4.indicators.all()
        ],
        "risks": [{"risk": r.risk, "mitigation": r.mitigation} for r in clusters_q4.risks.all()],
    }

    def save():
        return lead.post(edit, form_data(draft, rows=rows, priorities=clusters_q4.priorities))

    timed("lead's draft save (POST) with 24 rows", save, status=302)


if __name__ == "__main__":
    main()
