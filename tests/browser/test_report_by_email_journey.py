"""The done-when journey of highlight reports with e-mail (real Chromium, live server, a real
SMTP server on loopback): a lead fills a new report in one go (saved as they type, totals as
they type), checks the answers and submits once; the analyst gets the e-mail and returns the
report with a comment; the lead gets that e-mail, follows its link, corrects and resubmits,
withdraws and submits again. axe checks the form and check-your-answers pages on the way."""

import re

import pytest
from playwright.sync_api import expect

from schemes.models import HighlightReport
from schemes.workflow import Status

from ..smtp import text_of
from .conftest import axe_violations, fill_date

pytestmark = pytest.mark.browser

CARERS_Q2 = "/schemes/1/2018-19-Q2/"


@pytest.fixture
def mail(smtp_server, settings, live_server):
    settings.SITE_URL = live_server.url
    return smtp_server


def log_out(page):
    page.get_by_role("button", name="Log out").click()
    expect(page).to_have_url(re.compile(r"/accounts/login/$"))


def row(page, name):
    return page.get_by_role("group", name=name, exact=True)


def link_in(message, path_pattern: str, live_server) -> str:
    found = re.search(re.escape(live_server.url) + path_pattern, text_of(message))
    assert found, text_of(message)
    return found.group(0)


@pytest.fixture
def carers_q2_not_started(demo):
    """The demo has every scheme's Q2 2018/19 report written (issue 11's board pack needs
    them): Carers' is taken away, so that its lead starts one afresh."""
    HighlightReport.objects.filter(scheme__number=1, quarter="2018-19-Q2").delete()
    return demo


