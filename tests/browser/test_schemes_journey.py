"""The scheme lead's journey, as a new user would take it in a real browser: fill in the Carers
Q1 2018/19 draft, submit it, have it returned, correct and resubmit it; the analyst accepts it,
the secretary records the board dates, and the report is then read-only with its history."""

import re

import pytest
from playwright.sync_api import expect

from .conftest import fill_date

pytestmark = pytest.mark.browser

CARERS_Q1 = "/schemes/1/2018-19-Q1/"
CLUSTERS_Q1 = "/schemes/2/2018-19-Q1/"


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def row(page, name):
    """One row of a repeating table, found by its legend, e.g. "Risk 2"."""
    return page.get_by_role("group", name=name, exact=True)


def fill_every_section(page):
    page.get_by_label("Pooled Budget Manager").fill("Carers Commissioner, ICU")
    page.get_by_label("Report Author").fill("Alex Morgan, Carers lead")
    fill_date(page, "Report Date", "20/07/2018")

    first = row(page, "Funding source 1")
    first.get_by_label("Funding source", exact=True).select_option(label="CCG")
    first.get_by_label("Annual value").fill("£1.240m")
    first.get_by_label("Projected year end spend").fill("£1.208m")
    page.get_by_role("button", name="Add a funding source").click()
    second = row(page, "Funding source 2")
    second.get_by_label("Funding source", exact=True).select_option(label="SCC")
    second.get_by_label("Annual value").fill("£134k")
    second.get_by_label("Projected year end spend").fill("£133,000")
    page.get_by_label("What are the reasons for Over/Underspends?").fill("Underspend negligible")
    page.get_by_label("What actions are being taken to address Over/Underspends?").fill(
        "Not applicable"
    )
    page.get_by_label("Are there any opportunities for Savings?").fill("None")
    page.get_by_label("Predicted Cost Pressures:").fill("None")

    aims = page.get_by_label("Original Aims and anticipated Outcomes for this Scheme")
    expect(aims).to_have_value(re.compile(r"^- To identify a significant number of Adult"))
    development = row(page, "Key development 1")
    development.get_by_label("Key development, success or achievement").fill(
        "Direct payments are now processed in a timely way for every carer assessed."
    )
    development.get_by_label("Improving service user experience").check()
    development.get_by_label("Reducing hospital and care home admissions").check()

    # Indicators: add two more, then remove the middle one.
    indicator = row(page, "Indicator 1")
    indicator.get_by_label("Indicator", exact=True).fill("Carers identified")
    indicator.get_by_label("Progress to Date").fill("Both services exceeded the carers reached.")
    page.get_by_role("button", name="Add an indicator").click()
    row(page, "Indicator 2").get_by_label("Indicator", exact=True).fill("A mistaken indicator")
    page.get_by_role("button", name="Add an indicator").click()
    third = row(page, "Indicator 3")
    third.get_by_label("Indicator", exact=True).fill("Carers with a direct payment")
    third.get_by_label("Progress to Date").fill("All 60 carers with a support plan.")
    third.get_by_label("A percentage").check()
    third.get_by_label(re.compile(r"^Target")).fill("90%")
    third.get_by_label(re.compile(r"^Actual")).fill("100%")
    third.get_by_label("Period of the target and actual").fill("Q1 2018/19")
    row(page, "Indicator 2").get_by_role("button", name="Remove this indicator").click()
    expect(page.get_by_role("group", name="Indicator 3", exact=True)).to_have_count(0)
    expect(row(page, "Indicator 2").get_by_label("Indicator", exact=True)).to_have_value(
        "Carers with a direct payment"
    )

    # Risks: the same, without losing what was typed in the rows that stay.
    risk = row(page, "Risk 1")
    risk.get_by_label("Risks").fill("Replacement care not in personal budgets")
    risk.get_by_label("Mitigation").fill("A named member of staff in CiS")
    page.get_by_role("button", name="Add a risk").click()
    row(page, "Risk 2").get_by_label("Risks").fill("A risk typed by mistake")
    page.get_by_role("button", name="Add a risk").click()
    row(page, "Risk 3").get_by_label("Risks").fill("Whole family approach not embedded")
    row(page, "Risk 3").get_by_label("Mitigation").fill("Task and finish group set up")
    row(page, "Risk 2").get_by_role("button", name="Remove this risk").click()
    expect(row(page, "Risk 1").get_by_label("Risks")).to_have_value(
        "Replacement care not in personal budgets"
    )

    page.get_by_label(re.compile(r"^Describe any proposed Changes/ Recommendations")).fill(
        "Mencap started the new contract on 1 April 2018."
    )
    page.get_by_label(re.compile(r"^Outline the Priorities for this scheme")).fill(
        "- A whole family approach\n- Replacement care within the RAS"
    )
    contract = row(page, "Contract 1")
    contract.get_by_label("Contract", exact=True).fill("Carers support service: Mencap")
    contract.get_by_label("Duration").fill("3 years from April 2018")
    contract.get_by_label("Annual Value").fill("£250k")


