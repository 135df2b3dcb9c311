"""The board secretary's journey: open the Q2 2018/19 JCB pack, edit the summary and a
performance headline, tick the SPC chart on every headline metric, preview, save, download the
draft PDF and read it back (each headline's charts its own metric's, in its unit; the council's
headings in order; paragraphs numbered through; tagged, with alternative text on every chart;
DRAFT on every page), then make the pack Final: the page lists what it lacks, the secretary
gives a reason, which is kept with the version and never printed; and later the very same
bytes download again. Without Redis, as `make demo` runs: the builds are jobs in threads of
the server (tests/queue/test_secretary_journey.py walks the same way with Redis and a worker)."""

import hashlib
import subprocess

import pytest
from playwright.sync_api import expect

from reports.models import PackMetric, PackVersion
from tests.reports.pdf_reading import flat, pdf_pages, tagged_pdf
from tests.reports.test_charts_under_their_metrics import assert_each_chart_under_its_metric
from tests.reports.test_pdf import TEMPLATE_HEADINGS

pytestmark = pytest.mark.browser

# Milliseconds. A build starts Chromium for the charts and lays out thirty pages; on a 2-core
# machine shared with other work that can take many times its usual few seconds.
BUILD_TIMEOUT = 180_000
PAGE_TIMEOUT = 60_000  # the pack's page draws eight plotly charts
NEW_SUMMARY = "Quarter Two closed with every scheme on track or recovering, as set out below."
NEW_HEADLINE = "Admissions of people over 75 rose in August; the frailty pathway is being widened."
REASON = "The two outstanding reports are due before the meeting; the chair agreed to go ahead."


@pytest.fixture(autouse=True)
def patient_assertions():
    """Assertions wait as long as the page may take under load, then as usual again."""
    expect.set_options(timeout=PAGE_TIMEOUT)
    yield
    expect.set_options(timeout=5_000)


def pdf_text(path) -> str:
    text = subprocess.run(["pdftotext", str(path), "-"], capture_output=True, check=True).stdout
    return " ".join(text.decode("utf-8").split())


def download(page, link_name: str, tmp_path, file_name: str):
    with page.expect_download() as waiting:
        page.get_by_role("link", name=link_name).click()
    downloaded = waiting.value
    target = tmp_path / file_name
    downloaded.save_as(target)
    return downloaded.suggested_filename, target


