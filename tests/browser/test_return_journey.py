"""The analyst's quarterly return to NHS England: from the Reports page to the return, an
assessment changed (refused without a reason, then given one), and the workbook downloaded and
opened; every page checked with axe-core."""

import openpyxl
import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_analyst_completes_and_downloads_the_quarterly_return(page, demo, log_in):
    log_in("analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Reports").click()
    page.get_by_role("link", name="Quarterly return to NHS England for Q2 2018/19").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Quarterly return to NHS England, Quarter Two 2018/19"
    )
    metrics = page.get_by_test_id("return-metrics")
    nel = metrics.get_by_role("row").filter(has_text="Non Elective Admissions")
    expect(nel).to_contain_text("Slightly Off Track (2% higher than target)")
    expect(nel).to_contain_text("Not on track to meet target")
    found = axe_violations(page)

    page.get_by_role("link", name="Complete the return").click()
    fields = page.get_by_test_id("return-metric-nel_admissions")
    fields.get_by_label("On track to meet target", exact=True).check()
    fields.get_by_label("Challenges").fill("=HYPERLINK(\"http://evil.example\")")
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_role("alert")).to_contain_text(
        "Say why the assessment is “On track to meet target”"
    )
    # What was typed is kept.
    expect(fields.get_by_label("Challenges")).to_have_value("=HYPERLINK(\"http://evil.example\")")
    found.extend(axe_violations(page))
    fields.get_by_label("Reason for changing the assessment").fill(
        "September's admissions, after the data month, are back under the plan."
    )
    page.get_by_role("button", name="Save the return").click()
    expect(page.get_by_role("status")).to_contain_text("The return for Q2 2018/19 is saved")
    expect(nel).to_contain_text("Changed from “Not on track to meet target”")

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Download the return (XLSX)").click()
    download = download_info.value
    assert download.suggested_filename == "BCF-return-E06000045-2018-19-Q2.xlsx"
    with open(download.path(), "rb") as content:  # a file without the .xlsx suffix
        book = openpyxl.load_workbook(content)
    rows = list(book["Metrics"].iter_rows(values_only=True))
    header, nel_row = rows[0], next(row for row in rows if row[0] == "Non Elective Admissions")
    answers = dict(zip(header, nel_row, strict=True))
    assert answers["Assessment of progress"] == "On track to meet target"
    assert answers["Challenges"] == "'=HYPERLINK(\"http://evil.example\")"
    assert found == [], "\n".join(found)
