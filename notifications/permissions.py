"""Who may see the record of e-mails and send one again."""

from __future__ import annotations

from bettercare.permissions import has_role_in, holds
from bettercare.roles import Role


def may_view_email_log(user, area) -> bool:
    """Analysts (and administrators) see the e-mails sent about their area."""
    return holds(user, "notifications.view_emailrecord", area) and has_role_in(
        user, area, Role.ANALYST, Role.ADMINISTRATOR
    )


def may_send_again(user, record) -> bool:
    return record.area_id is not None and may_view_email_log(user, record.area)
