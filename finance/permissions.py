"""Who may see and change the pooled fund's finances: the one place this app asks about roles.

Views ask these functions what to show; the services ask them again before they write (a
service given no user is the command line or the demo loader). Area-wide finance (the position,
the pool, imports) is for the roles holding finance's permissions (`FinanceConfig`) in
that area; a scheme's finance page is for whoever may see the scheme, its lead included.
"""

from __future__ import annotations

from bettercare.permissions import holds, may_see_scheme

VIEW = "finance.view_forecast"
IMPORT = "finance.import_finance"
NOTE = "finance.change_forecast"
POOL = ("finance.add_pooledfundyear", "finance.change_pooledfundyear")


def may_view_finance(user, area) -> bool:
    """The area's position, its export and its pooled fund."""
    return holds(user, VIEW, area)


def may_see_scheme_finance(user, scheme) -> bool:
    """A scheme's budget, forecasts and variance: for everyone who may see the scheme."""
    return may_see_scheme(user, scheme)


def may_import_finance(user, area) -> bool:
    return holds(user, IMPORT, area)


def may_write_forecast_notes(user, scheme) -> bool:
    """The finance lead's note on a scheme's forecast."""
    return holds(user, NOTE, scheme.area) and may_see_scheme(user, scheme)


def may_edit_pooled_fund(user, area) -> bool:
    return all(holds(user, permission, area) for permission in POOL)


def may_set_funding_sources(user, area) -> bool:
    """Which source a budget is paid from (administrators, in the admin site)."""
    return holds(user, "finance.change_budget", area)