def test_board_secretary_edits_previews_downloads_and_finalises_the_pack(
    page, demo, log_in, tmp_path
):
    page.set_default_timeout(PAGE_TIMEOUT)
    log_in("secretary")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Board packs")
    page.get_by_role("link", name="Q2 2018/19 JCB: Joint Commissioning Board").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Better Care performance report, Quarter Two 2018/19"
    )
    expect(page.get_by_test_id("pack-status")).to_have_text("Draft")
    # The finance chart and the headlines' charts are drawn on screen by plotly.js (loaded
    # before the figures call it); the table gives each rating in words.
    expect(page.locator("#section-resources .js-plotly-plot .main-svg").first).to_be_visible()
    # five headlines (reablement, yearly, has no figure in Quarter Two) and one SPC chart
    expect(page.locator("#section-headlines .js-plotly-plot")).to_have_count(6)
    expect(page.locator(".modebar")).to_have_count(0)  # no plotly toolbar in the pack
    nel_row = page.get_by_test_id("performance-table").get_by_role("row").filter(
        has_text="Non Elective Admissions"
    )
    expect(nel_row.first).to_contain_text("Slightly Off Track (2% higher than target)")
    # At 1280 px nothing in the performance table runs out of its column ("(2% higher than
    # last year)" once ran into the Commentary column).
    page.set_viewport_size({"width": 1280, "height": 900})
    overflowing = page.evaluate(
        """() => [...document.querySelectorAll('[data-testid=performance-table] td')]
            .filter((cell) => {
                const edge = cell.getBoundingClientRect().right;
                return [...cell.querySelectorAll('*')]
                    .some((part) => part.getBoundingClientRect().right > edge + 1);
            })
            .map((cell) => cell.textContent.trim().slice(0, 80))"""
    )
    assert overflowing == []

    # Edit the summary and a headline, and preview them: the preview shows both, nothing is
    # saved yet.
    page.get_by_role("button", name="Edit the text").click()
    summary = page.get_by_label("Brief summary")
    expect(summary).to_contain_text("This report gives the Joint Commissioning Board")
    summary.fill(NEW_SUMMARY)
    admissions = page.get_by_role("group", name="Non Elective Admissions", exact=True)
    expect(admissions.get_by_label("Show it in the performance headlines")).to_be_checked()
    headline = admissions.get_by_label("Headline commentary")
    expect(headline).to_contain_text("Emergency admissions are running slightly above plan")
    headline.fill(NEW_HEADLINE)
    # The SPC chart on every headline metric.
    headline_boxes = page.get_by_label("Show it in the performance headlines")
    spc_boxes = page.get_by_label("Add its statistical process control (SPC) chart")
    ticked = 0
    for index in range(headline_boxes.count()):
        if headline_boxes.nth(index).is_checked():
            spc_boxes.nth(index).check()
            ticked += 1
    assert ticked == 5  # the five headlines with a figure in Quarter Two
    page.get_by_role("button", name="Preview the changes").click()
    expect(page.get_by_test_id("preview-banner")).to_contain_text("not saved yet")
    expect(page.get_by_test_id("preview")).to_contain_text(NEW_SUMMARY)
    expect(page.get_by_test_id("headline-nel_admissions")).to_contain_text(NEW_HEADLINE)
    page.get_by_role("button", name="Save the text").first.click()
    expect(page.get_by_role("status")).to_contain_text("The pack's text is saved.")
    expect(page.locator(".pack-screen")).to_contain_text(NEW_SUMMARY)
    expect(page.get_by_test_id("headline-nel_admissions")).to_contain_text(NEW_HEADLINE)

    # The draft PDF: the button answers at once with the build's page, which follows the job
    # (its script polls the job's JSON) and shows the download when it is done.
    page.get_by_role("button", name="Build the draft PDF").click()
    expect(page.get_by_test_id("build-progress")).to_be_visible()
    # Drawing the charts starts a Chromium first: under load that alone can take many seconds.
    expect(page.get_by_test_id("build-done")).to_contain_text(
        "The draft PDF is ready", timeout=BUILD_TIMEOUT
    )
    name, draft = download(
        page, "Download E06000045-JCB-2018-19-Q2-better-care-v1-draft.pdf", tmp_path, "draft.pdf"
    )
    assert name == "E06000045-JCB-2018-19-Q2-better-care-v1-draft.pdf"
    text = pdf_text(draft)
    assert NEW_SUMMARY in text and NEW_HEADLINE in text
    assert "Draft of version 1" in text
    pdf = draft.read_bytes()
    pack = PackMetric.objects.filter(show_spc=True).first().pack
    assert PackMetric.objects.filter(pack=pack, headline=True, show_spc=False).count() == 0
    # Each headline's charts: its trend and its SPC chart, its own metric's, in its unit.
    counts = assert_each_chart_under_its_metric(pdf, pack)
    assert sorted(counts.values()) == [2] * 5
    # The council's headings in order, the paragraphs numbered 1, 2, 3 ... through.
    tags = tagged_pdf(pdf)
    headings = [tag.text for tag in tags.in_order("H2") if tag.text != "Contents"]
    assert headings == TEMPLATE_HEADINGS
    numbers = tags.paragraph_numbers()
    assert numbers == list(range(1, len(numbers) + 1)) and len(numbers) > 20
    # Tagged (PDF/UA-1, en-GB, titled), every chart with its words.
    assert (tags.lang, tags.marked, tags.ua_part) == ("en-GB", True, "1")
    assert tags.title == (
        "Joint Commissioning Board: Better Care performance report, Quarter Two 2018/19"
    )
    figures = tags.in_order("Figure")
    # the finance chart and each headline's two, then Appendix 3's comparisons with England;
    # the SPC icons are decoration, not figures
    assert all(len(figure.alt) > 80 for figure in figures)
    compared = [figure for figure in figures if "with the comparators as lines" in figure.alt]
    assert len(figures) - len(compared) == 11
    assert compared and all("England" in figure.alt for figure in compared)
    pages = [flat(page_text) for page_text in pdf_pages(pdf)]
    assert all(page_text.startswith("DRAFT") or "DRAFT" in page_text for page_text in pages)
    assert "Non Elective Admissions Against target: Slightly Off Track (2% higher than target)" in (
        text
    )
    assert "Last year Plan Actual" in text  # a headline chart's legend, as vector text
    assert "a projected year end overspend of £0.06M" in text
    assert "Scheme 10: Building Resilience Service" in text  # appendix 1 names every scheme

    # Make it Final: first the check, listing what the pack lacks.
    page.get_by_role("link", name="Back to the pack").first.click()
    page.get_by_role("button", name="Make the pack Final").click()
    lacking = page.get_by_test_id("lacking")
    expect(lacking).to_contain_text("The pack lacks")
    expect(lacking).to_contain_text(
        "Scheme 7, Direct Payment Scheme: no accepted highlight report for Q2 2018/19 (it is "
        "submitted)."
    )
    expect(lacking).to_contain_text("Scheme 9, Children - SEND")
    page.get_by_label("I have checked the pack and want to make it Final").check()
    page.get_by_role("button", name="Make version 1 Final").click()
    # Without a reason it is refused, with what was ticked kept.
    expect(page.get_by_role("alert")).to_contain_text(
        "Say why the pack can be made Final although it lacks what is listed."
    )
    expect(page.get_by_label("I have checked the pack and want to make it Final")).to_be_checked()
    page.get_by_label("Why it can be made Final all the same").fill(REASON)
    page.get_by_role("button", name="Make version 1 Final").click()
    expect(page.get_by_test_id("finalise-done")).to_contain_text(
        "Version 1 is Final", timeout=BUILD_TIMEOUT
    )
    page.get_by_role("link", name="Back to the pack").first.click()
    expect(page.get_by_test_id("pack-status")).to_have_text("Final")
    expect(page.get_by_test_id("final-reason-v1")).to_contain_text(REASON)
    version = PackVersion.objects.get(pack=pack, number=1)
    assert version.final_reason == REASON and any("Scheme 7" in item for item in version.lacking)
    expect(page.get_by_role("button", name="Edit the text")).to_have_count(0)
    stored_checksum = page.get_by_test_id("full-sha256-v1").inner_text().strip()
    name, first = download(page, "Full PDF, version 1", tmp_path, "v1-first.pdf")
    assert name == "E06000045-JCB-2018-19-Q2-better-care-v1.pdf"
    assert "Version 1, Final" in pdf_text(first) and "Status: Final" in pdf_text(first)
    assert "DRAFT" not in pdf_text(first)
    # The reason is kept with the version, never printed in it.
    _, public = download(page, "Public PDF, version 1", tmp_path, "v1-public.pdf")
    for printed in (first, public):
        assert "chair agreed to go ahead" not in pdf_text(printed)
    assert NEW_SUMMARY in pdf_text(first) and NEW_HEADLINE in pdf_text(first)

    # Later: the same bytes again, whatever has happened since.
    page.goto("/")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Q2 2018/19 JCB: Joint Commissioning Board").click()
    _, again = download(page, "Full PDF, version 1", tmp_path, "v1-again.pdf")
    first_hash = hashlib.sha256(first.read_bytes()).hexdigest()
    assert hashlib.sha256(again.read_bytes()).hexdigest() == first_hash == stored_checksum
