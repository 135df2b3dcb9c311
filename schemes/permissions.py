"""Who may do what with highlight reports: the one place this app asks about roles.

Views ask these functions what to show and whether to answer at all; the services ask them
again before they write (see `bettercare.permissions` for the areas and schemes a person sees).
Each answer combines the role's Django permission (`SchemesConfig.role_permissions`) with the
record: the permission is asked of the role the person holds in the report's area
(`bettercare.permissions.holds`), and a scheme lead acts only on the
schemes they lead. The workflow says whose step each step is (`workflow.STEPS`).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from bettercare.permissions import (
    has_role_in,
    holds,
    is_member,
    is_scheme_lead,
    leads_scheme,
    may_see_scheme,
    require,
    roles_in,
    sees_every_scheme,
)
from bettercare.roles import Role

from . import workflow
from .workflow import Action, Step, WorkflowError, step_for, steps_available

VIEW = "schemes.view_highlightreport"
START = "schemes.add_highlightreport"
WRITE = "schemes.change_highlightreport"


def _workflow_roles(user, area) -> set[str]:
    """The person's roles in the area, as the workflow spells them."""
    return {role.value for role in roles_in(user, area)}


def may_see_reports(user, area) -> bool:
    """The person's role in the area includes highlight reports at all."""
    return holds(user, VIEW, area)


def may_see_report(user, scheme) -> bool:
    """The scheme's reports (any quarter, any revision) are the person's to read."""
    return may_see_reports(user, scheme.area) and may_see_scheme(user, scheme)


def may_see_overview(user, area) -> bool:
    """The quarter overview of every scheme is for analysts, board secretaries, viewers (and
    administrators); a lead's own reports are on the Schemes page."""
    return may_see_reports(user, area) and sees_every_scheme(user, area)


def has_reports_to_write(user, area) -> bool:
    """The person leads schemes in the area, so the Schemes page lists their reports first."""
    return is_scheme_lead(user, area)


def may_start_report(user, scheme) -> bool:
    return holds(user, START, scheme.area) and leads_scheme(user, scheme)


def may_write_report(user, report) -> bool:
    """The person may change the report's text and figures (while it is editable: the
    workflow's rule, `HighlightReport.is_editable`)."""
    scheme = report.scheme
    return holds(user, WRITE, scheme.area) and leads_scheme(user, scheme)


def may_record_paper_report(user, scheme) -> bool:
    """Analysts enter the reports signed off on paper before the service was used."""
    return holds(
        user, f"schemes.{workflow.RECORD_PAPER_PERMISSION}", scheme.area
    ) and workflow.RECORD_PAPER_ROLE in _workflow_roles(user, scheme.area)


def holds_step(user, action: Action, area) -> bool:
    """The person's role in the area includes this kind of step at all (before any report is
    looked at)."""
    step = workflow.STEPS.get(Action(action))
    return step is not None and holds(user, f"schemes.{step.permission}", area)


def _step_in_scope(user, report, step: Step) -> bool:
    scheme = report.scheme
    return holds(user, f"schemes.{step.permission}", scheme.area) and (
        step.role != workflow.SCHEME_LEAD or leads_scheme(user, scheme)
    )


def step_allowed(user, report, action: Action) -> Step:
    """The workflow step `action` on the report now, if it is this person's to take: their
    role's step from the report's status, with the permission, in the report's area and (for
    a lead) scheme. Raises WorkflowError when the step does not fit the report's status or the
    person's role, PermissionDenied when it is not theirs to take here."""
    require(
        is_member(user, report.scheme.area),
        f"You cannot take the step “{Action(action).label}” on this report.",
    )
    step = step_for(report.status, action, _workflow_roles(user, report.scheme.area))
    require(
        _step_in_scope(user, report, step),
        f"You cannot take the step “{action.label}” on this report.",
    )
    return step


def may_take_step(user, report, action: Action) -> bool:
    try:
        step_allowed(user, report, action)
    except (WorkflowError, PermissionDenied):
        return False
    return True


def steps_open_to(user, report) -> set[Action]:
    """The steps this person may take on the report now (none on an earlier revision)."""
    if not report.is_current:
        return set()
    return {
        step.action
        for step in steps_available(report.status, _workflow_roles(user, report.scheme.area))
        if _step_in_scope(user, report, step)
    }


# The reporting timetable and the reminders (issue 14).


def may_see_timetable(user, area) -> bool:
    """Everyone whose role includes the timetable sees their area's (leads see their deadline)."""
    return holds(user, "schemes.view_reportingtimetable", area)


def may_set_timetable(user, area) -> bool:
    """An analyst of the area sets its reporting timetable."""
    return has_role_in(user, area, Role.ANALYST) and holds(
        user, "schemes.change_reportingtimetable", area
    )


def may_send_reminders(user, area) -> bool:
    """An analyst of the area chases its scheme leads."""
    return has_role_in(user, area, Role.ANALYST) and holds(
        user, "schemes.review_highlightreport", area
    )
