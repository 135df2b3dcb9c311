"""The reporting timetable's arithmetic: which dates fit a quarter, and where each scheme's
report stands against the date it is due.

Pure rules with no Django import, tested table by table.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from .workflow import BOARD_READY, EDITABLE, Status

# The latest a timetable date may fall after its quarter ends: a typing slip (2019 for 2018)
# is caught, while a board meeting late in the following quarter is still accepted.
DUE_WITHIN = dt.timedelta(days=92)
MEETING_WITHIN = dt.timedelta(days=183)

FIELD_LABELS = {
    "reports_due": "The date highlight reports are due",
    "jcb_meeting": "The Joint Commissioning Board meeting",
    "hwb_meeting": "The Health and Wellbeing Board meeting",
}


def day(date: dt.date) -> str:
    """A date as the boards write it: 12 October 2018."""
    return f"{date.day} {date:%B %Y}"


def timetable_problems(
    *,
    quarter_label: str,
    quarter_end: dt.date,
    reports_due: dt.date | None,
    jcb_meeting: dt.date | None = None,
    hwb_meeting: dt.date | None = None,
) -> dict[str, str]:
    """What is wrong with each date of a quarter's timetable, by field name.

    Reports are due on or after the quarter's last day and within three months of it; each
    board meets after the reports are due, the Health and Wellbeing Board not before the Joint
    Commissioning Board (which signs the reports off first), both within six months."""
    problems: dict[str, str] = {}
    if reports_due is None:
        problems["reports_due"] = "Enter the date highlight reports are due"
    elif reports_due < quarter_end:
        problems["reports_due"] = (
            f"{FIELD_LABELS['reports_due']} must be on or after {day(quarter_end)}, the last "
            f"day of {quarter_label}"
        )
    elif reports_due > quarter_end + DUE_WITHIN:
        problems["reports_due"] = (
            f"{FIELD_LABELS['reports_due']} must be within three months of the end of "
            f"{quarter_label} ({day(quarter_end)}), on or before "
            f"{day(quarter_end + DUE_WITHIN)}"
        )
    for field in ("jcb_meeting", "hwb_meeting"):
        date = jcb_meeting if field == "jcb_meeting" else hwb_meeting
        if date is None:
            continue
        label = FIELD_LABELS[field]
        if date <= quarter_end:
            problems[field] = (
                f"{label} must be after the end of {quarter_label} ({day(quarter_end)})"
            )
        elif date > quarter_end + MEETING_WITHIN:
            problems[field] = (
                f"{label} must be within six months of the end of {quarter_label}, on or "
                f"before {day(quarter_end + MEETING_WITHIN)}"
            )
        elif reports_due is not None and "reports_due" not in problems and date < reports_due:
            problems[field] = (
                f"{label} must be on or after the date reports are due ({day(reports_due)})"
            )
    if (
        jcb_meeting
        and hwb_meeting
        and "jcb_meeting" not in problems
        and "hwb_meeting" not in problems
        and hwb_meeting < jcb_meeting
    ):
        problems["hwb_meeting"] = (
            f"{FIELD_LABELS['hwb_meeting']} must be on or after the Joint Commissioning Board "
            f"meeting ({day(jcb_meeting)}): the JCB signs the reports off first"
        )
    return problems


def days_in_words(days: int) -> str:
    return f"{days} day{'s' if days != 1 else ''}"


def is_outstanding(status: Status | str | None) -> bool:
    """Not yet with the analysts: not started, a draft, or returned for changes."""
    return status is None or Status(status) in EDITABLE


def days_overdue(status: Status | str | None, due: dt.date | None, today: dt.date) -> int:
    """How many days late a report is (0 when it is not late, or not due at all)."""
    if due is None or not is_outstanding(status) or today <= due:
        return 0
    return (today - due).days


@dataclass(frozen=True)
class Standing:
    """Where one scheme's report stands against the timetable."""

    status: Status | None
    due: dt.date | None
    overdue_days: int

    @property
    def status_label(self) -> str:
        return self.status.label if self.status else "Not started"

    @property
    def overdue_label(self) -> str:
        return f"Overdue by {days_in_words(self.overdue_days)}" if self.overdue_days else ""

    @property
    def label(self) -> str:
        """The status, and how late when it is late: "Draft, overdue by 3 days"."""
        if self.overdue_days:
            return f"{self.status_label}, overdue by {days_in_words(self.overdue_days)}"
        return self.status_label


def standing(status: Status | str | None, due: dt.date | None, today: dt.date) -> Standing:
    return Standing(
        status=Status(status) if status else None,
        due=due,
        overdue_days=days_overdue(status, due, today),
    )


def deadline_words(due: dt.date, today: dt.date) -> str:
    """How a lead is told their deadline: "Due 12 October 2018, in 5 days"."""
    if today < due:
        return f"Due {day(due)}, in {days_in_words((due - today).days)}"
    if today == due:
        return f"Due today, {day(due)}"
    return f"Was due {day(due)}: overdue by {days_in_words((today - due).days)}"


@dataclass(frozen=True)
class Completeness:
    """How much of a quarter's reporting is in, as DHIS2 shows reporting rates."""

    total: int
    accepted: int
    submitted: int
    outstanding: int
    overdue: int

    @property
    def summary(self) -> str:
        """E.g. "7 of 10 accepted, 2 overdue"."""
        parts = [f"{self.accepted} of {self.total} accepted"]
        if self.submitted:
            parts.append(f"{self.submitted} waiting for review")
        if self.overdue:
            parts.append(f"{self.overdue} overdue")
        elif self.outstanding:
            parts.append(f"{self.outstanding} still to submit")
        return ", ".join(parts)


def completeness(standings: Iterable[Standing]) -> Completeness:
    standings = list(standings)
    return Completeness(
        total=len(standings),
        accepted=sum(1 for s in standings if s.status in BOARD_READY),
        submitted=sum(1 for s in standings if s.status == Status.SUBMITTED),
        outstanding=sum(1 for s in standings if is_outstanding(s.status)),
        overdue=sum(1 for s in standings if s.overdue_days),
    )
