"""The workflow's steps on a report: submit, return, accept, the boards' dates. Each is
checked against the workflow, the person's role, permission and scope
(`schemes.permissions.step_allowed`), then recorded with who took it and when."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from bettercare.changes import model_update

from .. import permissions, workflow
from ..models import HighlightReport, HighlightReportEvent
from ..submission import missing_sections
from ..workflow import BOARD_STEPS, Action, board_date_problems
from .errors import BoardDatesRefused, ReportError, ReportIncomplete, ReportStale
from .notices import report_step_notify

STEPS_TARGET = {action: workflow.STEPS[action].target for action in BOARD_STEPS}


def event_record(
    *,
    report: HighlightReport,
    action: Action,
    from_status: str,
    user,
    at: dt.datetime,
    comment: str = "",
    board_date: dt.date | None = None,
    to_status: str = "",
) -> HighlightReportEvent:
    return HighlightReportEvent.objects.create(
        report=report,
        action=action,
        from_status=from_status,
        to_status=to_status or report.status,
        actor=user,
        at=at,
        comment=comment,
        board_date=board_date,
    )


def step_take(
    *,
    report: HighlightReport,
    user,
    action: Action,
    at: dt.datetime | None,
    comment: str = "",
    board_date: dt.date | None = None,
) -> HighlightReport:
    """Check the step against the workflow, the person's role, permission and scope, then
    move the report on and record who took the step and when."""
    locked = (
        HighlightReport.objects.select_for_update().select_related("scheme__area").get(pk=report.pk)
    )
    step = permissions.step_allowed(user, locked, action)
    if not locked.is_current:
        raise ReportError("This is an earlier revision of the report: open the current one.")
    if step.needs_comment and not comment.strip():
        raise ReportError("Say why: a comment is needed for this step.")
    at = at or timezone.now()
    from_status = locked.status
    data = {
        "status": step.target,
        "status_changed": at,
        "status_changed_by": user,
        "version": locked.version + 1,
    }
    if step.needs_board_date:
        data[BOARD_DATE_FIELDS[action]] = board_date
    model_update(instance=locked, data=data)
    event_record(
        report=locked,
        action=action,
        from_status=from_status,
        user=user,
        at=at,
        comment=comment.strip(),
        board_date=board_date,
    )
    # Written with the step and sent once it commits: a failed e-mail never undoes a step.
    report_step_notify(report=locked, action=action, actor=user, comment=comment)
    report.refresh_from_db()
    return report


BOARD_DATE_FIELDS = {
    Action.RECEIVE_BY_JCB: "received_by_jcb",
    Action.SIGN_OFF_BY_JCB: "signed_off_by_jcb",
    Action.RECEIVE_BY_HWB: "received_by_hwb",
}


@transaction.atomic
def highlight_report_submit(
    *,
    report: HighlightReport,
    user,
    expected_version: int | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """The lead sends the report to the analysts; refused while required sections are empty.

    What is missing is judged on the report as the database holds it now, never on a copy in
    memory. With `expected_version` (the version the lead checked), a report saved since is
    refused (ReportStale): what is submitted is what was checked."""
    permissions.step_allowed(
        user, report, Action.SUBMIT
    )  # who may submit is said before what is missing
    # Locks the report's row only (PostgreSQL refuses FOR UPDATE across a nullable join).
    saved = HighlightReport.objects.select_for_update().get(pk=report.pk)
    if expected_version is not None and saved.version != expected_version:
        raise ReportStale(saved)
    missing = missing_sections(saved)
    if missing:
        raise ReportIncomplete(missing)
    return step_take(report=report, user=user, action=Action.SUBMIT, at=at)


@transaction.atomic
def highlight_report_withdraw(
    *, report: HighlightReport, user, at: dt.datetime | None = None
) -> HighlightReport:
    """The lead takes back a report they submitted, to change it, until an analyst has
    returned or accepted it; the history records it."""
    return step_take(report=report, user=user, action=Action.WITHDRAW, at=at)


@transaction.atomic
def highlight_report_return(
    *, report: HighlightReport, user, comment: str, at: dt.datetime | None = None
) -> HighlightReport:
    """An analyst sends the report back to its lead, saying what to change."""
    return step_take(report=report, user=user, action=Action.RETURN, comment=comment, at=at)


@transaction.atomic
def highlight_report_accept(
    *, report: HighlightReport, user, comment: str = "", at: dt.datetime | None = None
) -> HighlightReport:
    return step_take(report=report, user=user, action=Action.ACCEPT, comment=comment, at=at)


@transaction.atomic
def highlight_report_board_dates_record(
    *,
    report: HighlightReport,
    user,
    dates: Mapping[Action, dt.date],
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Record the boards' steps for the dates given (any of received by the JCB, signed off by
    the JCB, received by the HWB), in that order, each as its own step in the history."""
    if not dates:
        raise BoardDatesRefused({Action.RECEIVE_BY_JCB: "Enter a board date to record."})
    recorded = {
        action: getattr(report, field)
        for action, field in BOARD_DATE_FIELDS.items()
        if getattr(report, field) is not None
    }
    problems = board_date_problems(
        quarter_end=report.quarter.end,
        today=today or timezone.localdate(),
        recorded=recorded,
        proposed=dates,
    )
    if problems:
        raise BoardDatesRefused(problems)
    for action in BOARD_STEPS:
        if action in dates:
            report = step_take(
                report=report, user=user, action=action, board_date=dates[action], at=at
            )
    return report
