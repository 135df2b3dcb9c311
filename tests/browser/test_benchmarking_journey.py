"""The analyst benchmarks a metric in a real browser: from the dashboard to the benchmarking
page, a metric and month chosen, the chart drawn with their area marked in words, England and
the statistical neighbours as comparators; a month without figures gets a message; and the
page passes axe-core's WCAG 2.1 AA checks, with and without its error."""

import pytest
from playwright.sync_api import expect

from .conftest import axe_violations

pytestmark = pytest.mark.browser


def test_the_analyst_benchmarks_a_metric_against_england(page, demo, log_in):
    log_in("analyst")
    page.goto("/metrics/")
    page.get_by_role("link", name="Benchmark the metrics between areas and against England").click()
    residential = "Permanent admissions of people aged 65+ to residential and nursing care, per "
    page.get_by_label("Metric", exact=True).select_option(label=residential + "100,000")
    page.get_by_label("Month", exact=True).fill("2018-08")
    page.get_by_role("button", name="Show").click()

    expect(page.get_by_test_id("benchmark-heading")).to_contain_text("August 2018")
    # plotly.js drew the chart (served from static files, under the CSP), the area named.
    chart = page.get_by_test_id("benchmark-chart")
    expect(chart.locator("svg.main-svg").first).to_be_visible(timeout=30_000)
    expect(chart).to_contain_text("Southampton (this area)")
    expect(chart).to_contain_text("England:")
    table = page.get_by_test_id("benchmark-table")
    expect(table.locator("tr.bc-this-area")).to_contain_text("Southampton (this area)")
    expect(table.locator("tr.bc-comparator")).to_have_count(2)
    expect(table).to_contain_text("Southampton's statistical neighbours (comparator, not ranked)")
    found = axe_violations(page)

    page.get_by_label("Month", exact=True).fill("2030-01")
    page.get_by_role("button", name="Show").click()
    expect(page.get_by_test_id("benchmark-problem")).to_contain_text("No area has a figure")
    # What was typed is kept.
    expect(page.get_by_label("Month", exact=True)).to_have_value("2030-01")
    found.extend(axe_violations(page))
    assert not found, "\n".join(found)
