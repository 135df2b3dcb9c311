"""A step's e-mails through the queue: a lead submits a report (committed), a real
`manage.py rqworker` process runs the e-mail job and sends through a real SMTP server on
loopback."""

from bettercare import jobs
from bettercare.models import Job
from notifications.models import EmailRecord
from schemes import services
from tests.queue_fixtures import wait_until
from tests.schemes.conftest import complete_draft, draft, reporting_q2_2018  # noqa: F401

WAIT = 60  # seconds: a worker starting on a busy 2-core machine


def test_a_submitted_reports_notice_is_sent_by_the_worker(
    on_rq, start_worker, smtp_server, complete_draft, lead, analyst  # noqa: F811
):
    worker = start_worker(
        EMAIL_HOST="127.0.0.1",
        EMAIL_PORT=str(smtp_server.port),
        SITE_URL="https://bettercare.example.org",
    )
    services.highlight_report_submit(report=complete_draft, user=lead)
    job = Job.objects.get(task="notifications.jobs.emails_deliver")
    assert job.backend == jobs.RQ
    job = wait_until(
        lambda: (found := jobs.job_get(job.pk)) and not found.is_active and found,
        timeout=WAIT,
        what="the e-mail job",
    )
    assert job.state == Job.State.DONE, worker.output()
    assert job.worker.startswith("rq ") and job.result == {"sent": 1, "failed": 0}
    [message] = smtp_server.wait_for(1)
    assert message["To"] == analyst.email
    assert "https://bettercare.example.org/schemes/1/2018-19-Q1/" in message.get_body(
        preferencelist=("plain",)
    ).get_content()
    assert EmailRecord.objects.get().state == "sent"
