"""Who may do what with the reporting timetable and the reminders.

Asked by the views (what to show) and enforced by the services (what to write)."""

from __future__ import annotations

from bettercare.roles import Role, has_role
from bettercare.selectors import user_is_member


def may_set_timetable(user, area) -> bool:
    """An analyst of the area sets its reporting timetable."""
    return (
        area is not None
        and has_role(user, Role.ANALYST)
        and user.has_perm("schemes.change_reportingtimetable")
        and user_is_member(user=user, area=area)
    )


def may_send_reminders(user, area) -> bool:
    """An analyst of the area chases its scheme leads."""
    return (
        area is not None
        and has_role(user, Role.ANALYST)
        and user.has_perm("schemes.review_highlightreport")
        and user_is_member(user=user, area=area)
    )
