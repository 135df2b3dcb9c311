"""The e-mails of the highlight report workflow and the reporting timetable: a notice for each
step (submitted: to the area's analysts; returned and accepted: to the report's leads) and the
reminders to leads whose report is not yet submitted.

Each e-mail is written in the transaction of the step it tells of and sent after it commits
(see notifications.services); a reminder goes at most once a day for each reason.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from bettercare.models import Area, Scheme
from bettercare.periods import Quarter
from bettercare.roles import Role
from bettercare.selectors import area_people_with_role
from notifications.models import EmailRecord
from notifications.selectors import users_without_reminders
from notifications.services import (
    email_queue,
    emails_deliver_after_commit,
    emails_send,
    emails_settle,
    site_url,
)

from ..deadlines import day, days_in_words, is_outstanding
from ..models import HighlightReport, ReportingTimetable
from ..permissions import may_send_reminders
from ..workflow import Action, Status

REMINDER_KINDS = ("reminder_due", "reminder_overdue", "reminder_now")
# An overdue report is chased again a week after the last chase, not every day.
OVERDUE_EVERY = dt.timedelta(days=7)
# Reminders are sent for quarters whose reports fell due at most this long ago.
CHASE_FOR = dt.timedelta(days=92)


def report_topic(scheme: Scheme, quarter: Quarter) -> str:
    """How the e-mail records name a scheme's report for a quarter."""
    return f"schemes.report:{scheme.pk}:{quarter}"


def _report_path(scheme: Scheme, quarter: Quarter, name: str = "report") -> str:
    return reverse(f"schemes:{name}", kwargs={"number": scheme.number, "quarter": quarter})


def _about(scheme: Scheme, quarter: Quarter) -> str:
    return f"{scheme.number}. {scheme.name_in(quarter.year)}, {quarter.short_label}"


def _person(user) -> str:
    return user.get_full_name() or user.username if user else "Someone"


def _base_context(scheme: Scheme, quarter: Quarter) -> dict:
    return {
        "scheme_label": f"{scheme.number}. {scheme.name_in(quarter.year)}",
        "quarter_label": quarter.short_label,
        "quarter_long": quarter.label,
        "area_name": scheme.area.name,
        "report_url": site_url(_report_path(scheme, quarter)),
        "edit_url": site_url(_report_path(scheme, quarter, "report_edit")),
        "account_url": site_url(reverse("notifications:account")),
    }


def report_step_notify(
    *, report: HighlightReport, action: Action | str, actor, comment: str = ""
) -> list[EmailRecord]:
    """The notice of a workflow step, to the people whose turn it now is. Call it inside the
    step's transaction: the e-mails go only if the step commits."""
    action = Action(action)
    scheme, quarter = report.scheme, report.quarter
    context = {
        **_base_context(scheme, quarter),
        "actor_name": _person(actor),
        "comment": comment.strip(),
        "revision": report.revision,
    }
    if action == Action.SUBMIT:
        recipients = list(area_people_with_role(area=scheme.area, role=Role.ANALYST))
        template, kind = "schemes/email/report_submitted", "report_submitted"
    elif action == Action.WITHDRAW:
        recipients = list(area_people_with_role(area=scheme.area, role=Role.ANALYST))
        template, kind = "schemes/email/report_withdrawn", "report_withdrawn"
    elif action == Action.RETURN:
        recipients = list(scheme.leads.filter(is_active=True))
        template, kind = "schemes/email/report_returned", "report_returned"
    elif action == Action.ACCEPT:
        recipients = list(scheme.leads.filter(is_active=True))
        template, kind = "schemes/email/report_accepted", "report_accepted"
    else:
        return []
    records = []
    for person in recipients:
        if person.pk == getattr(actor, "pk", None):
            continue  # no one is told of their own step
        record = email_queue(
            recipient=person,
            kind=kind,
            template=template,
            context=context,
            area=scheme.area,
            topic=report_topic(scheme, quarter),
            about=_about(scheme, quarter),
            created_by=actor,
            send_after_commit=False,
        )
        if record is not None:
            records.append(record)
    emails_deliver_after_commit(records, area=scheme.area)  # one job for the step, once it commits
    return records


# --- Reminders -------------------------------------------------------------------------------


@dataclass
class ReminderOutcome:
    """What happened when leads were reminded: who was written to, and who was not and why."""

    written: list[EmailRecord] = field(default_factory=list)
    skipped: list[str] = field(default_factory=list)

    def add(self, other: ReminderOutcome) -> None:
        self.written.extend(other.written)
        self.skipped.extend(other.skipped)


def _outstanding(*, area: Area, quarter: Quarter, numbers=None) -> list[tuple[Scheme, str | None]]:
    """The area's active schemes whose quarter's report is not with the analysts yet, with
    its status (None: not started)."""
    schemes = (
        Scheme.objects.in_area(area)
        .active_in(quarter.year)
        .prefetch_related("leads", "year_names")
        .select_related("area")
        .order_by("number")
    )
    if numbers is not None:
        schemes = schemes.filter(number__in=numbers)
    statuses = dict(
        HighlightReport.objects.current()
        .filter(scheme__area=area, quarter=quarter)
        .values_list("scheme_id", "status")
    )
    return [
        (scheme, statuses.get(scheme.pk))
        for scheme in schemes
        if is_outstanding(statuses.get(scheme.pk))
    ]


def _status_words(status: str | None) -> str:
    if status is None:
        return "not started yet"
    if status == Status.RETURNED:
        return "returned with comments, waiting for your changes"
    return "a draft, not yet submitted"


