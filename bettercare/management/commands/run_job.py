"""Run a background job now, in this process: `python manage.py run_job NAME [key=value ...]`.

For cron(8), which can keep the recurring jobs' schedule instead of RQ's scheduler (see
bettercare.cron); `--list` prints that schedule as crontab lines. Exits with status 1 if the
job fails, printing why.
"""

from __future__ import annotations

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from bettercare.jobs import run_now, scheduled_jobs
from bettercare.models import Job


class Command(BaseCommand):
    help = "Run a background job now, in this process (for cron); --list prints the schedule."

    def add_arguments(self, parser):
        parser.add_argument("name", nargs="?", help="The job, e.g. bettercare.jobs.housekeeping")
        parser.add_argument("arguments", nargs="*", help="key=value keyword arguments")
        parser.add_argument("--list", action="store_true", help="Print the schedule for cron")

    def handle(self, *args, name=None, arguments=(), list=False, **options):
        if list:
            for job_name, expression in scheduled_jobs().items():
                self.stdout.write(
                    f"{expression}  cd {settings.BASE_DIR} && .venv/bin/python manage.py "
                    f"run_job {job_name}"
                )
            return
        if not name:
            raise CommandError("Name the job to run, or pass --list.")
        kwargs = {}
        for argument in arguments:
            key, separator, value = argument.partition("=")
            if not separator:
                raise CommandError(f"Arguments are key=value, not {argument!r}.")
            try:
                kwargs[key] = json.loads(value)
            except json.JSONDecodeError:
                kwargs[key] = value
        try:
            job = run_now(name, description=f"Run by hand: {name}", **kwargs)
        except ValueError as error:
            raise CommandError(str(error)) from error
        if job.state != Job.State.DONE:
            raise CommandError(f"{name} failed: {job.error}")
        self.stdout.write(json.dumps(job.result, indent=2, default=str))
