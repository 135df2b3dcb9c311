"""`send_reminders` and "Send a reminder now": leads whose report is not yet submitted are
reminded before the due date and when it is overdue, never twice for one reason on one day,
through a real SMTP server on loopback."""

import datetime as dt
import io

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from bettercare.periods import Quarter
from bettercare.roles import Role
from notifications.models import EmailRecord
from notifications.services import email_preference_save
from schemes import services
from schemes.services import reporting_timetable_save

from ..smtp import text_of
from .conftest import full_content

Q2 = Quarter.parse("2018-19-Q2")
OVERVIEW = reverse("schemes:overview")


@pytest.fixture
def timetable(area):
    return reporting_timetable_save(
        area=area,
        quarter=Q2,
        reports_due=dt.date(2018, 10, 12),
        jcb_meeting=dt.date(2018, 11, 15),
        hwb_meeting=dt.date(2018, 12, 5),
    )


@pytest.fixture
def run(after_commit):
    def run_command(date: str, *extra) -> str:
        out = io.StringIO()
        with after_commit():
            call_command("send_reminders", "--date", date, *extra, stdout=out)
        return out.getvalue()

    return run_command


@pytest.fixture
def post(after_commit):
    def post_form(client, path, data):
        with after_commit():
            return client.post(path, data, follow=True)

    return post_form


def reminders(**filters):
    return list(EmailRecord.objects.filter(kind__startswith="reminder", **filters))


def test_a_lead_is_reminded_seven_days_before_and_only_once(
    smtp_server, timetable, lead, lead_clusters, run
):
    assert "0 reminders" in run("2018-10-04")  # eight days before: nothing yet
    output = run("2018-10-05")
    assert "2 reminders for 05 October 2018: 2 sent, 0 failed." in output
    [message] = smtp_server.to("lead-carers@example.org")
    assert message["Subject"] == "Due 12 October 2018: highlight report of 1. Carers, Q2 2018/19"
    body = text_of(message)
    assert "is due on 12 October 2018, in 7 days. It is not started yet." in body
    assert "https://bettercare.example.org/schemes/1/2018-19-Q2/" in body
    assert "https://bettercare.example.org/account/" in body  # how to turn them off
    run("2018-10-05")
    run("2018-10-08")  # the reminder before the deadline goes once
    assert len(smtp_server.messages) == 2


def test_an_overdue_lead_is_emailed_once_a_day_at_most_and_chased_weekly(
    smtp_server, timetable, lead, run
):
    run("2018-10-13")
    run("2018-10-13")
    [message] = smtp_server.wait_for(1)
    assert message["Subject"].startswith("Overdue by 1 day: highlight report of 1. Carers")
    run("2018-10-14")  # chased yesterday
    assert len(smtp_server.messages) == 1
    run("2018-10-20")
    assert smtp_server.messages[-1]["Subject"].startswith("Overdue by 8 days")
    assert len(reminders(kind="reminder_overdue")) == 2


def test_a_returned_report_counts_as_not_submitted_and_a_submitted_one_is_left_alone(
    smtp_server, timetable, lead, lead_clusters, carers, analyst, run, after_commit
):
    report = services.highlight_report_start(scheme=carers, quarter=Q2, user=lead)
    report = services.highlight_report_save(
        report=report, user=lead, expected_version=report.version, content=full_content()
    )
    with after_commit():
        services.highlight_report_submit(report=report, user=lead)
    smtp_server.messages.clear()  # the analysts' notice
    run("2018-10-13")
    assert [m["To"] for m in smtp_server.messages if "Overdue" in m["Subject"]] == [
        "lead-clusters@example.org"
    ]
    report.refresh_from_db()
    services.highlight_report_return(report=report, user=analyst, comment="Figures")
    run("2018-10-14")
    carers_reminder = reminders(recipient=lead)[0]
    assert "returned with comments, waiting for your changes" in carers_reminder.body_text
    assert "/schemes/1/2018-19-Q2/edit/" in carers_reminder.body_text


def test_a_lead_who_turned_reminders_off_gets_none(smtp_server, timetable, lead, run):
    email_preference_save(user=lead, reminders=False)
    output = run("2018-10-13")
    assert "Not sent: Lead-Carers Tester has turned reminders off" in output
    assert smtp_server.messages == []


def test_days_before_and_bad_dates(smtp_server, timetable, lead, run):
    run("2018-10-05", "--days-before", "3")
    assert smtp_server.messages == []
    run("2018-10-09", "--days-before", "3")
    assert len(smtp_server.messages) == 1
    with pytest.raises(CommandError, match="--date must be a date like"):
        run("12/10/2018")
    with pytest.raises(CommandError, match="no area with the code"):
        run("2018-10-09", "--area", "E06999999")


