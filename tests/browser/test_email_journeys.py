"""Journeys that go through e-mail, with a real SMTP server on loopback and links built from the
live server's address: a forgotten password reset from the e-mailed link, and the daily
reminders chasing an overdue lead once (not twice) with a link that opens their report. Also:
the pack's "exempt from publication" boxes show their ticks."""

import io
import re

import pytest
from django.core.management import call_command
from django.utils import timezone
from playwright.sync_api import expect

from ..smtp import html_of, text_of

pytestmark = pytest.mark.browser


@pytest.fixture
def mail(smtp_server, settings, live_server):
    settings.SITE_URL = live_server.url
    return smtp_server


def link_in(message, pattern: str) -> str:
    found = re.search(pattern, text_of(message))
    assert found, text_of(message)
    assert found.group(0) in html_of(message)  # the HTML part carries the same link
    return found.group(0)


def test_a_forgotten_password_is_reset_from_the_emailed_link(page, demo, mail, live_server):
    page.goto("/accounts/login/")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Your e-mail address").fill("lead-carers@example.org")
    page.get_by_role("button", name="Send the link").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Check your e-mail")
    [message] = mail.wait_for(1)
    link = link_in(message, re.escape(live_server.url) + r"/accounts/password/reset/\S+/")

    page.goto(link)
    expect(page.get_by_role("heading", level=1)).to_have_text("Choose a new password")
    page.get_by_label("New password", exact=True).fill("carers-quarter-two-2018")
    page.get_by_label("New password confirmation").fill("carers-quarter-two-2018")
    page.get_by_role("button", name="Save the new password").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("Your password has been changed")
    page.get_by_role("link", name="Log in with your new password").click()
    page.get_by_label("Username").fill("lead-carers")
    page.get_by_label("Password").fill("carers-quarter-two-2018")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_test_id("header-user")).to_contain_text("Alex Morgan")

    page.goto(link)  # a used link says so, and offers a new one
    expect(page.get_by_role("heading", level=1)).to_have_text("This link no longer works")


def test_an_overdue_lead_is_reminded_once_and_the_link_opens_the_report(
    page, demo, mail, live_server, log_in
):
    # In the demo's Q2 2018/19, scheme 9's report was returned and is not yet submitted again;
    # every other report is with the analysts or accepted.
    out = io.StringIO()
    call_command("send_reminders", "--date", "2018-10-15", stdout=out)
    call_command("send_reminders", "--date", "2018-10-15", stdout=out)  # the same day again
    reminders = [m for m in mail.messages if m["Subject"].startswith("Overdue by 3 days")]
    assert [m["To"] for m in reminders] == ["lead-send@example.org"], out.getvalue()
    assert "9. Children - SEND" in reminders[0]["Subject"]
    body = text_of(reminders[0])
    assert "was due on 12 October 2018 and is overdue by 3 days" in body
    assert "returned with comments, waiting for your changes" in body
    link = link_in(reminders[0], re.escape(live_server.url) + r"/schemes/9/2018-19-Q2/edit/")

    log_in("lead-send")
    page.goto(link)
    expect(page.get_by_test_id("return-comments")).to_be_visible()
    expect(page.get_by_test_id("deadline")).to_contain_text("12 October 2018")

    # The analyst sees when the lead was last reminded, and can chase them once more today.
    page.get_by_role("button", name="Log out").click()
    log_in("analyst")
    page.goto("/schemes/overview/?quarter=2018-19-Q2")
    expect(page.get_by_test_id("completeness")).to_contain_text("8 of 10 accepted")
    row = page.get_by_test_id("quarter-overview").get_by_role("row").filter(has_text="SEND")
    today = timezone.localdate()
    expect(row.first).to_contain_text(f"{today.day} {today:%b %Y}")  # last reminded
    expect(row.first).to_contain_text("Overdue by")
    row.first.get_by_role("button", name=re.compile("Send a reminder now")).click()
    expect(page.get_by_role("status").first).to_contain_text("Reminder sent to")
    assert len(mail.to("lead-send@example.org")) == 2
    row = page.get_by_test_id("quarter-overview").get_by_role("row").filter(has_text="SEND")
    row.first.get_by_role("button", name=re.compile("Send a reminder now")).click()
    expect(page.get_by_role("status").first).to_contain_text("already been reminded today")
    assert len(mail.to("lead-send@example.org")) == 2


def test_the_exempt_boxes_show_their_ticks(page, demo, log_in):
    from reports.models import Pack

    pack = Pack.objects.get(board="JCB", quarter="2018-19-Q2")
    log_in("secretary")
    page.goto(f"/reports/packs/{pack.pk}/edit/")
    group = page.get_by_role("group", name="Sections exempt from publication")
    box = group.get_by_role("checkbox").first
    label = group.locator("label").first
    tick = "(label) => getComputedStyle(label, '::after').opacity"
    assert label.evaluate(tick) == "0"
    label.click()
    expect(box).to_be_checked()
    assert label.evaluate(tick) == "1"  # the tick is drawn
    box.focus()
    ring = "(label) => getComputedStyle(label, '::before').boxShadow"
    assert label.evaluate(ring) != "none"  # and the focus ring shows
