"""Benchmark of the demo's board pack: the Southampton Q2 2018/19 JCB pack in the council's
report template, with its eight accepted scheme reports (of ten), the metric table and eight
charts. Measures the HTML view; WeasyPrint alone laying out the pack's HTML, with and without
the tags of a PDF/UA-1 document (what tagging costs); and the PDF build by the command line's
path (`build_pack`) and by the web page's path, each with its charts to draw (cold) and with
its drawings kept from an earlier build (warm). Uses a throwaway SQLite database with the
Southampton demo data.

    .venv/bin/python tests/benchmarks/bench_reports.py   (or `make bench`)

Figures are medians (and the slowest) of several runs, in seconds; runs of the measures
compared with each other are interleaved, so that the machine's changing load falls on all of
them alike. "WeasyPrint alone" is WeasyPrint making the same tagged PDF from the same HTML.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from functools import partial
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
from weasyprint import HTML  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from reports.assembly import (  # noqa: E402
    FULL,
    PUBLIC,
    PackAssembly,
    pack_pdfs_build,
    run_to_end,
)
from reports.drawing import ChartRenderer, shared_renderer  # noqa: E402
from reports.models import ChartDrawing, Pack  # noqa: E402
from reports.pdf import BASE_URL, PDF_VARIANT, render_pdf, url_fetcher  # noqa: E402
from reports.selectors import pack_highlight_reports, pack_metrics  # noqa: E402

RUNS = int(os.environ.get("BENCH_RUNS", "5"))


def timed(function) -> tuple[float, object]:
    start = time.perf_counter()
    result = function()
    return time.perf_counter() - start, result


def report(label: str, seconds: list[float], note: str = "") -> float:
    median = statistics.median(seconds)
    print(f"{label:<66} median {median:6.2f} s  slowest {max(seconds):6.2f} s  {note}")
    return median


def machine_speed() -> float:
    """Seconds for a fixed piece of pure Python: the machine's 2 cores are shared, and their
    speed varies by half from hour to hour, so each run states it (0.45 s when quiet)."""
    return min(timed(lambda: sum(range(3 * 10**7)))[0] for _ in range(3))


def forget_drawings() -> None:
    ChartDrawing.objects.all().delete()


def main() -> None:
    call_command("migrate", verbosity=0)
    load_demo(log=lambda line: None)
    pack = Pack.objects.select_related("area").get(board="JCB", quarter="2018-19-Q2")

    # Exactly the pack the issue describes.
    assembly = PackAssembly(pack, version_label="Benchmark")
    in_pack = [item for item in pack_highlight_reports(pack=pack) if item.ready]
    rows = pack_metrics(pack=pack).summary.rows
    assert len(in_pack) == 8, len(in_pack)
    assert len(rows) == 10 and len(assembly.charts) == 8, (len(rows), len(assembly.charts))

    client = Client()
    client.force_login(get_user_model().objects.get(username="secretary"))
    url = f"/reports/packs/{pack.pk}/"
    assert client.get(url).status_code == 200  # warm: imports, templates, sessions
    print(
        f"Board pack benchmark: {pack}, {len(in_pack)} scheme reports, a table of {len(rows)} "
        f"metrics, {len(assembly.charts)} charts; database {database.name}, {RUNS} runs; "
        f"machine speed {machine_speed():.2f} s"
    )
    report(
        "HTML view of the pack (GET, logged in)",
        [timed(lambda: client.get(url))[0] for _ in range(20)],
    )

    def build(*, isolate, renderer=None, outputs=(FULL,)):
        return run_to_end(
            pack_pdfs_build(
                pack,
                version_label="Benchmark",
                outputs=outputs,
                isolate=isolate,
                renderer=renderer,
            )
        )

    def command_build():
        # What `build_pack` does: a renderer of its own, one tab, closed at the end.
        with ChartRenderer(tabs=1, idle_seconds=None) as renderer:
            return build(isolate=False, renderer=renderer)

    def web_build():
        return build(isolate=True)

    built = command_build()
    # The same HTML for WeasyPrint alone, its charts drawn.
    drawn = PackAssembly(pack, version_label="Benchmark")
    drawn.draw_charts("print")
    html = drawn.print_html(public=False)
    render_pdf(html)  # warm WeasyPrint (fonts) before timing it
    web_build()  # the web process's renderer is now open, as after a process's first build

    alone, command_cold, command_warm, web_cold, web_warm = [], [], [], [], []
    layout, write_untagged, write_tagged = [], [], []
    pages = built.pdfs[FULL].pages
    for _ in range(RUNS):
        seconds, result = timed(lambda: render_pdf(html))
        alone.append(seconds)
        pages = result.pages
        # What tagging costs: the same layout written as a plain PDF and as a tagged one.
        seconds, document = timed(
            lambda: HTML(string=html, base_url=BASE_URL, url_fetcher=url_fetcher()).render()
        )
        layout.append(seconds)
        document.write_pdf()  # untimed: the first write of a layout also fills caches
        writes = [
            (write_untagged, document.write_pdf),
            (write_tagged, partial(document.write_pdf, pdf_variant=PDF_VARIANT)),
        ]
        if len(layout) % 2:  # each first in turn
            writes.reverse()
        for seconds_list, write in writes:
            seconds_list.append(timed(write)[0])
        forget_drawings()
        command_cold.append(timed(command_build)[0])
        command_warm.append(timed(command_build)[0])
        forget_drawings()
        web_cold.append(timed(web_build)[0])
        web_warm.append(timed(web_build)[0])
    weasyprint = report("WeasyPrint alone, the same HTML (in-process)", alone, f"{pages} pages")
    untagged = statistics.median(layout) + statistics.median(write_untagged)
    tagging = statistics.median(write_tagged) - statistics.median(write_untagged)
    report("  of which laying out the pages", layout)
    report("  writing the PDF untagged", write_untagged)
    report(
        "  writing the PDF tagged (PDF/UA-1)",
        write_tagged,
        f"tagging adds {tagging:.2f} s: {tagging / untagged:.1%} of WeasyPrint untagged",
    )

    def ratio(seconds):
        return f"{statistics.median(seconds) / weasyprint:.2f}x WeasyPrint alone"

    report(
        "build_pack path, charts to draw (Chromium started for the build)",
        command_cold,
        ratio(command_cold),
    )
    report(
        "build_pack path, drawings kept from an earlier build", command_warm, ratio(command_warm)
    )
    report("Web path, charts to draw (the process's Chromium kept open)", web_cold, ratio(web_cold))
    report("Web path, drawings kept from an earlier build", web_warm, ratio(web_warm))

    first, after_page = [], []
    for _ in range(max(2, RUNS // 2)):
        shared_renderer().close()
        forget_drawings()
        first.append(timed(web_build)[0])
        # As people build: from the pack's page, which starts Chromium; here the build starts
        # the moment the page has come, before Chromium is ready.
        shared_renderer().close()
        forget_drawings()
        assert client.get(url).status_code == 200
        after_page.append(timed(web_build)[0])
    report(
        "Web path, a process's first build (Chromium started, charts to draw)",
        first,
        ratio(first),
    )
    report(
        "Web path, the same straight after opening the pack's page",
        after_page,
        ratio(after_page),
    )
    final = [
        timed(lambda: build(isolate=True, outputs=(FULL, PUBLIC)))[0]
        for _ in range(max(2, RUNS // 2))
    ]
    report("Make Final after the draft: full and public versions, one worker", final)

    output = database.parent / "pack.pdf"
    forget_drawings()
    command = [
        sys.executable,
        "manage.py",
        "build_pack",
        "--area",
        pack.area.code,
        "--quarter",
        str(pack.quarter),
        "--board",
        "JCB",
        "--output",
        str(output),
    ]
    seconds = [
        timed(
            lambda: subprocess.run(
                command, cwd=ROOT, check=True, capture_output=True, env=os.environ
            )
        )[0]
        for _ in range(2)
    ]
    report(
        "`manage.py build_pack` as a command (first run draws, second reuses)",
        seconds,
        f"{seconds[0]:.2f} s, then {seconds[1]:.2f} s",
    )
    shared_renderer().close()
    print(f"Machine speed at the end: {machine_speed():.2f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(database.parent, ignore_errors=True)
