"""The e-mail work run as background jobs (see bettercare.jobs): sending the e-mails that a
committed step wrote, on an RQ worker with Redis or in a thread of the web process without.
The person whose step it was never waits for the mail server."""

from __future__ import annotations

from bettercare.jobs import Progress, background_job

from .services import emails_send


@background_job
def emails_deliver(progress: Progress, *, ids: list[int]) -> dict:
    """Send the given e-mails that are still waiting. A failure is recorded on each e-mail
    (with the server's reason), not on the job: the daily run and "Send again" retry it."""
    progress(f"Sending {len(ids)} e-mail{'s' if len(ids) != 1 else ''}")
    return emails_send(ids=ids)
