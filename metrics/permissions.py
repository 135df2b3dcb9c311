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

from bettercare.permissions import has_role_in, holds
from bettercare.roles import Role

VIEW = "metrics.view_metricvalue"
IMPORT = "metrics.import_metricvalue"
MARK = "metrics.add_spcrecalculation"
UNMARK = "metrics.delete_spcrecalculation"
SETTINGS = "metrics.change_metricsettings"
IMPORT_POPULATIONS = "metrics.import_population"


def _loads(user, permission: str, area) -> bool:
    """An area's figures are loaded by whoever holds the permission in that area; a
    comparator's, held by no area, by whoever holds it in any of theirs (the Django groups are
    the roles a person holds anywhere)."""
    if area is not None and area.is_comparator:
        return getattr(user, "is_authenticated", False) and user.is_active and user.has_perm(
            permission
        )
    return holds(user, permission, area)


def may_view_metrics(user, area) -> bool:
    return holds(user, VIEW, area)


def may_view_comparators(user) -> bool:
    """Everyone who reads metrics sees the comparators' figures: published reference data."""
    return getattr(user, "is_authenticated", False) and user.has_perm(VIEW)


def may_import_metrics(user, area) -> bool:
    return _loads(user, IMPORT, area)


def may_mark_recalculations(user, area) -> bool:
    return holds(user, MARK, area)


def may_remove_recalculations(user, area) -> bool:
    return holds(user, UNMARK, area)


def may_change_settings(user, area) -> bool:
    """Analysts choose a metric's SPC options and the commentary's breakdown lines."""
    return holds(user, SETTINGS, area)


def may_import_populations(user, area) -> bool:
    return _loads(user, IMPORT_POPULATIONS, area)


def waits_for_the_figures(user, area) -> bool:
    """Board secretaries are told on their home page whether the quarter's figures are in
    (the pack needs them); those who load them are told to."""
    return has_role_in(user, area, Role.BOARD_SECRETARY)
