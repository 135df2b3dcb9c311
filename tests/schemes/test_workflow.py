"""The highlight report workflow, row by row: who may take which step from which status, and
which board dates are acceptable. Pure rules: no database."""

import datetime as dt

import pytest

from bettercare.roles import Role
from schemes import workflow
from schemes.workflow import Action, Status, WorkflowError, board_date_problems, step_for

LEAD, ANALYST, SECRETARY = Role.SCHEME_LEAD.value, Role.ANALYST.value, Role.BOARD_SECRETARY.value

# (status, action, role, resulting status or None when refused)
TABLE = [
    # The lead submits a draft, or a returned report once corrected; nothing else.
    (Status.DRAFT, Action.SUBMIT, LEAD, Status.SUBMITTED),
    (Status.RETURNED, Action.SUBMIT, LEAD, Status.SUBMITTED),
    (Status.SUBMITTED, Action.SUBMIT, LEAD, None),
    (Status.ACCEPTED, Action.SUBMIT, LEAD, None),
    (Status.SIGNED_OFF_BY_JCB, Action.SUBMIT, LEAD, None),
    (Status.DRAFT, Action.SUBMIT, ANALYST, None),
    (Status.DRAFT, Action.SUBMIT, SECRETARY, None),
    # Analysts return (with comments) or accept what was submitted.
    (Status.SUBMITTED, Action.RETURN, ANALYST, Status.RETURNED),
    (Status.SUBMITTED, Action.ACCEPT, ANALYST, Status.ACCEPTED),
    (Status.ACCEPTED, Action.RETURN, ANALYST, Status.RETURNED),
    (Status.DRAFT, Action.RETURN, ANALYST, None),
    (Status.DRAFT, Action.ACCEPT, ANALYST, None),
    (Status.RETURNED, Action.ACCEPT, ANALYST, None),
    (Status.ACCEPTED, Action.ACCEPT, ANALYST, None),
    (Status.RECEIVED_BY_JCB, Action.RETURN, ANALYST, None),
    (Status.SIGNED_OFF_BY_JCB, Action.RETURN, ANALYST, None),
    (Status.SUBMITTED, Action.ACCEPT, LEAD, None),
    (Status.SUBMITTED, Action.RETURN, SECRETARY, None),
    # Board secretaries record the boards' steps, in order.
    (Status.ACCEPTED, Action.RECEIVE_BY_JCB, SECRETARY, Status.RECEIVED_BY_JCB),
    (Status.RECEIVED_BY_JCB, Action.SIGN_OFF_BY_JCB, SECRETARY, Status.SIGNED_OFF_BY_JCB),
    (Status.SIGNED_OFF_BY_JCB, Action.RECEIVE_BY_HWB, SECRETARY, Status.RECEIVED_BY_HWB),
    (Status.SUBMITTED, Action.RECEIVE_BY_JCB, SECRETARY, None),
    (Status.ACCEPTED, Action.SIGN_OFF_BY_JCB, SECRETARY, None),
    (Status.RECEIVED_BY_JCB, Action.RECEIVE_BY_HWB, SECRETARY, None),
    (Status.RECEIVED_BY_HWB, Action.RECEIVE_BY_HWB, SECRETARY, None),
    (Status.ACCEPTED, Action.RECEIVE_BY_JCB, ANALYST, None),
    (Status.ACCEPTED, Action.RECEIVE_BY_JCB, LEAD, None),
    # A signed-off report is corrected only by a new revision, which an analyst opens.
    (Status.SIGNED_OFF_BY_JCB, Action.START_CORRECTION, ANALYST, Status.DRAFT),
    (Status.RECEIVED_BY_HWB, Action.START_CORRECTION, ANALYST, Status.DRAFT),
    (Status.RECEIVED_BY_JCB, Action.START_CORRECTION, ANALYST, None),
    (Status.DRAFT, Action.START_CORRECTION, ANALYST, None),
    (Status.SIGNED_OFF_BY_JCB, Action.START_CORRECTION, LEAD, None),
    (Status.SIGNED_OFF_BY_JCB, Action.START_CORRECTION, SECRETARY, None),
    # The lead may withdraw a submission until an analyst has acted on it.
    (Status.SUBMITTED, Action.WITHDRAW, LEAD, Status.DRAFT),
    (Status.RETURNED, Action.WITHDRAW, LEAD, None),
    (Status.ACCEPTED, Action.WITHDRAW, LEAD, None),
    (Status.SUBMITTED, Action.WITHDRAW, ANALYST, None),
]


@pytest.mark.parametrize(("status", "action", "role", "result"), TABLE)
def test_who_may_take_which_step_from_where(status, action, role, result):
    if result is None:
        with pytest.raises(WorkflowError):
            step_for(status, action, [role])
    else:
        assert step_for(status, action, [role]).target == result


