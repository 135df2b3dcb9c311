"""A step's e-mails are sent by a background job (bettercare.jobs), here in a thread of this
process as `make demo` runs them, with committed data; a queue that cannot take the job loses
no e-mail. The same job on a real RQ worker is in tests/queue/test_emails.py."""

import io

from django.core.management import call_command

from bettercare import jobs
from bettercare.models import Job
from notifications.models import EmailRecord
from schemes import services
from schemes.workflow import Status

from ..smtp import free_port

WAIT = 30  # seconds: a thread on a busy 2-core machine


def test_a_steps_emails_go_in_one_job_run_in_a_thread_after_the_commit(
    transactional_db, smtp_server, complete_draft, lead, analyst, make_user, area
):
    from bettercare.roles import Role

    make_user("analyst-two", Role.ANALYST, [area])
    services.highlight_report_submit(report=complete_draft, user=lead)  # commits
    [job] = Job.objects.filter(task="notifications.jobs.emails_deliver")
    assert job.backend == jobs.THREAD and job.area == area
    assert job.description == "Sending 2 e-mails"
    job = jobs.wait(job, timeout=WAIT)
    assert job.state == Job.State.DONE and job.result == {"sent": 2, "failed": 0}
    assert len(smtp_server.wait_for(2)) == 2
    assert set(EmailRecord.objects.values_list("state", flat=True)) == {"sent"}
    assert job.worker.startswith("thread ")


def test_a_queue_that_cannot_take_the_job_loses_no_email_and_fails_no_step(
    transactional_db, smtp_server, complete_draft, lead, analyst, settings
):
    settings.REDIS_URL = f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there
    settings.JOBS = {**settings.JOBS, "BACKEND": jobs.RQ}
    services.highlight_report_submit(report=complete_draft, user=lead)
    complete_draft.refresh_from_db()
    assert complete_draft.status == Status.SUBMITTED  # the step stands
    job = Job.objects.get(task="notifications.jobs.emails_deliver")
    assert job.state == Job.State.FAILED and "could not be queued" in job.error
    [record] = EmailRecord.objects.all()
    assert record.state == "pending" and smtp_server.messages == []
    # The next daily run sends what was left waiting.
    call_command("send_reminders", "--date", "2018-07-01", stdout=io.StringIO())
    record.refresh_from_db()
    assert record.state == "sent"
    assert smtp_server.wait_for(1)[0]["To"] == analyst.email

