"""The analyst's finance month: upload a month's forecasts, check them, see the position change."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

HEADER = "area,financial_year,scheme,partner,kind,month,amount\n"


def test_analyst_uploads_month_5_forecasts_and_sees_the_position_change(
    page, demo, log_in, tmp_path
):
    log_in("analyst")
    page.get_by_role("navigation", name="Menu").get_by_role("link", name="Finance").click()
    expect(page.get_by_test_id("finance-summary")).to_contain_text(
        "a projected year end overspend of £0.06M"
    )
    page.get_by_role("link", name="The position at Month 5 by scheme and partner").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Forecast position at Month 5, 31 August 2018"
    )
    expect(page.get_by_test_id("total-variance")).to_contain_text("£0.06M overspend")
    expect(page.get_by_test_id("partner-variance-CCG")).to_contain_text("£0.39M overspend")
    expect(page.get_by_test_id("variance-chart").locator(".main-svg").first).to_be_visible()

    # A file with a mistake is refused, naming the line; nothing changes.
    bad = tmp_path / "month5-revised.csv"
    bad.write_text(HEADER + "E06000045,2018-19,2,CCG,forecast,2019-08,£49.51m\n")
    page.goto("/finance/import/")
    page.get_by_label("Finance file (CSV or XLSX)").set_input_files(str(bad))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("import-refused")).to_contain_text("was not imported")
    problem = page.get_by_test_id("import-problems").get_by_role("row").nth(1)
    expect(problem.get_by_role("cell").first).to_have_text("2")
    expect(problem).to_contain_text("Month 2019-08 is outside the financial year 2018/19")

    # The corrected file: Clusters' CCG forecast at Month 5 rises by £0.3M.
    good = tmp_path / "month5-corrected.csv"
    good.write_text(
        HEADER
        + "E06000045,2018-19,2,CCG,forecast,2018-08,£49.51m\n"
        + "E06000045,2018-19,8,SCC,forecast,2018-08,5020000.00\n"
    )
    page.get_by_label("Finance file (CSV or XLSX)").set_input_files(str(good))
    page.get_by_role("button", name="Check the file").click()
    expect(page.get_by_test_id("preview-summary")).to_contain_text(
        "0 budgets and 2 forecasts: 0 new, 1 changed, 1 unchanged"
    )
    expect(page.get_by_test_id("preview-changes")).to_contain_text("£49,210,000")
    expect(page.get_by_test_id("preview-changes")).to_contain_text("£49,510,000")
    page.get_by_role("button", name="Import these changes").click()

    expect(page).to_have_url(re.compile(r"/finance/position/\?month=2018-08$"))
    expect(page.get_by_role("status")).to_contain_text("month5-corrected.csv imported")
    expect(page.get_by_test_id("total-variance")).to_contain_text("£0.36M overspend")
    expect(page.get_by_test_id("partner-variance-CCG")).to_contain_text("£0.69M overspend")
    expect(page.get_by_test_id("position-description")).to_contain_text(
        "a £0.69M overspend for the CCG and a £0.33M underspend for the Council"
    )
