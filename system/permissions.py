"""Who sees which area's column of the system view: the one place this app asks about roles.

A person sees the areas they hold a role in, and in each only what that role may read there:
the reporting completeness for those who see every scheme's reports, the RAG table for those
who read the metrics, the pooled fund and variance for those who read the finance. Each
question is the area app's own, asked of the role held in THAT area."""

from __future__ import annotations

from bettercare.permissions import roles_in
from finance import permissions as finance_permissions
from metrics import permissions as metrics_permissions
from schemes import permissions as schemes_permissions


def areas_in_view(user, areas) -> list:
    """The user's areas where they hold a role (a membership with no role shows nothing)."""
    return [area for area in areas if roles_in(user, area)]


def may_see_completeness(user, area) -> bool:
    return schemes_permissions.may_see_overview(user, area)


def may_see_ratings(user, area) -> bool:
    return metrics_permissions.may_view_metrics(user, area)


def may_see_finance(user, area) -> bool:
    return finance_permissions.may_view_finance(user, area)
