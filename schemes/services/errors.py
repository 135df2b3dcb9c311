"""The ways a write to a highlight report is refused; each message is for people."""

from __future__ import annotations

from django.utils import timezone

from ..models import HighlightReport
from ..submission import Missing
from ..workflow import Action


class ReportError(Exception):
    """A write to a highlight report that cannot be made; the message is for people."""


class ReportStale(ReportError):
    """Someone else saved the report after the form being saved was opened."""

    def __init__(self, current: HighlightReport):
        self.current = current
        who = person_name(current.updated_by) if current.updated_by else "Someone else"
        super().__init__(
            f"{who} saved this report at "
            f"{timezone.localtime(current.updated):%H:%M on %d %B %Y}, after you opened it. "
            "Your changes have not been saved."
        )


class ReportIncomplete(ReportError):
    """A report submitted with required sections empty."""

    def __init__(self, missing: list[Missing]):
        self.missing = missing
        super().__init__(
            "The report cannot be submitted until these sections are filled in: "
            + "; ".join(item.label for item in missing)
            + "."
        )


class BoardDatesRefused(ReportError):
    def __init__(self, problems: dict[Action, str]):
        self.problems = problems
        super().__init__(" ".join(problems.values()))


def person_name(user) -> str:
    return user.get_full_name() or user.username
