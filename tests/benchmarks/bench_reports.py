"""Benchmark of the demo's board pack: the Southampton Q2 2018/19 JCB pack in the council's
report template, with its eight accepted scheme reports (of ten), the metric table and eight
charts. Measures the HTML view; WeasyPrint alone laying out the pack's HTML, with and without
the tags of a PDF/UA-1 document (what tagging costs); and the PDF build by the command line's
path (`build_pack`) and by the web page's path, asked for by the secretary's POST and built by a
real RQ worker (a Redis started with scripts/redis.sh), each with its charts to draw (cold) and
with its drawings kept (drawn ahead, or by an earlier build), and a worker's first build after it
starts. Uses a throwaway SQLite database with the Southampton demo data.

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

from django.conf import settings  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from weasyprint import HTML  # noqa: E402

from bettercare.demo import load_demo  # noqa: E402
from bettercare.models import Job  # noqa: E402
from reports.assembly import (  # noqa: E402
    FULL,
    PackAssembly,
    pack_pdfs_build,
    run_to_end,
)
from reports.drawing import ChartRenderer  # noqa: E402
from reports.models import ChartDrawing, Pack  # noqa: E402
from reports.pdf import BASE_URL, PDF_VARIANT, render_pdf, url_fetcher  # noqa: E402
from reports.selectors import pack_highlight_reports, pack_metrics  # noqa: E402
from reports.services import pack_correction_start  # noqa: E402

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


class Queue:
    """A Redis and an RQ worker (`manage.py rqworker`) on the benchmark's database; builds
    asked for as the pack's page asks for them (a POST by the secretary's session) and timed
    from the request to the job's end, as the person waiting sees it (the page polls)."""

    def __init__(self, client: Client):
        self.client = client
        self.folder = database.parent / "redis"
        port = free_port()
        self.url = subprocess.run(
            [ROOT / "scripts/redis.sh", "start", self.folder, str(port)],
            check=True, capture_output=True, text=True,
        ).stdout.strip()
        self.worker: subprocess.Popen | None = None
        self.answers: list[float] = []
        self.settings = override_settings(
            REDIS_URL=self.url, JOBS={**settings.JOBS, "BACKEND": "rq", "QUEUE": "bench"}
        )
        self.settings.enable()

    def start_worker(self) -> None:
        import redis
        from rq import Worker

        self.worker = subprocess.Popen(
            [sys.executable, "manage.py", "rqworker", "bench"],
            cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT,
            env={**os.environ, "REDIS_URL": self.url, "JOBS_QUEUE": "bench"},
        )
        connection = redis.Redis.from_url(self.url)
        while not Worker.count(connection=connection):  # registered: ready for a job
            time.sleep(0.05)

    def restart_worker(self) -> None:
        self.stop_worker()
        self.start_worker()

    def stop_worker(self) -> None:
        import redis
        from rq import Worker

        if self.worker is not None:
            self.worker.terminate()
            self.worker.wait(timeout=60)
            self.worker = None
            connection = redis.Redis.from_url(self.url)
            for worker in Worker.all(connection=connection):
                worker.register_death()

    def build(self, pack: Pack, *, final: bool = False) -> float:
        if final:
            pack_correction_reopen(pack)
            url = f"/reports/packs/{pack.pk}/final/"
            data = {"confirm": "on", "reason": "Benchmark: two reports are not accepted."}
        else:
            url, data = f"/reports/packs/{pack.pk}/pdf/", {"output": "full"}
        started = time.perf_counter()
        response = self.client.post(url, data)
        self.answers.append(time.perf_counter() - started)
        assert response.status_code == 302, response.status_code
        job_id = response.url.rstrip("/").rsplit("/", 1)[1]
        while (job := Job.objects.get(pk=job_id)).is_active:
            time.sleep(0.05)
        assert job.state == Job.State.DONE, job.error
        return time.perf_counter() - started

    def stop(self) -> None:
        self.stop_worker()
        self.settings.disable()
        subprocess.run([ROOT / "scripts/redis.sh", "stop", self.folder], check=False)


def pack_correction_reopen(pack: Pack) -> None:
    """A Final pack made a Draft again (a correction), so that it can be made Final again."""
    pack.refresh_from_db()
    if not pack.is_draft:
        pack_correction_start(pack=pack)


def free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


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

    built = command_build()
    # The same HTML for WeasyPrint alone, its charts drawn.
    drawn = PackAssembly(pack, version_label="Benchmark")
    drawn.draw_charts("print")
    html = drawn.print_html(public=False)
    render_pdf(html)  # warm WeasyPrint (fonts) before timing it

    queue = Queue(client)
    alone, command_cold, command_warm, web_cold, web_warm, answers = [], [], [], [], [], []
    layout, write_untagged, write_tagged = [], [], []
    pages = built.pdfs[FULL].pages
    try:
        queue.start_worker()
        queue.build(pack)  # the worker's first job, not measured here (see below)
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
            web_cold.append(queue.build(pack))
            web_warm.append(queue.build(pack))
        first_kept, first_drawn = [], []
        for _ in range(max(2, RUNS // 2)):
            queue.restart_worker()
            first_kept.append(queue.build(pack))
            queue.restart_worker()
            forget_drawings()
            first_drawn.append(queue.build(pack))
        final = [queue.build(pack, final=True) for _ in range(max(2, RUNS // 2))]
        answers = queue.answers
    finally:
        queue.stop()
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
    report("Web page through the worker, charts drawn ahead", web_warm, ratio(web_warm))
    report("Web page through the worker, charts to draw", web_cold, ratio(web_cold))
    report(
        "Web page, a worker's first build, charts drawn ahead", first_kept, ratio(first_kept)
    )
    report("Web page, a worker's first build, charts to draw", first_drawn, ratio(first_drawn))
    report("Make Final through the worker: full and public versions", final)
    answers.sort()
    print(
        f"{'The page answering the build request (POST to its redirect)':<66} median "
        f"{statistics.median(answers) * 1000:6.1f} ms slowest {answers[-1] * 1000:6.1f} ms"
    )

    output = database.parent / "pack.pdf"
    pack_correction_reopen(pack)  # a Draft again, as the command builds drafts
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
    print(f"Machine speed at the end: {machine_speed():.2f} s")


if __name__ == "__main__":
    try:
        main()
    finally:
        shutil.rmtree(database.parent, ignore_errors=True)
