"""Who may see the record of e-mails and send one again."""

from __future__ import annotations

from bettercare.permissions import is_member
from bettercare.roles import Role, user_roles


def may_view_email_log(user, area) -> bool:
    """Analysts (and administrators) see the e-mails sent about their area."""
    return (
        area is not None
        and user.has_perm("notifications.view_emailrecord")
        and bool({Role.ANALYST, Role.ADMINISTRATOR} & set(user_roles(user)))
        and is_member(user, area)
    )


def may_send_again(user, record) -> bool:
    return record.area_id is not None and may_view_email_log(user, record.area)
