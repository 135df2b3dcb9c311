"""The ICB analyst's quarter (issue 15): logs in, switches between the four areas with the
keyboard, opens the system view for Q2 2018/19, follows a figure to that area's own page, and
finds nothing there to change."""

import re

import openpyxl
import pytest
from playwright.sync_api import expect

from bettercare.demo import load_demo

from .conftest import axe_violations

pytestmark = pytest.mark.browser


@pytest.fixture
def hiow(transactional_db):
    return load_demo(log=lambda line: None, all_areas=True)


def test_icb_analyst_switches_areas_and_reads_the_system_view(page, hiow, log_in):
    log_in("icb-analyst")
    # Their first area, until they choose another.
    expect(page.get_by_test_id("header-area")).to_have_text("Southampton")
    # The switch from the keyboard: focus the list, choose, then the button.
    switch = page.get_by_label("Area", exact=True)
    switch.focus()
    switch.select_option(label="Portsmouth (E06000044)")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Change area")).to_be_focused()
    page.keyboard.press("Enter")
    page.wait_for_load_state()
    expect(page.get_by_test_id("header-area")).to_have_text("Portsmouth")
    expect(page).to_have_title(re.compile("Portsmouth"))
    assert "Viewer (read only)" in page.get_by_test_id("header-user").inner_text()

    page.get_by_role("navigation", name="Menu").get_by_role("link", name="System view").click()
    page.get_by_label("Quarter").select_option(label="Q2 2018/19")
    page.get_by_role("button", name="Show quarter").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("System view, Quarter Two 2018/19")
    ratings = page.get_by_test_id("system-ratings")
    for name in ("Hampshire", "Isle of Wight", "Portsmouth", "Southampton"):
        expect(ratings.get_by_role("columnheader", name=name)).to_be_visible()
    cell = page.get_by_test_id("rating-nel_admissions-E06000045")
    expect(cell).to_contain_text(re.compile(r"On Track|Off Track|Slightly Off Track"))
    expect(page.get_by_test_id("completeness-E06000045")).to_contain_text("of 10 accepted")
    expect(page.get_by_test_id("finance-E06000046")).to_contain_text("(illustrative)")
    assert axe_violations(page) == []

    # A figure opens that area's page, in that area.
    cell.get_by_role("link").click()
    expect(page.get_by_test_id("header-area")).to_have_text("Southampton")
    expect(page.get_by_role("heading", level=1)).to_contain_text("Non Elective Admissions")
    # Read only: the analysts' tools are not offered.
    expect(page.get_by_role("button", name=re.compile("Mark|Save", re.I))).to_have_count(0)

    # The benchmarking page for the quarter's data month ranks the four areas she holds,
    # with England and the statistical neighbours beside them, never ranked.
    page.goto("/metrics/")
    page.get_by_role("link", name="Benchmark the metrics between areas and against England").click()
    page.get_by_label("Metric", exact=True).select_option(value="nel_admissions")
    page.get_by_label("Month", exact=True).fill("2018-08")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("benchmark-heading")).to_contain_text("August 2018")
    table = page.get_by_test_id("benchmark-table")
    for name in ("Hampshire", "Isle of Wight", "Portsmouth", "Southampton (this area)"):
        expect(table).to_contain_text(name)
    expect(table.locator("tr.bc-comparator")).to_have_count(2)
    expect(table.locator("tr.bc-comparator").first).to_contain_text("not ranked")

    # Southampton's return to NHS England: readable and downloadable, not editable.
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Quarterly return to NHS England for Q2 2018/19").click()
    expect(page.get_by_role("link", name="Complete the return")).to_have_count(0)
    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the return (XLSX)").click()
    assert download_info.value.suggested_filename == "BCF-return-E06000045-2018-19-Q2.xlsx"
    with open(download_info.value.path(), "rb") as content:
        book = openpyxl.load_workbook(content)
    assert book.sheetnames == [
        "Cover", "National Conditions", "Metrics", "Income and Expenditure", "HWB sign-off"
    ]
    header, *rows = book["Metrics"].iter_rows(values_only=True)
    column = header.index("Assessment of progress")
    assessments = {row[column] for row in rows}
    assert "Not on track to meet target" in assessments  # the demo's admissions are off track
    assert assessments <= {
        "On track to meet target",
        "Not on track to meet target",
        "Data not available to assess progress",
    }
