"""The schemes' scheduled work (see bettercare.jobs and SchemesConfig.scheduled_jobs): the
daily reminders to scheme leads, the same work as `manage.py send_reminders`."""

from __future__ import annotations

import datetime as dt

from django.utils import timezone

from bettercare.jobs import JobFailed, Progress, background_job

from .services.notices import reminders_daily


@background_job
def reminders_send_daily(progress: Progress, *, date: str = "", days_before: int = 7) -> dict:
    """Remind the leads whose report is due soon or overdue, every area, for today (or
    `date`, YYYY-MM-DD). Fails, saying why, if a reminder could not be sent, so that
    `run_job` exits 1 for cron and the job's record shows it; the failed reminders are kept
    and tried again by the next run."""
    try:
        today = dt.date.fromisoformat(date) if date else timezone.localdate()
    except ValueError as error:
        raise JobFailed(f"date must be a date like 2018-10-05, not {date!r}.") from error
    if days_before < 0:
        raise JobFailed("days_before must be 0 or more.")
    progress(f"Reminders for {today:%d %B %Y}")
    run = reminders_daily(today=today, days_before=days_before)
    if run.failed:
        count = len(run.failed)
        raise JobFailed(
            f"{count} of {len(run.written)} reminder{'s' if len(run.written) != 1 else ''} "
            f"could not be sent ({run.failed[0].error}); the next run tries again."
        )
    return run.as_dict()