def test_a_new_report_in_one_go_then_returned_and_resubmitted_by_email(
    page, carers_q2_not_started, log_in, mail, live_server
):
    found = []
    log_in("lead-carers")
    page.goto(CARERS_Q2)
    expect(page.get_by_test_id("deadline")).to_contain_text("12 October 2018")
    page.get_by_role("button", name="Start the Q2 2018/19 report").click()
    expect(page).to_have_url(re.compile(rf"{CARERS_Q2}edit/$"))
    found.extend(axe_violations(page))

    # Everything typed in one go, never pressing "Save draft".
    fill_date(page, "Report Date", "10/10/2018")
    first = row(page, "Funding source 1")
    first.get_by_label("Annual value").fill("£1.3m")
    # The totals follow what is typed, worked out by the server.
    expect(page.get_by_test_id("finance-totals")).to_contain_text("£1,300,000")
    page.get_by_label("What are the reasons for Over/Underspends?").fill("On budget")
    page.get_by_label("What actions are being taken to address Over/Underspends?").fill("None")
    page.get_by_label("Are there any opportunities for Savings?").fill("None")
    page.get_by_label("Predicted Cost Pressures:").fill("None")
    development = row(page, "Key development 1")
    development.get_by_label("Key development, success or achievement").fill(
        "Carers' assessments now completed within four weeks."
    )
    development.get_by_label("Improving service user experience").check()
    indicator = row(page, "Indicator 1")
    indicator.get_by_label("Indicator", exact=True).fill("Carers identified")
    indicator.get_by_label("Progress to Date").fill("On track")
    risk = row(page, "Risk 1")
    risk.get_by_label("Risks").fill("Replacement care not in personal budgets")
    risk.get_by_label("Mitigation").fill("A named member of staff")
    page.get_by_label(re.compile(r"^Outline the Priorities for this scheme")).fill(
        "- A whole family approach"
    )
    # Saved as typed, through the same lock as "Save draft".
    expect(page.get_by_test_id("autosave-status")).to_have_text(
        re.compile(r"^Saved at \d\d:\d\d$"), timeout=20_000
    )
    report = HighlightReport.objects.get(scheme__number=1, quarter="2018-19-Q2")
    assert report.priorities == "- A whole family approach"

    page.get_by_role("button", name="Save and check your answers").click()
    expect(page.get_by_role("heading", level=1)).to_have_text(
        "Check your answers before submitting your report"
    )
    expect(page.get_by_test_id("missing-sections")).to_have_count(0)
    expect(page.get_by_test_id("check-section-delivery")).to_contain_text("four weeks")
    found.extend(axe_violations(page))
    page.get_by_role("button", name="Submit report").click()  # once
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    log_out(page)

    # The analyst is e-mailed, follows the link and returns the report with a comment.
    [submitted] = mail.wait_for(1, address="analyst@example.org")
    assert submitted["Subject"] == "Submitted for review: 1. Carers, Q2 2018/19"
    review = link_in(submitted, r"/schemes/1/2018-19-Q2/", live_server)
    log_in("analyst")
    page.goto(review)
    page.get_by_label("What needs to change").fill("Please give the young carers' figures.")
    page.get_by_role("button", name="Return to scheme lead").click()
    expect(page.get_by_test_id("status")).to_have_text("Returned with comments")
    log_out(page)

    # The lead is e-mailed the comment and a link that opens the report to change.
    [returned] = mail.wait_for(1, address="lead-carers@example.org")
    assert returned["Subject"] == "Returned with comments: 1. Carers, Q2 2018/19"
    assert "Please give the young carers' figures." in text_of(returned)
    change = link_in(returned, r"/schemes/1/2018-19-Q2/edit/", live_server)
    log_in("lead-carers")
    page.goto(change)
    expect(page.get_by_test_id("return-comments")).to_contain_text("young carers' figures")
    page.get_by_label(re.compile(r"^Outline the Priorities for this scheme")).fill(
        "- A whole family approach\n- 211 young carers supported"
    )
    page.get_by_role("button", name="Save and check your answers").click()
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")

    # Second thoughts: withdrawn (no analyst has acted yet), then submitted again.
    page.get_by_role("button", name="Withdraw submission").click()
    expect(page.get_by_text("Your submission is withdrawn")).to_be_visible()
    expect(page).to_have_url(re.compile(rf"{CARERS_Q2}edit/$"))
    page.get_by_role("button", name="Save and check your answers").click()
    page.get_by_role("button", name="Submit report").click()
    expect(page.get_by_test_id("status")).to_have_text("Submitted")
    page.get_by_role("link", name="History of this report").click()
    history = page.get_by_test_id("report-history")
    expect(history).to_contain_text("Submission withdrawn")
    assert HighlightReport.objects.get(pk=report.pk).status == Status.SUBMITTED
    assert len(mail.to("analyst@example.org")) == 4  # submitted, resubmitted, withdrawn, again
    assert not found, "\n".join(found)


def test_leaving_with_unsaved_changes_asks_first(page, demo, log_in):
    log_in("lead-carers")
    page.goto("/schemes/1/2018-19-Q1/edit/")
    page.get_by_label("Predicted Cost Pressures:").fill("Typed and not yet saved")
    dialogs = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.type), dialog.dismiss()))
    page.close(run_before_unload=True)
    page.wait_for_timeout(500)
    assert dialogs == ["beforeunload"]


def test_autosave_reports_another_tabs_save_and_overwrites_nothing(page, demo, log_in):
    log_in("lead-carers")
    page.goto("/schemes/1/2018-19-Q1/edit/")
    other = page.context.new_page()
    other.goto("/schemes/1/2018-19-Q1/edit/")
    other.get_by_label("Predicted Cost Pressures:").fill("Written in the other tab")
    expect(other.get_by_test_id("autosave-status")).to_have_text(
        re.compile(r"^Saved at"), timeout=20_000
    )
    page.get_by_label("Predicted Cost Pressures:").fill("Written in the first tab")
    conflict = page.get_by_test_id("autosave-conflict")
    expect(conflict).to_be_visible(timeout=20_000)
    expect(conflict).to_contain_text("saved this report at")
    expect(page.get_by_test_id("autosave-status")).to_have_text("Not saved")
    report = HighlightReport.objects.get(scheme__number=1, quarter="2018-19-Q1")
    assert report.cost_pressures == "Written in the other tab"