def test_every_status_and_step_of_the_table_is_covered():
    assert {row[0] for row in TABLE} == set(Status)
    assert {row[1] for row in TABLE} == set(workflow.STEPS)


def test_refusals_say_why():
    with pytest.raises(WorkflowError, match="Only an analyst can"):
        step_for(Status.SUBMITTED, Action.ACCEPT, [LEAD])
    with pytest.raises(WorkflowError, match="“Draft” or “Returned with comments”"):
        step_for(Status.SUBMITTED, Action.SUBMIT, [LEAD])
    with pytest.raises(ValueError):
        step_for(Status.DRAFT, "publish", [LEAD])


@pytest.mark.parametrize(
    ("status", "roles", "actions"),
    [
        (Status.DRAFT, [LEAD], [Action.SUBMIT]),
        (Status.SUBMITTED, [ANALYST], [Action.RETURN, Action.ACCEPT]),
        (Status.SUBMITTED, [LEAD], [Action.WITHDRAW]),
        (Status.ACCEPTED, [SECRETARY], [Action.RECEIVE_BY_JCB]),
        (Status.ACCEPTED, [ANALYST, SECRETARY], [Action.RETURN, Action.RECEIVE_BY_JCB]),
        (Status.RECEIVED_BY_HWB, [ANALYST], [Action.START_CORRECTION]),
        (Status.RECEIVED_BY_HWB, [SECRETARY], []),
    ],
)
def test_steps_available_to_a_person(status, roles, actions):
    assert [step.action for step in workflow.steps_available(status, roles)] == actions


def test_role_values_match_the_projects_roles():
    assert {step.role for step in workflow.STEPS.values()} <= {role.value for role in Role}


def test_text_is_editable_only_in_draft_or_returned_and_final_once_signed_off():
    assert {Status.DRAFT, Status.RETURNED} == workflow.EDITABLE
    assert {Status.SIGNED_OFF_BY_JCB, Status.RECEIVED_BY_HWB} == workflow.SIGNED_OFF


Q4_END = dt.date(2018, 3, 31)
TODAY = dt.date(2018, 7, 20)
JCB_IN, JCB_OFF, HWB_IN = Action.RECEIVE_BY_JCB, Action.SIGN_OFF_BY_JCB, Action.RECEIVE_BY_HWB


def d(text):
    return dt.date.fromisoformat(text)


# (already recorded, proposed, expected problems: {action: words in the message})
DATE_TABLE = [
    ({}, {JCB_IN: d("2018-06-14")}, {}),
    ({}, {JCB_IN: d("2018-06-14"), JCB_OFF: d("2018-06-14"), HWB_IN: d("2018-07-11")}, {}),
    ({JCB_IN: d("2018-06-14")}, {JCB_OFF: d("2018-06-21")}, {}),
    ({}, {JCB_IN: d("2018-04-01")}, {}),  # the day after the quarter ended
    # Not before the quarter has ended.
    ({}, {JCB_IN: d("2018-03-31")}, {JCB_IN: "after the quarter ended (31 March 2018)"}),
    ({}, {JCB_IN: d("2018-02-01")}, {JCB_IN: "after the quarter ended"}),
    # Not in the future.
    ({}, {JCB_IN: d("2018-07-21")}, {JCB_IN: "cannot be in the future"}),
    ({}, {JCB_IN: TODAY}, {}),
    # In order.
    (
        {},
        {JCB_IN: d("2018-06-14"), JCB_OFF: d("2018-06-13")},
        {JCB_OFF: "cannot be before the date received by joint commissioning board (14 June"},
    ),
    (
        {JCB_IN: d("2018-06-14"), JCB_OFF: d("2018-06-21")},
        {HWB_IN: d("2018-06-20")},
        {HWB_IN: "cannot be before the date signed off"},
    ),
    # Each step needs the one before it.
    ({}, {JCB_OFF: d("2018-06-14")}, {JCB_OFF: "Enter the date received by joint"}),
    ({}, {HWB_IN: d("2018-06-14")}, {HWB_IN: "Enter the date signed off"}),
    ({}, {JCB_IN: d("2018-06-14"), HWB_IN: d("2018-07-11")}, {HWB_IN: "Enter the date signed"}),
    # A recorded date stays as it is.
    ({JCB_IN: d("2018-06-14")}, {JCB_IN: d("2018-06-15")}, {JCB_IN: "already recorded"}),
]


@pytest.mark.parametrize(("recorded", "proposed", "expected"), DATE_TABLE)
def test_board_dates(recorded, proposed, expected):
    problems = board_date_problems(
        quarter_end=Q4_END, today=TODAY, recorded=recorded, proposed=proposed
    )
    assert set(problems) == set(expected)
    for action, words in expected.items():
        assert words.lower() in problems[action].lower()