def test_scheme_lead_journey_from_draft_to_board_sign_off(page, demo, log_in):
    # The lead finds the draft from the Schemes page, as a new user would.
    log_in("lead-carers")
    page.get_by_role("link", name="Schemes", exact=True).first.click()
    expect(page.get_by_role("heading", name="Your highlight reports")).to_be_visible()
    page.get_by_role("link", name=re.compile(r"^Continue\W+1\. Carers, Q1 2018.19")).click()
    expect(page).to_have_url(re.compile(rf"{CARERS_Q1}edit/$"))
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Highlight report: Quarter One 2018/19"
    )

    fill_every_section(page)
    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_text("Your draft is saved.")).to_be_visible()
    totals = page.get_by_test_id("finance-totals")
    expect(totals).to_contain_text("£1,374,000")
    expect(totals).to_contain_text("90.2%")
    expect(page.get_by_test_id("total-variance")).to_have_text("(£33,000) underspend")
    expect(row(page, "Risk 2").get_by_label("Risks")).to_have_value(
        "Whole family approach not embedded"
    )
    expect(page.get_by_role("group", name="Risk 3", exact=True)).to_have_count(0)
    expect(page.get_by_role("group", name="Indicator 2", exact=True)).to_have_count(1)
    expect(page.get_by_role("group", name="Indicator 3", exact=True)).to_have_count(0)

    page.get_by_role("button", name="Save and check your answers").click()
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_text("Your report is submitted.")).to_be_visible()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    body = page.get_by_test_id("highlight-report-body")
    expect(body).to_contain_text("Whole family approach not embedded")
    expect(body).not_to_contain_text("A risk typed by mistake")
    expect(body).not_to_contain_text("A mistaken indicator")
    expect(body).to_contain_text("Supports: Reducing hospital and care home admissions")
    log_out(page)

    # The analyst returns it with a comment.
    log_in("analyst")
    page.get_by_role("link", name="Review 1. Carers: highlight report for Q1 2018/19").click()
    page.get_by_label("What needs to change").fill("Please add the young carers' figures.")
    page.get_by_role("button", name="Return to scheme lead").click()
    expect(page.get_by_test_id("status")).to_have_text("Returned with comments")
    log_out(page)

    # The lead sees the comment, corrects the report and submits it again.
    log_in("lead-carers")
    page.get_by_role("link", name="1. Carers: highlight report for Q1 2018/19").click()
    expect(page.get_by_test_id("return-comments")).to_contain_text(
        "Please add the young carers' figures."
    )
    page.get_by_label(re.compile(r"^Outline the Priorities for this scheme")).fill(
        "- A whole family approach\n- Replacement care within the RAS\n"
        "- 211 young carers supported; 4 with a personal budget"
    )
    page.get_by_role("button", name="Save and check your answers").click()
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    log_out(page)

    # The analyst accepts it.
    log_in("analyst")
    page.goto(CARERS_Q1)
    page.get_by_role("button", name="Accept report").click()
    expect(page.get_by_test_id("status")).to_have_text("Accepted")
    log_out(page)

    # The board secretary records the board dates.
    log_in("secretary")
    page.get_by_role(
        "link", name=re.compile(r"^Board dates for 1\. Carers: highlight report for Q1")
    ).click()
    fill_date(page, "Date received by Joint Commissioning Board (optional)", "26/07/2018")
    fill_date(page, "Date signed off by Joint Commissioning Board (optional)", "26/07/2018")
    fill_date(page, "Date received by Health & Wellbeing Board (optional)", "08/08/2018")
    page.get_by_role("button", name="Record board dates").click()
    expect(page.get_by_test_id("status")).to_have_text("Received by HWB")
    log_out(page)

    # The report is now read-only for its lead, and its history shows every step.
    log_in("lead-carers")
    page.goto(CARERS_Q1)
    expect(page.get_by_test_id("report-status")).to_contain_text("can no longer be changed")
    expect(page.get_by_role("link", name="Edit report")).to_have_count(0)
    expect(page.get_by_test_id("highlight-report-body")).to_contain_text("26 July 2018")
    page.goto(f"{CARERS_Q1}edit/")
    expect(page).to_have_url(re.compile(rf"{CARERS_Q1}$"))
    expect(page.get_by_text("it can only be read")).to_be_visible()
    page.get_by_role("link", name="History of this report").click()
    steps = page.get_by_test_id("report-history").locator("tbody tr")
    expect(steps).to_have_count(8)
    for index, (step, who) in enumerate(
        [
            ("Started", "Alex Morgan"),
            ("Submitted", "Alex Morgan"),
            ("Returned with comments", "Sam Okafor"),
            ("Submitted", "Alex Morgan"),
            ("Accepted", "Sam Okafor"),
            ("Received by Joint Commissioning Board", "Jo Williams"),
            ("Signed off by Joint Commissioning Board", "Jo Williams"),
            ("Received by Health & Wellbeing Board", "Jo Williams"),
        ]
    ):
        expect(steps.nth(index)).to_contain_text(step)
        expect(steps.nth(index)).to_contain_text(who)


def test_lead_carers_cannot_open_or_post_to_the_clusters_report(page, demo, log_in):
    log_in("lead-carers")
    for path in (CLUSTERS_Q1, f"{CLUSTERS_Q1}edit/", f"{CLUSTERS_Q1}history/"):
        response = page.goto(path)
        assert response.status == 404, path
        expect(page.get_by_role("heading", level=1)).to_have_text("Page not found")
    # A forged post with the lead's own valid session and CSRF token is refused too.
    token = next(c["value"] for c in page.context.cookies() if c["name"] == "csrftoken")
    for path in (f"{CLUSTERS_Q1}edit/", f"{CLUSTERS_Q1}return/"):
        response = page.request.post(
            path,
            form={"version": "1", "priorities": "Written by the wrong lead", "comment": "x"},
            headers={"X-CSRFToken": token},
        )
        assert response.status == 404, path
    page.goto("/schemes/2/2018-19-Q1/")
    from schemes.models import HighlightReport

    clusters = HighlightReport.objects.get(scheme__number=2, quarter="2018-19-Q1")
    assert (clusters.version, clusters.priorities) == (1, "")
