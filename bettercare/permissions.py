"""Who may see what: the areas a person belongs to, and the schemes of those areas they see.

With each app's own `permissions.py`, the one place that asks which role a person holds. Views
ask these functions what to show; services ask them again before they write, whoever calls them
(a service given no user is the command line or the demo loader, run by whoever runs the
server). Everyone sees only the areas they belong to; administrators, analysts and board
secretaries see every scheme of those areas, a scheme lead only the schemes they lead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .roles import Role, user_roles

# Roles that see every scheme of their areas.
AREA_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_SECRETARY})


def require(allowed: bool, message: str) -> None:
    """Refuse (PermissionDenied, with `message` for the person) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def is_member(user, area) -> bool:
    """The user belongs to the area (an AreaMembership); read once per user and request."""
    if area is None or not getattr(user, "is_authenticated", False):
        return False
    cached = getattr(user, "_bettercare_area_ids", None)
    if cached is None:
        cached = set(user.area_memberships.values_list("area_id", flat=True))
        user._bettercare_area_ids = cached
    return area.pk in cached


def remember_areas(user, areas) -> None:
    """The areas the user belongs to, already read (by the middleware, for every request), so
    that `is_member` asks the database nothing more."""
    user._bettercare_area_ids = {area.pk for area in areas}


def sees_every_scheme(user) -> bool:
    """Administrators, analysts and board secretaries see every scheme of their areas."""
    return bool(AREA_WIDE_ROLES.intersection(user_roles(user)))


def is_scheme_lead(user) -> bool:
    return Role.SCHEME_LEAD in user_roles(user)


def leads_scheme(user, scheme) -> bool:
    """The user is one of the scheme's leads (reads the leads prefetched, if they were)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(lead.pk == user.pk for lead in scheme.leads.all())


def may_see_scheme(user, scheme) -> bool:
    return is_member(user, scheme.area) and (
        sees_every_scheme(user) or (is_scheme_lead(user) and leads_scheme(user, scheme))
    )


def may_use_admin_site(role: Role) -> bool:
    """Administrators get the admin site (Django's staff status); no one else does."""
    return Role(role) == Role.ADMINISTRATOR
