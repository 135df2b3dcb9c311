"""Benchmark of the board pack: the HTML view, the PDF build, and WeasyPrint alone laying out
the same HTML. Uses a throwaway SQLite database with the Southampton demo data.

    .venv/bin/python tests/benchmarks/bench_reports.py   (or `make bench`)

Figures are medians (and the slowest) of several runs, in seconds.
"""

from __future__ import annotations

import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))
database = Path(tempfile.mkdtemp(prefix="bench-reports-")) / "bench.sqlite3"
os.environ["DATABASE_URL"] = f"sqlite:///{database}"
os.environ["DJANGO_SETTINGS_MODULE"] = "bettercare.settings_test"
os.environ.setdefault("ALLOWED_HOSTS", "testserver,localhost")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from reports.assembly import (  # noqa: E402
    FULL,
    PRINT,
    PUBLIC,
    PackAssembly,
    pack_pdfs_build,
    run_to_end,
)
from reports.models import Pack  # noqa: E402
from reports.pdf import render_pdf  # noqa: E402


def timed(function, runs: int) -> tuple[float, float, object]:
    seconds, result = [], None
    for _ in range(runs):
        start = time.perf_counter()
        result = function()
        seconds.append(time.perf_counter() - start)
    return statistics.median(seconds), max(seconds), result


def report(label: str, median: float, slowest: float, note: str = "") -> None:
    print(f"{label:<58} median {median:6.3f} s   slowest {slowest:6.3f} s   {note}")


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo(log=lambda line: None)
    pack = Pack.objects.get(board="JCB", quarter="2018-19-Q2")
    client = Client()
    client.force_login(get_user_model().objects.get(username="secretary"))
    url = f"/reports/packs/{pack.pk}/"
    assert client.get(url).status_code == 200  # warm: imports, templates, sessions

    print(f"Board pack benchmark: {pack}, demo data, database {database.name}")
    median, slowest, _ = timed(lambda: client.get(url), runs=20)
    report("HTML view of the pack (GET, logged in)", median, slowest)

    def build(outputs, isolate):
        return lambda: run_to_end(
            pack_pdfs_build(pack, version_label="Benchmark", outputs=outputs, isolate=isolate)
        )

    charts = len(PackAssembly(pack, version_label="Benchmark").charts)
    median, slowest, _ = timed(
        lambda: PackAssembly(pack, version_label="Benchmark").draw_charts(PRINT), runs=5
    )
    report(
        "Reading the data and drawing the charts as SVG",
        median,
        slowest,
        f"{charts} chart{'s' if charts != 1 else ''}, one Chromium started per build",
    )

    html = PackAssembly(pack, version_label="Benchmark").print_html(public=False)
    render_pdf(html)  # warm WeasyPrint (fonts) before timing it
    # Interleaved, so that neither gains from running second on a machine whose load varies.
    alone, in_process, pages = [], [], 0
    for _ in range(7):
        median, _, result = timed(lambda: render_pdf(html), runs=1)
        alone.append(median)
        pages = result.pages
        in_process.append(timed(build([FULL], isolate=False), runs=1)[0])
    weasyprint_alone = statistics.median(alone)
    report(
        "WeasyPrint alone, same HTML (in-process)", weasyprint_alone, max(alone), f"{pages} pages"
    )
    median = statistics.median(in_process)
    report(
        "PDF build, full version, in-process (build_pack)",
        median,
        max(in_process),
        f"{median / weasyprint_alone:.2f}x WeasyPrint alone",
    )
    median, slowest, _ = timed(build([FULL], isolate=True), runs=5)
    report(
        "PDF build, full version, own process (web page)",
        median,
        slowest,
        f"{median / weasyprint_alone:.2f}x WeasyPrint alone",
    )
    median, slowest, _ = timed(build([FULL, PUBLIC], isolate=True), runs=3)
    report("Make Final: full and public versions, one worker process", median, slowest)


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(database.parent, ignore_errors=True)
