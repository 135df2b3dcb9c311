"""Who may see and load the metrics: the one place this app asks about roles.

Views ask these functions what to show; the services ask them again before they write (a
service given no user is the command line or the demo loader). Everyone with a role reads the
figures of their own areas; analysts load them and mark SPC recalculation points.
"""

from __future__ import annotations

from bettercare.permissions import is_member
from bettercare.roles import Role, user_roles

VIEW = "metrics.view_metricvalue"
IMPORT = "metrics.import_metricvalue"
MARK = "metrics.add_spcrecalculation"
UNMARK = "metrics.delete_spcrecalculation"


def may_view_metrics(user, area) -> bool:
    return user.has_perm(VIEW) and is_member(user, area)


def may_import_metrics(user, area) -> bool:
    return user.has_perm(IMPORT) and is_member(user, area)


def may_mark_recalculations(user, area) -> bool:
    return user.has_perm(MARK) and is_member(user, area)


def may_remove_recalculations(user, area) -> bool:
    return user.has_perm(UNMARK) and is_member(user, area)


def waits_for_the_figures(user, area) -> bool:
    """Board secretaries are told on their home page whether the quarter's figures are in
    (the pack needs them); those who load them are told to."""
    return Role.BOARD_SECRETARY in user_roles(user) and is_member(user, area)
