"""Running the build a request asked for, inside a test's own transaction."""

import contextlib

from bettercare import jobs
from bettercare.models import Job


def run_requested_build(client, response) -> str:
    """After a request that asked for a build: run the job it queued here, in the test's own
    transaction, as a worker would (bettercare.jobs.execute; a failure is recorded on the job),
    then open the job's page, as the person's browser does when the job's JSON says it has
    ended. Returns the page."""
    assert response.status_code == 302, response.content.decode()[:500]
    job = Job.objects.get(pk=response.url.rstrip("/").rsplit("/", 1)[1])
    if job.state == Job.State.QUEUED:
        with contextlib.suppress(Exception):
            jobs.execute(job.pk)
    page = client.get(response.url)
    assert page.status_code == 200
    return page.content.decode()
