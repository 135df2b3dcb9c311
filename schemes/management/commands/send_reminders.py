"""E-mail the scheme leads whose highlight report is not yet submitted: once when the due date
is N days away (or nearer), and when it is overdue. Meant to run daily, e.g. from cron:

    15 7 * * *  cd /srv/bettercare && .venv/bin/python manage.py send_reminders

It first sends again any e-mail that failed earlier (the mail server was down), so a notice of
a workflow step is never lost. Running it twice on the same day sends nothing the second time.
"""

from __future__ import annotations

import datetime as dt

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from bettercare.models import Area
from schemes.services.notices import reminders_daily


class Command(BaseCommand):
    help = "E-mail reminders to scheme leads whose highlight report is due soon or overdue."
    requires_system_checks: list[str] = []

    def add_arguments(self, parser):
        parser.add_argument(
            "--date",
            help="The day to act as today, YYYY-MM-DD (default: today).",
        )
        parser.add_argument(
            "--days-before",
            type=int,
            default=7,
            help="How many days before the due date to remind (default 7).",
        )
        parser.add_argument("--area", help="Only this area (ONS code); default every area.")

    def handle(self, *args, date=None, days_before=7, area=None, **options):
        if date:
            try:
                today = dt.date.fromisoformat(date)
            except ValueError as error:
                raise CommandError(
                    f"--date must be a date like 2018-10-05, not {date!r}."
                ) from error
        else:
            today = timezone.localdate()
        if days_before < 0:
            raise CommandError("--days-before must be 0 or more.")
        areas = None
        if area:
            areas = list(Area.objects.reportable().filter(code=area.strip().upper()))
            if not areas:
                raise CommandError(f"There is no area with the code {area!r}.")

        run = reminders_daily(today=today, days_before=days_before, areas=areas)
        if run.retried["sent"] or run.retried["failed"]:
            self.stdout.write(
                f"Earlier e-mails sent again: {run.retried['sent']} sent, "
                f"{run.retried['failed']} failed."
            )
        for record in run.written:
            self.stdout.write(
                f"{record.get_state_display()}: {record.subject} to {record.to_address}"
                + (f" ({record.error})" if record.error else "")
            )
        for reason in run.skipped:
            self.stdout.write(f"Not sent: {reason}")
        failed = len(run.failed)
        self.stdout.write(
            f"{len(run.written)} reminder{'s' if len(run.written) != 1 else ''} for "
            f"{today:%d %B %Y}: {len(run.written) - failed} sent, {failed} failed."
        )
        if failed:
            # A failure is kept and retried by the next run; exit non-zero so cron reports it.
            raise CommandError(f"{failed} reminder(s) could not be sent; see above.")