def test_a_failed_reminder_is_kept_and_the_command_says_so(smtp_server, timetable, lead, run):
    smtp_server.refusing = True
    with pytest.raises(CommandError, match="1 reminder"):
        run("2018-10-13")
    [record] = reminders()
    assert record.state == "failed"
    smtp_server.refusing = False
    run("2018-10-13")  # the same day: the failed one is sent again, no second one written
    record.refresh_from_db()
    assert record.state == "sent"
    assert len(smtp_server.messages) == 1


def test_send_a_reminder_now_from_the_overview(smtp_server, login, analyst, timetable, lead, post):
    client = login(analyst)
    response = post(
        client, reverse("schemes:reminders_now"), {"quarter": "2018-19-Q2", "scheme": "1"}
    )
    page = response.content.decode()
    assert "Reminder sent to Lead-Carers Tester." in page
    assert len(smtp_server.messages) == 1
    response = post(
        client, reverse("schemes:reminders_now"), {"quarter": "2018-19-Q2", "scheme": "1"}
    )
    assert "Lead-Carers Tester has already been reminded today" in response.content.decode()
    assert len(smtp_server.messages) == 1
    table = page[page.index('data-testid="quarter-overview"') :]
    assert "Last reminded" in page and "Send a reminder now" in table


def test_only_the_areas_analysts_send_reminders(
    smtp_server, login, lead, secretary, timetable, make_user, other_area, post
):
    data = {"quarter": "2018-19-Q2", "scheme": "1"}
    for user in (lead, secretary):
        assert login(user).post(reverse("schemes:reminders_now"), data).status_code == 403
    outsider = make_user("analyst-portsmouth", Role.ANALYST, [other_area])
    login(outsider).post(reverse("schemes:reminders_now"), data)
    assert smtp_server.messages == []  # their area has no such report to chase
    page = login(secretary).get(OVERVIEW).content.decode()
    assert "Send a reminder now" not in page


def test_the_overview_shows_overdue_reports_and_completeness(
    login, analyst, timetable, lead, carers, clusters, monkeypatch
):
    from django.utils import timezone

    monkeypatch.setattr(timezone, "localdate", lambda *a: dt.date(2018, 10, 15))
    page = login(analyst).get(OVERVIEW + "?quarter=2018-19-Q2").content.decode()
    assert "0 of 2 accepted, 2 overdue" in page
    assert page.count("Overdue by 3 days") == 2
    assert "12 October 2018" in page and "15 November 2018" in page


def test_the_daily_reminders_are_scheduled_work_that_cron_or_rq_runs(
    smtp_server, timetable, lead, lead_clusters
):
    from bettercare.jobs import scheduled_jobs
    from bettercare.models import Job

    assert scheduled_jobs()["schemes.jobs.reminders_send_daily"] == "15 6 * * *"
    listed = io.StringIO()
    call_command("run_job", "--list", stdout=listed)
    assert "manage.py run_job schemes.jobs.reminders_send_daily" in listed.getvalue()

    out = io.StringIO()
    call_command("run_job", "schemes.jobs.reminders_send_daily", "date=2018-10-13", stdout=out)
    assert '"sent": 2' in out.getvalue() and '"failed": 0' in out.getvalue()
    assert sorted(m["To"] for m in smtp_server.wait_for(2)) == [
        "lead-carers@example.org",
        "lead-clusters@example.org",
    ]
    job = Job.objects.get(task="schemes.jobs.reminders_send_daily")
    assert job.state == Job.State.DONE and job.result["date"] == "2018-10-13"
    # The same day again sends nothing; a refusing server fails the job, and run_job exits 1.
    call_command("run_job", "schemes.jobs.reminders_send_daily", "date=2018-10-13", stdout=out)
    assert len(smtp_server.messages) == 2
    smtp_server.refusing = True
    with pytest.raises(CommandError, match=r"2 of 2 reminders could not be sent \(The mail"):
        call_command("run_job", "schemes.jobs.reminders_send_daily", "date=2018-10-20")
    assert len(reminders(state="failed")) == 2


def test_a_mail_server_that_never_answers_holds_the_page_for_one_timeout_not_one_per_lead(
    smtp_silent, login, analyst, timetable, lead, lead_clusters, post
):
    """"Send a reminder now" for every outstanding report sends inside the request: a server
    that hangs costs one timeout, after which the other reminders fail with the same reason,
    each left for the daily run or "Send again"."""
    client = login(analyst)
    response = post(client, reverse("schemes:reminders_now"), {"quarter": "2018-19-Q2"})
    page = response.content.decode()
    assert "2 reminders could not be sent: The mail server did not answer in time." in page
    failed = reminders(state="failed")
    assert sorted(record.to_address for record in failed) == [
        "lead-carers@example.org",
        "lead-clusters@example.org",
    ]
    assert {record.error for record in failed} == {"The mail server did not answer in time."}
    assert len(smtp_silent.connections) == 1  # the second reminder did not wait again
