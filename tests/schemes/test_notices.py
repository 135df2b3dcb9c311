"""E-mail notices of the workflow's steps, sent through a real SMTP server on loopback after
the step commits; a mail server that fails loses no step and is tried again later."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from notifications.models import EmailRecord
from notifications.services import email_preference_save, emails_send
from schemes import services
from schemes.models import HighlightReport
from schemes.workflow import Status

from ..smtp import html_of, text_of


@pytest.fixture
def second_analyst(make_user, area):
    from bettercare.roles import Role

    return make_user("analyst-two", Role.ANALYST, [area])


def test_a_submitted_report_is_emailed_to_every_analyst_of_the_area_after_commit(
    smtp_server,
    complete_draft,
    lead,
    analyst,
    second_analyst,
    make_user,
    other_area,
    after_commit,
):
    from bettercare.roles import Role

    make_user("analyst-elsewhere", Role.ANALYST, [other_area])
    with after_commit():
        services.highlight_report_submit(report=complete_draft, user=lead)
        assert smtp_server.messages == []  # nothing leaves before the step commits
    messages = smtp_server.wait_for(2)
    assert sorted(m["To"] for m in messages) == [
        "analyst-two@example.org",
        "analyst@example.org",
    ]
    message = smtp_server.to("analyst@example.org")[0]
    assert message["Subject"] == "Submitted for review: 1. Carers, Q1 2018/19"
    link = "https://bettercare.example.org/schemes/1/2018-19-Q1/"
    assert "Lead-Carers Tester has submitted the highlight report of 1. Carers" in text_of(message)
    assert link in text_of(message)
    assert f'href="{link}"' in html_of(message)
    records = EmailRecord.objects.filter(kind="report_submitted")
    assert {record.state for record in records} == {"sent"}
    assert all(record.recipient and record.sent for record in records)


def test_return_and_accept_go_to_the_reports_lead_with_the_comment(
    smtp_server, submitted, lead, analyst, after_commit
):
    with after_commit():
        services.highlight_report_return(
            report=submitted, user=analyst, comment="Please add the young carers' figures."
        )
    [returned] = smtp_server.wait_for(1, address="lead-carers@example.org")
    assert returned["Subject"] == "Returned with comments: 1. Carers, Q1 2018/19"
    assert "Please add the young carers' figures." in text_of(returned)  # not &#x27;
    assert "Please add the young carers&#x27; figures." in html_of(returned)
    assert "https://bettercare.example.org/schemes/1/2018-19-Q1/edit/" in text_of(returned)

    report = HighlightReport.objects.get(pk=submitted.pk)
    with after_commit():
        services.highlight_report_submit(report=report, user=lead)
        services.highlight_report_accept(
            report=HighlightReport.objects.get(pk=report.pk), user=analyst
        )
    accepted = smtp_server.wait_for(2, address="lead-carers@example.org")[1]
    assert accepted["Subject"] == "Accepted: 1. Carers, Q1 2018/19"
    assert "nothing more for you to do" in text_of(accepted)


def test_notices_of_a_persons_own_reports_go_even_with_reminders_off(
    smtp_server, submitted, lead, analyst, after_commit
):
    email_preference_save(user=lead, reminders=False)
    with after_commit():
        services.highlight_report_return(report=submitted, user=analyst, comment="Figures")
    assert len(smtp_server.wait_for(1, address="lead-carers@example.org")) == 1


def test_a_step_that_fails_writes_no_email(smtp_server, draft, lead, analyst):
    with pytest.raises(services.ReportIncomplete):
        services.highlight_report_submit(report=draft, user=lead)
    assert not EmailRecord.objects.exists()
    assert smtp_server.messages == []


def test_a_failing_mail_server_loses_no_step_and_the_next_run_sends_again(
    smtp_server, complete_draft, lead, analyst, after_commit
):
    smtp_server.refusing = True
    with after_commit():
        services.highlight_report_submit(report=complete_draft, user=lead)
    assert HighlightReport.objects.get(pk=complete_draft.pk).status == Status.SUBMITTED
    record = EmailRecord.objects.get(kind="report_submitted")
    assert record.state == "failed"
    assert "451" in record.error and record.attempts == 1
    assert smtp_server.messages == []

    smtp_server.refusing = False
    call_command("send_reminders", "--date", "2018-07-25", stdout=io.StringIO())
    record.refresh_from_db()
    assert (record.state, record.attempts, record.error) == ("sent", 2, "")
    [message] = smtp_server.wait_for(1)
    assert message["Subject"] == "Submitted for review: 1. Carers, Q1 2018/19"
    emails_send()  # sent e-mails are never sent twice
    assert len(smtp_server.messages) == 1


def test_no_mail_server_at_all_is_recorded_plainly(
    smtp_down, complete_draft, lead, analyst, after_commit
):
    started = dt.datetime.now()
    with after_commit():
        services.highlight_report_submit(report=complete_draft, user=lead)
    assert (dt.datetime.now() - started).total_seconds() < 5
    record = EmailRecord.objects.get(kind="report_submitted")
    assert record.state == "failed"
    assert record.error == "The mail server could not be reached (connection refused)."


def test_silenced_notices_write_nothing_and_the_next_step_is_told_again(
    smtp_server, complete_draft, lead, analyst, after_commit
):
    from notifications.services import notices_silenced

    with after_commit(), notices_silenced():
        submitted = services.highlight_report_submit(report=complete_draft, user=lead)
    assert not EmailRecord.objects.exists() and smtp_server.messages == []
    with after_commit():
        services.highlight_report_return(report=submitted, user=analyst, comment="Figures")
    assert [m["To"] for m in smtp_server.wait_for(1)] == [lead.email]
