"""Who may see and load the metrics: the one place this app asks about roles.

Views ask these functions what to show; the services ask them again before they write (a
service given no user is the command line or the demo loader). Everyone with a role reads the
figures of their own areas; analysts load them and the populations, mark SPC recalculation
points and choose each metric's SPC options and commentary lines.

Comparators (England, a statistical-neighbour group: `Area.kind`) are national reference data,
held by no one: every signed-in person may see their figures beside their own areas', and
whoever may import metrics or populations may load theirs (each import records who did).
"""

from __future__ import annotations

from bettercare.permissions import is_member
from bettercare.roles import Role, user_roles

VIEW = "metrics.view_metricvalue"
IMPORT = "metrics.import_metricvalue"
MARK = "metrics.add_spcrecalculation"
UNMARK = "metrics.delete_spcrecalculation"
SETTINGS = "metrics.change_metricsettings"
IMPORT_POPULATIONS = "metrics.import_population"


def _holds(user, area) -> bool:
    """The user belongs to the area, or it is a comparator (which everyone's role reaches)."""
    return area is not None and (area.is_comparator or is_member(user, area))


def may_view_metrics(user, area) -> bool:
    return user.has_perm(VIEW) and is_member(user, area)


def may_view_comparators(user) -> bool:
    """Everyone who reads metrics sees the comparators' figures: published reference data."""
    return getattr(user, "is_authenticated", False) and user.has_perm(VIEW)


def may_import_metrics(user, area) -> bool:
    return user.has_perm(IMPORT) and _holds(user, area)


def may_mark_recalculations(user, area) -> bool:
    return user.has_perm(MARK) and is_member(user, area)


def may_remove_recalculations(user, area) -> bool:
    return user.has_perm(UNMARK) and is_member(user, area)


def may_change_settings(user, area) -> bool:
    """Analysts choose a metric's SPC options and the commentary's breakdown lines."""
    return user.has_perm(SETTINGS) and is_member(user, area)


def may_import_populations(user, area) -> bool:
    return user.has_perm(IMPORT_POPULATIONS) and _holds(user, area)


def waits_for_the_figures(user, area) -> bool:
    """Board secretaries are told on their home page whether the quarter's figures are in
    (the pack needs them); those who load them are told to."""
    return Role.BOARD_SECRETARY in user_roles(user) and is_member(user, area)
