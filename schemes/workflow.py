"""The life of a quarterly highlight report, from draft to the Health and Wellbeing Board.

Pure rules with no Django import: which status a report is in, which step each role may take
from there, and which board dates are acceptable. Services apply these rules and record each
step; the tests read the tables below row by row.

    Draft --submit (lead)--> Submitted --accept (analyst)--> Accepted
      ^                          |                               |
      |                    return (analyst, with comments)       |
      +-- Returned <-------------+<------------------------------+
    Accepted --(secretary, dated)--> Received by JCB --> Signed off by JCB --> Received by HWB
    Submitted --withdraw (lead, until an analyst has acted)--> Draft

Once the JCB has signed a report off it is read-only; a correction is a new revision that
starts again as a draft (the signed-off revision is kept unchanged).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum

# Role values as bettercare.roles.Role spells them (a test keeps the two in step).
SCHEME_LEAD = "scheme_lead"
ANALYST = "analyst"
BOARD_SECRETARY = "board_secretary"


class Status(StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"
    RETURNED = "returned"
    ACCEPTED = "accepted"
    RECEIVED_BY_JCB = "received_by_jcb"
    SIGNED_OFF_BY_JCB = "signed_off_by_jcb"
    RECEIVED_BY_HWB = "received_by_hwb"

    @property
    def label(self) -> str:
        return STATUS_LABELS[self]


STATUS_LABELS = {
    Status.DRAFT: "Draft",
    Status.SUBMITTED: "Submitted",
    Status.RETURNED: "Returned with comments",
    Status.ACCEPTED: "Accepted",
    Status.RECEIVED_BY_JCB: "Received by JCB",
    Status.SIGNED_OFF_BY_JCB: "Signed off by JCB",
    Status.RECEIVED_BY_HWB: "Received by HWB",
}

# A scheme lead may change the report's text only in these statuses.
EDITABLE = frozenset({Status.DRAFT, Status.RETURNED})
# Signed off by the JCB: the text is final; only a new revision can correct it.
SIGNED_OFF = frozenset({Status.SIGNED_OFF_BY_JCB, Status.RECEIVED_BY_HWB})
# A report goes into the board pack once the Integrated Commissioning Unit has accepted it;
# before that its lead may still be changing it.
BOARD_READY = frozenset(
    {Status.ACCEPTED, Status.RECEIVED_BY_JCB, Status.SIGNED_OFF_BY_JCB, Status.RECEIVED_BY_HWB}
)


class Action(StrEnum):
    START = "start"
    SUBMIT = "submit"
    RETURN = "return"
    ACCEPT = "accept"
    RECEIVE_BY_JCB = "receive_by_jcb"
    SIGN_OFF_BY_JCB = "sign_off_by_jcb"
    RECEIVE_BY_HWB = "receive_by_hwb"
    START_CORRECTION = "start_correction"
    WITHDRAW = "withdraw"
    # A report signed off on paper before the service was used, entered by an analyst.
    RECORD_PAPER = "record_paper"

    @property
    def label(self) -> str:
        return ACTION_LABELS[self]


# How the report's history names each step.
ACTION_LABELS = {
    Action.START: "Started",
    Action.SUBMIT: "Submitted",
    Action.RETURN: "Returned with comments",
    Action.ACCEPT: "Accepted",
    Action.RECEIVE_BY_JCB: "Received by Joint Commissioning Board",
    Action.SIGN_OFF_BY_JCB: "Signed off by Joint Commissioning Board",
    Action.RECEIVE_BY_HWB: "Received by Health & Wellbeing Board",
    Action.START_CORRECTION: "Correction started",
    Action.WITHDRAW: "Submission withdrawn",
    Action.RECORD_PAPER: "Recorded from the paper report",
}


@dataclass(frozen=True)
class Step:
    action: Action
    sources: frozenset[Status]
    target: Status
    # The one role whose job this step is, and the permission (app label "schemes") it needs.
    role: str
    permission: str
    needs_comment: bool = False
    needs_board_date: bool = False


STEPS: dict[Action, Step] = {
    step.action: step
    for step in (
        Step(Action.SUBMIT, EDITABLE, Status.SUBMITTED, SCHEME_LEAD, "submit_highlightreport"),
        # The lead takes a submitted report back to change it, while no analyst has acted.
        Step(
            Action.WITHDRAW,
            frozenset({Status.SUBMITTED}),
            Status.DRAFT,
            SCHEME_LEAD,
            "submit_highlightreport",
        ),
        Step(
            Action.RETURN,
            frozenset({Status.SUBMITTED, Status.ACCEPTED}),
            Status.RETURNED,
            ANALYST,
            "review_highlightreport",
            needs_comment=True,
        ),
        Step(
            Action.ACCEPT,
            frozenset({Status.SUBMITTED}),
            Status.ACCEPTED,
            ANALYST,
            "review_highlightreport",
        ),
        Step(
            Action.RECEIVE_BY_JCB,
            frozenset({Status.ACCEPTED}),
            Status.RECEIVED_BY_JCB,
            BOARD_SECRETARY,
            "record_board_dates",
            needs_board_date=True,
        ),
        Step(
            Action.SIGN_OFF_BY_JCB,
            frozenset({Status.RECEIVED_BY_JCB}),
            Status.SIGNED_OFF_BY_JCB,
            BOARD_SECRETARY,
            "record_board_dates",
            needs_board_date=True,
        ),
        Step(
            Action.RECEIVE_BY_HWB,
            frozenset({Status.SIGNED_OFF_BY_JCB}),
            Status.RECEIVED_BY_HWB,
            BOARD_SECRETARY,
            "record_board_dates",
            needs_board_date=True,
        ),
        # Not a change of this revision's status: it opens a new revision as a draft.
        Step(
            Action.START_CORRECTION,
            SIGNED_OFF,
            Status.DRAFT,
            ANALYST,
            "correct_highlightreport",
            needs_comment=True,
        ),
    )
}

# The board steps in the order the boards take them.
BOARD_STEPS = (Action.RECEIVE_BY_JCB, Action.SIGN_OFF_BY_JCB, Action.RECEIVE_BY_HWB)
BOARD_DATE_LABELS = {
    Action.RECEIVE_BY_JCB: "Date received by Joint Commissioning Board",
    Action.SIGN_OFF_BY_JCB: "Date signed off by Joint Commissioning Board",
    Action.RECEIVE_BY_HWB: "Date received by Health & Wellbeing Board",
}


# How a refusal names a step whose history label is not a past participle.
ACTION_PAST = {Action.WITHDRAW: "withdrawn"}


class WorkflowError(ValueError):
    """A step that cannot be taken now, or not by this person; the message says why."""


# Recording a paper report is not a step of the workflow but data entry by the ICU.
RECORD_PAPER_ROLE, RECORD_PAPER_PERMISSION = ANALYST, "record_paper_highlightreport"


def role_permissions() -> dict[str, set[str]]:
    """The permissions each role needs to take its steps (`app_label.codename`)."""
    wanted: dict[str, set[str]] = {RECORD_PAPER_ROLE: {f"schemes.{RECORD_PAPER_PERMISSION}"}}
    for step in STEPS.values():
        wanted.setdefault(step.role, set()).add(f"schemes.{step.permission}")
    return wanted


def status_after_board_dates(dates: Iterable[Action]) -> Status:
    """Where a report stands once the given board steps are taken (from Accepted)."""
    taken = set(dates)
    status = Status.ACCEPTED
    for action in BOARD_STEPS:
        if action in taken:
            status = STEPS[action].target
    return status


def step_for(status: Status | str, action: Action | str, roles: Iterable[str]) -> Step:
    """The step `action` from `status` for someone with `roles`, or WorkflowError saying why
    it cannot be taken."""
    status, action = Status(status), Action(action)
    step = STEPS.get(action)
    if step is None:
        raise WorkflowError(f"“{action.label}” is not a step of the highlight report workflow.")
    if step.role not in set(roles):
        raise WorkflowError(f"Only {ROLE_WORDS[step.role]} can take the step “{action.label}”.")
    if status not in step.sources:
        raise WorkflowError(
            f"A report that is “{status.label}” cannot be "
            f"{ACTION_PAST.get(action, action.label.lower())}: "
            f"that step is for reports that are {_either(step.sources)}."
        )
    return step


def steps_available(status: Status | str, roles: Iterable[str]) -> list[Step]:
    """Every step someone with `roles` may take from `status`, in workflow order."""
    roles = set(roles)
    return [
        step for step in STEPS.values() if step.role in roles and Status(status) in step.sources
    ]


ROLE_WORDS = {
    SCHEME_LEAD: "the scheme's lead",
    ANALYST: "an analyst",
    BOARD_SECRETARY: "a board secretary",
}


def _either(statuses: Iterable[Status]) -> str:
    labels = [f"“{status.label}”" for status in Status if status in set(statuses)]
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " or " + labels[-1]


def _day(date: dt.date) -> str:
    return f"{date.day} {date:%B %Y}"


def board_date_problems(
    *,
    quarter_end: dt.date,
    today: dt.date,
    recorded: Mapping[Action, dt.date],
    proposed: Mapping[Action, dt.date],
) -> dict[Action, str]:
    """What is wrong with each proposed board date, given those already recorded.

    A board date is not before the quarter has ended, not in the future, and in order:
    received by the JCB, then signed off by the JCB (the same meeting is fine), then received
    by the HWB. Each step needs the one before it."""
    problems: dict[Action, str] = {}
    previous_action: Action | None = None
    previous_date: dt.date | None = None
    for action in BOARD_STEPS:
        label = BOARD_DATE_LABELS[action]
        date = recorded.get(action) or proposed.get(action)
        if action in proposed:
            if action in recorded:
                problems[action] = f"The {_lower(label)} is already recorded."
            elif previous_action is not None and previous_date is None:
                problems[action] = f"Enter the {_lower(BOARD_DATE_LABELS[previous_action])} first."
            elif date <= quarter_end:
                problems[action] = (
                    f"The {_lower(label)} must be after the quarter ended ({_day(quarter_end)})."
                )
            elif date > today:
                problems[action] = f"The {_lower(label)} cannot be in the future."
            elif previous_date is not None and date < previous_date:
                problems[action] = (
                    f"The {_lower(label)} cannot be before the "
                    f"{_lower(BOARD_DATE_LABELS[previous_action])} ({_day(previous_date)})."
                )
        previous_action, previous_date = action, date
    return problems


def _lower(label: str) -> str:
    return label[0].lower() + label[1:]
