"""Who may see the record of e-mails and send one again."""

from __future__ import annotations

from bettercare.roles import Role, has_role
from bettercare.selectors import user_is_member


def may_view_email_log(user, area) -> bool:
    """Analysts (and administrators) see the e-mails sent about their area."""
    return (
        area is not None
        and user.has_perm("notifications.view_emailrecord")
        and (has_role(user, Role.ANALYST) or has_role(user, Role.ADMINISTRATOR))
        and user_is_member(user=user, area=area)
    )


def may_send_again(user, record) -> bool:
    return record.area_id is not None and may_view_email_log(user, record.area)
