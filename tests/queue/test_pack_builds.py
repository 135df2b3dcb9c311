"""Board pack builds through the queue: asked for from the pack's page (the test client as the
secretary's browser), built by a real `manage.py rqworker`, shown by the page; a worker killed
mid-build; charts drawn ahead after an import, in the worker."""

import sys

from django.test import override_settings
from django.urls import reverse

from bettercare import jobs
from bettercare.models import Job
from metrics.services import metric_file_import
from reports.models import ChartDrawing, Pack, PackBuild, PackVersion
from reports.services import pack_text_save
from tests.metrics.factories import figures_csv, monthly
from tests.queue_fixtures import wait_until
from tests.reports.pdf_reading import flat, pdf_pages

WAIT = 180  # seconds: a build, with Chromium starting, on a busy 2-core machine

# The demo pack lacks two accepted reports: making it Final asks for a reason.
FINAL = {"confirm": "on", "reason": "The chair agreed to go ahead."}


def ended(job_id):
    job = jobs.job_get(job_id)
    return job if not job.is_active else None


def test_a_build_asked_for_on_the_page_is_built_by_the_worker_and_shown_by_the_page(
    on_rq, start_worker, pack, login, secretary
):
    worker = start_worker()
    client = login(secretary)
    response = client.post(reverse("reports:pack_build", args=[pack.pk]), {"output": "full"})
    assert response.status_code == 302
    job = Job.objects.get()
    assert job.backend == jobs.RQ
    wait_until(lambda: ended(job.pk), timeout=WAIT, what="the build")
    job.refresh_from_db()
    assert job.state == Job.State.DONE, worker.output()
    assert job.worker.startswith("rq ")
    page = client.get(response.url).content.decode()
    assert "The draft PDF is ready" in page
    build = PackBuild.objects.get()
    assert f"/reports/packs/{pack.pk}/pdf/{build.pk}/" in page
    pdf = client.get(reverse("reports:pack_build_download", args=[pack.pk, build.pk]))
    assert "Quarter Two went well for the Carers scheme." in flat(" ".join(pdf_pages(pdf.content)))
    status = client.get(reverse("reports:pack_job_status", args=[pack.pk, job.pk])).json()
    assert status["state"] == "done" and status["pages"] == build.pages


def test_a_worker_killed_mid_build_leaves_no_final_version_and_the_pack_buildable(
    on_rq, start_worker, pack, login, secretary
):
    # Enough text for many pages, so that the worker is still laying out when it dies.
    long_text = "\n\n".join(f"Paragraph {n}: " + "The scheme reported. " * 40 for n in range(150))
    pack_text_save(pack=pack, text={"brief_summary": long_text})
    worker = start_worker()
    client = login(secretary)
    response = client.post(reverse("reports:pack_finalise", args=[pack.pk]), FINAL)
    job = Job.objects.get()
    wait_until(
        lambda: (Job.objects.get(pk=job.pk).pages or 0) >= 3, timeout=WAIT,
        what="the layout to be under way",
    )
    worker.kill()
    with override_settings(JOBS={**jobs.settings.JOBS, "STALE_SECONDS": 3}):
        failed = wait_until(lambda: ended(job.pk), timeout=WAIT, what="the job to be failed")
        assert failed.state == Job.State.FAILED and failed.error == jobs.STOPPED
        page = client.get(response.url).content.decode()
        assert "The pack was not made Final" in page and "Start it again." in page
        assert not PackVersion.objects.exists()
        assert Pack.objects.get(pk=pack.pk).is_draft
        # Started again, by a worker that is running, it stores version 1.
        start_worker()
        again = client.post(reverse("reports:pack_finalise", args=[pack.pk]), FINAL)
        assert again.url != response.url
        done = wait_until(
            lambda: ended(Job.objects.exclude(pk=job.pk).get().pk), timeout=WAIT,
            what="the second build",
        )
    assert done.state == Job.State.DONE, done.error
    assert "Version 1 is Final" in client.get(again.url).content.decode()
    assert PackVersion.objects.get(pack=pack).number == 1


def test_after_an_import_the_worker_draws_the_draft_packs_charts_ahead(
    on_rq, start_worker, pack, area
):
    from reports.assembly import PackAssembly

    start_worker()
    rows = [
        *monthly(area.code, "nel_admissions", jobs_month(2017), [2300, 2280, 2390, 2400, 2350]),
        *monthly(area.code, "nel_admissions", jobs_month(2018), [2400, 2350, 2420, 2460, 2390]),
        *monthly(area.code, "nel_admissions", jobs_month(2018), [2370] * 5, series="plan"),
    ]
    with override_settings(REPORTS_DRAW_AHEAD=True):
        metric_file_import(content=figures_csv(rows), file_name="august.csv", via="command")
    job = Job.objects.get(task="reports.jobs.charts_draw_ahead")
    assert job.area == area
    job = wait_until(lambda: ended(job.pk), timeout=WAIT, what="the charts to be drawn")
    assert job.state == Job.State.DONE, job.error
    needed = PackAssembly(pack, version_label="").print_jobs()
    assert needed and job.result["drawn"] == len(needed)
    kept = set(ChartDrawing.objects.values_list("key", flat=True))
    assert {drawing.key for drawing in needed} <= kept
    # Chromium ran in the worker: this process (a web process's stand-in) never started one.
    drawing = sys.modules.get("reports.drawing")
    assert drawing is None or drawing._shared is None or not drawing._shared.running


def jobs_month(year: int):
    from bettercare.periods import Month

    return Month(year, 4)
