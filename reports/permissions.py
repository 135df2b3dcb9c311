"""Who may see and make board packs, and rate the schemes: the one place this app asks about
roles.

Views ask these functions what to show and whether to answer at all; the services ask them
again before they write (a service given no user is the command line or the demo loader). Every
answer is for the person's own areas. Board secretaries make the packs; analysts see every pack
and rate the schemes; scheme leads see only published packs, and only their public versions,
because drafts and exempt sections hold other schemes' unpublished material.
"""

from __future__ import annotations

from bettercare.permissions import holds


def _may(user, permission: str, area) -> bool:
    return holds(user, permission, area)


def may_see_packs(user, area) -> bool:
    """The list of the area's packs, and the published (public) versions."""
    return _may(user, "reports.view_pack", area)


def may_see_full_packs(user, area) -> bool:
    """Draft packs, their exempt sections and full versions, draft builds and the export."""
    return _may(user, "reports.view_full_pack", area)


def may_create_packs(user, area) -> bool:
    return _may(user, "reports.add_pack", area)


def may_edit_packs(user, area) -> bool:
    """A Draft pack's text, data month, exemptions and what it says about each metric."""
    return _may(user, "reports.change_pack", area)


def may_finalise_packs(user, area) -> bool:
    """Making a pack Final, and starting a correction of a Final pack."""
    return _may(user, "reports.finalise_pack", area)


def may_download_versions(user, area, *, full: bool) -> bool:
    """A Final version's files: the public PDF, or (`full`) the full PDF and its figures."""
    return _may(user, "reports.view_packversion", area) and (
        not full or may_see_full_packs(user, area)
    )


def may_see_portfolio(user, area) -> bool:
    return _may(user, "reports.view_portfoliorating", area)


def may_rate_schemes(user, area) -> bool:
    """Each scheme's RAG rating and narrative in the portfolio view."""
    return _may(user, "reports.change_portfoliorating", area)


def may_see_national_conditions(user, area) -> bool:
    """The area's record of its compliance with the national conditions."""
    return _may(user, "reports.view_nationalcondition", area)


def may_record_national_conditions(user, area) -> bool:
    """Recording the area's compliance with each national condition, and its note."""
    return _may(user, "reports.change_nationalcondition", area)


def may_see_returns(user, area) -> bool:
    """The area's quarterly return to NHS England: its page and its workbook."""
    return _may(user, "reports.view_quarterlyreturn", area)


def may_write_returns(user, area) -> bool:
    """The return's assessments of progress (and their reasons) and its texts per metric."""
    return _may(user, "reports.change_quarterlyreturn", area)
