"""The analyst's monthly journey in a real browser: upload a file, read the preview, apply it,
filter the dashboard and download what it shows as a workbook."""

import io
import re

import pytest
from openpyxl import load_workbook
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEADER = "area,metric,period,series,value,breakdown,status,note\n"
SEPTEMBER = (
    HEADER
    + "E06000045,nel_admissions,2018-09,actual,2371,,provisional,\n"
    + "E06000045,ae_attendances,2018-09,actual,6102,,provisional,\n"
    + "E06000045,nel_admissions,2018-08,actual,2450,,final,Refreshed after SUS freeze.\n"
    + "E06000045,nel_admissions,2018-08,plan,2424,,,\n"
)


def upload(page, name: str, text: str):
    page.get_by_label("Metrics file (CSV or XLSX)").set_input_files(
        {"name": name, "mimeType": "text/csv", "buffer": text.encode()}
    )
    page.get_by_role("button", name="Check the file").click()


def test_analyst_uploads_previews_applies_filters_and_downloads(page, demo, log_in):
    log_in("analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Metrics").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Metrics: Month 5, 31 August 2018")
    page.get_by_role("link", name="Upload metric figures").click()

    # A file with a bad row changes nothing and says which line is wrong.
    upload(page, "wrong.csv", HEADER + "E06000045,nel_admissions,2018-09,actual,lots,,,\n")
    expect(page.get_by_test_id("import-refused")).to_contain_text("wrong.csv was not imported")
    expect(page.get_by_test_id("import-problems")).to_contain_text("The value “lots” is not")

    upload(page, "september.csv", SEPTEMBER)
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check the changes before applying them"
    )
    expect(page.get_by_test_id("count-new")).to_have_text("2")
    expect(page.get_by_test_id("count-replaced")).to_have_text("1")
    expect(page.get_by_test_id("count-unchanged")).to_have_text("1")
    changes = page.get_by_test_id("import-changes")
    replaced = changes.get_by_role("row").filter(has_text="Replaced")
    expect(replaced).to_contain_text("2018-08")
    expect(replaced).to_contain_text("2,406 (provisional)")
    expect(replaced).to_contain_text("2,450: Refreshed after SUS freeze.")

    page.get_by_role("button", name="Apply these changes").click()
    expect(page.get_by_role("status")).to_contain_text(
        "Imported september.csv: 2 new, 1 replaced, 1 unchanged."
    )

    # Filter the dashboard to August's urgent care figures.
    page.get_by_label("Month").select_option("2018-08")
    page.get_by_label("Group").select_option(label="Urgent Care Demand")
    page.get_by_role("button", name="Show").click()
    expect(page).to_have_url(re.compile(r"month=2018-08.*group=urgent_care_demand"))
    table = page.get_by_test_id("dashboard-table")
    expect(table.locator("tbody tr")).to_have_count(4)  # super-stranded is urgent care too
    nel = table.locator("tbody tr").filter(has_text="Non Elective Admissions")
    expect(nel).to_contain_text("2,450")
    expect(nel.locator(".bc-rag").first).to_have_text("Slightly Off Track")
    expect(table).not_to_contain_text("Delayed Transfers of Care")
    shown_ytd = nel.locator("td").nth(3).inner_text().strip()
    shown_against_plan = nel.locator("td").nth(5).inner_text()

    with page.expect_download() as download:
        page.get_by_test_id("export-xlsx").click()
    assert download.value.suggested_filename == "metrics-E06000045-2018-08.xlsx"
    book = load_workbook(io.BytesIO(open(download.value.path(), "rb").read()))  # noqa: SIM115
    rows = list(book.active.values)
    headers = [cell.inner_text().strip() for cell in table.locator("thead th").all()]
    # The export has the unit, group, caveat and differences in columns of their own.
    export_only = {
        "Unit",
        "Group",
        "Caveat",
        "Difference from plan (%)",
        "Difference from last year (%)",
    }
    assert [header for header in rows[0] if header not in export_only] == headers
    assert [row[0] for row in rows[1:]] == [
        "A&E Attendances (Type 1, Main ED)",
        "Non Elective Admissions",
        "Non Elective Short Stay Admissions (length of stay 0 days)",
        "Non Elective Super Stranded Admissions (length of stay 21 days or more)",
    ]
    exported = dict(zip(rows[0], rows[2], strict=True))
    # Figures as numbers a spreadsheet adds up, the rating's label beside its difference.
    assert f"{exported['YTD']:,}" == shown_ytd
    assert exported["Against plan"] == "Slightly Off Track"
    assert exported["Against plan"] in shown_against_plan
    assert f"{round(exported['Difference from plan (%)'])}% higher" in shown_against_plan
    assert exported["Month"] == 2450