def _remind(
    *,
    scheme: Scheme,
    quarter: Quarter,
    status: str | None,
    timetable: ReportingTimetable,
    today: dt.date,
    kind: str,
    created_by=None,
) -> ReminderOutcome:
    outcome = ReminderOutcome()
    leads = [lead for lead in scheme.leads.all() if lead.is_active]
    if not leads:
        outcome.skipped.append(f"{_about(scheme, quarter)}: the scheme has no lead")
        return outcome
    opted_out = users_without_reminders(leads)
    topic = report_topic(scheme, quarter)
    due = timetable.reports_due
    context = {
        **_base_context(scheme, quarter),
        "due_date": day(due),
        "days_to_go": days_in_words((due - today).days) if due > today else "",
        "due_today": due == today,
        "days_overdue": days_in_words((today - due).days) if today > due else "",
        "status_words": _status_words(status),
        "not_started": status is None,
        "kind": kind,
    }
    for lead in leads:
        if lead.pk in opted_out:
            outcome.skipped.append(f"{_person(lead)} has turned reminders off")
            continue
        if kind == "reminder_overdue" and EmailRecord.objects.filter(
            key__in=[
                f"{kind}:{topic}:{lead.pk}:{today - dt.timedelta(days=days_ago)}"
                for days_ago in range(1, OVERDUE_EVERY.days)
            ]
        ).exists():
            continue  # chased less than a week ago (by the days the reminders were run for)
        # One reminder a day for each reason; the reminder before the deadline goes once.
        key = (
            f"{kind}:{topic}:{lead.pk}"
            if kind == "reminder_due"
            else f"{kind}:{topic}:{lead.pk}:{today.isoformat()}"
        )
        record = email_queue(
            recipient=lead,
            kind=kind,
            template="schemes/email/reminder",
            context=context,
            area=scheme.area,
            topic=topic,
            about=_about(scheme, quarter),
            key=key,
            created_by=created_by,
            # Sent by whoever asked (the daily run, "Send a reminder now"), who reports each
            # outcome: see `reminders_daily` and the overview's view.
            send_after_commit=False,
        )
        if record is None:
            if kind == "reminder_now":
                outcome.skipped.append(f"{_person(lead)} has already been reminded today")
        else:
            outcome.written.append(record)
    return outcome


def reminders_send(*, today: dt.date, days_before: int = 7, areas=None) -> ReminderOutcome:
    """The daily reminders: to each lead of a scheme whose report is not yet submitted, once
    when the due date is `days_before` days away or nearer, and when it is overdue (then again
    each week). Quarters that fell due more than three months ago are no longer chased."""
    outcome = ReminderOutcome()
    timetables = ReportingTimetable.objects.select_related("area").filter(
        reports_due__gte=today - CHASE_FOR, reports_due__lte=today + dt.timedelta(days_before)
    )
    if areas is not None:
        timetables = timetables.filter(area__in=list(areas))
    with transaction.atomic():
        for timetable in timetables.order_by("area__name", "quarter"):
            kind = "reminder_overdue" if today > timetable.reports_due else "reminder_due"
            for scheme, status in _outstanding(area=timetable.area, quarter=timetable.quarter):
                outcome.add(
                    _remind(
                        scheme=scheme,
                        quarter=timetable.quarter,
                        status=status,
                        timetable=timetable,
                        today=today,
                        kind=kind,
                    )
                )
    return outcome


@transaction.atomic
def reminders_send_now(
    *, area: Area, quarter: Quarter, user, today: dt.date, numbers=None
) -> ReminderOutcome:
    """An analyst's "Send a reminder now": to the leads of the given schemes (by number), or of
    every scheme whose report is outstanding. Never twice to a lead on the same day."""
    if not may_send_reminders(user, area):
        raise PermissionDenied("Only the area's analysts can send reminders.")
    timetable = ReportingTimetable.objects.filter(area=area, quarter=quarter).first()
    if timetable is None:
        raise ValueError(
            f"Set the reporting timetable for {quarter.short_label} first: a reminder says "
            "when the report is due."
        )
    outcome = ReminderOutcome()
    for scheme, status in _outstanding(area=area, quarter=quarter, numbers=numbers):
        outcome.add(
            _remind(
                scheme=scheme,
                quarter=quarter,
                status=status,
                timetable=timetable,
                today=today,
                kind="reminder_now",
                created_by=user,
            )
        )
    return outcome


@dataclass
class DailyRun:
    """What a day's run of the reminders did: the earlier e-mails it sent again, and each
    reminder it wrote with its outcome (or why one was not sent)."""

    today: dt.date
    retried: dict[str, int]
    written: list[EmailRecord]
    skipped: list[str]

    @property
    def failed(self) -> list[EmailRecord]:
        return [record for record in self.written if record.state == EmailRecord.State.FAILED]

    def as_dict(self) -> dict:
        """The run as a background job keeps it (bettercare.jobs: JSON)."""
        return {
            "date": self.today.isoformat(),
            "earlier_emails": self.retried,
            "reminders": [
                {
                    "to": record.to_address,
                    "about": record.about,
                    "state": record.state,
                    "error": record.error,
                }
                for record in self.written
            ],
            "sent": len(self.written) - len(self.failed),
            "failed": len(self.failed),
            "not_sent": self.skipped,
        }


def reminders_daily(*, today: dt.date, days_before: int = 7, areas=None) -> DailyRun:
    """The daily work, for the `send_reminders` command and the scheduled job alike: send again
    any e-mail that failed earlier (so a notice of a step is never lost while the mail server
    was down), then write and send the day's reminders."""
    retried = emails_send()
    outcome = reminders_send(today=today, days_before=days_before, areas=areas)
    return DailyRun(
        today=today,
        retried=retried,
        written=emails_settle(outcome.written),
        skipped=outcome.skipped,
    )
