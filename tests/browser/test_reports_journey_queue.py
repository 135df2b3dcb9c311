"""The board secretary's journey with Redis and a worker, as production runs it: the draft
PDF and the Final version are built by `manage.py rqworker`, and the build's page, reloaded
mid-build, still follows the job to its end."""

import subprocess

import pytest
from playwright.sync_api import expect

from bettercare.models import Job

pytestmark = pytest.mark.browser

BUILD_TIMEOUT = 240_000  # ms: Chromium starting in the worker, 30 pages, a loaded machine


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


def test_the_secretary_builds_and_finalises_through_the_queue_across_a_reload(
    on_rq, start_worker, demo, page, log_in, tmp_path
):
    worker = start_worker()
    page.set_default_timeout(60_000)
    log_in("secretary")
    page.goto("/reports/")
    page.get_by_role("link", name="Q2 2018/19 JCB: Joint Commissioning Board").click()

    page.get_by_role("button", name="Build the draft PDF").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    build_page = page.url
    page.reload()  # mid-build: the page is the job's, not the request's
    assert page.url == build_page
    expect(page.get_by_test_id("build-done")).to_contain_text(
        "The draft PDF is ready", timeout=BUILD_TIMEOUT
    )
    job = Job.objects.get(task="reports.jobs.pack_build")
    assert job.worker.startswith("rq "), worker.output()
    with page.expect_download() as waiting:
        page.get_by_role(
            "link", name="Download E06000045-JCB-2018-19-Q2-better-care-v1-draft.pdf"
        ).click()
    waiting.value.save_as(tmp_path / "draft.pdf")
    assert "Draft of version 1" in pdf_text(tmp_path / "draft.pdf")

    # Leaving and coming back: the pack's page lists the build with its download.
    page.goto("/reports/")
    page.get_by_role("link", name="Q2 2018/19 JCB: Joint Commissioning Board").click()
    expect(page.get_by_test_id("job-list")).to_contain_text(
        "Download E06000045-JCB-2018-19-Q2-better-care-v1-draft.pdf"
    )

    page.get_by_role("button", name="Make the pack Final").click()
    page.get_by_label("I have checked the pack and want to make it Final").check()
    # The demo's pack lacks two accepted reports: the check before Final asks why.
    page.get_by_label("Why it can be made Final all the same").fill(
        "The chair agreed to take the two reports at the meeting."
    )
    page.get_by_role("button", name="Make version 1 Final").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    page.reload()
    expect(page.get_by_test_id("finalise-done")).to_contain_text(
        "Version 1 is Final", timeout=BUILD_TIMEOUT
    )
    assert Job.objects.get(task="reports.jobs.pack_finalise").worker.startswith("rq ")
    page.get_by_role("link", name="Back to the pack").first.click()
    expect(page.get_by_test_id("pack-status")).to_have_text("Final")
