"""Entering a report that was written, accepted and taken to the boards on paper before the
service was used (the demo's 2017/18 Quarter 4 reports are such)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from django.db import transaction
from django.utils import timezone

from bettercare.models import Scheme
from bettercare.periods import Quarter
from bettercare.permissions import require

from .. import permissions, workflow
from ..models import HighlightReport, HighlightReportEvent
from ..workflow import BOARD_STEPS, Action, Status, board_date_problems
from .content import LEAD_FIELDS, ReportContent, rows_checked, rows_write
from .errors import BoardDatesRefused, ReportError
from .steps import BOARD_DATE_FIELDS, STEPS_TARGET, event_record


@transaction.atomic
def highlight_report_record_paper(
    *,
    scheme: Scheme,
    quarter: Quarter,
    user,
    content: ReportContent,
    board_dates: Mapping[Action, dt.date],
    today: dt.date | None = None,
    at: dt.datetime | None = None,
) -> HighlightReport:
    """Enter a report that was written, accepted and taken to the boards on paper before the
    service was used: its text and rows as written, then each board date as its own step.

    For analysts bringing in past quarters (the demo's 2017/18 Quarter 4 reports are such).
    The board dates follow the same rules as any others."""
    require(
        permissions.may_record_paper_report(user, scheme),
        "Only an analyst can record a paper report.",
    )
    if HighlightReport.objects.filter(scheme=scheme, quarter=quarter).exists():
        raise ReportError(f"{scheme} already has a report for {quarter.short_label}.")
    problems = board_date_problems(
        quarter_end=quarter.end,
        today=today or timezone.localdate(),
        recorded={},
        proposed=board_dates,
    )
    if problems:
        raise BoardDatesRefused(problems)
    at = at or timezone.now()
    # Each board step is dated as the board took it (end of the working day), never earlier
    # than the report was recorded.
    taken = {
        action: max(at, timezone.make_aware(dt.datetime.combine(date, dt.time(17))))
        for action, date in board_dates.items()
    }
    report = HighlightReport(
        scheme=scheme,
        quarter=quarter,
        status=workflow.status_after_board_dates(board_dates),
        host_organisation=scheme.host_label,
        created=at,
        updated=at,
        updated_by=user,
        status_changed=max(taken.values(), default=at),
        status_changed_by=user,
        **{BOARD_DATE_FIELDS[action]: date for action, date in board_dates.items()},
    )
    for name, value in content.fields.items():
        if name not in LEAD_FIELDS:
            raise ValueError(f"Not a field of the report's text: {name}")
        setattr(report, name, value)
    report.full_clean()
    rows = rows_checked(content, area=scheme.area)
    report.save()
    rows_write(report, rows)
    event_record(
        report=report,
        action=Action.RECORD_PAPER,
        from_status="",
        user=user,
        at=at,
        comment="Accepted on paper before the service was used.",
        to_status=Status.ACCEPTED,
    )
    for action in BOARD_STEPS:
        if action in board_dates:
            HighlightReportEvent.objects.create(
                report=report,
                action=action,
                from_status="",
                to_status=STEPS_TARGET[action],
                actor=user,
                at=taken[action],
                board_date=board_dates[action],
            )
    return report
