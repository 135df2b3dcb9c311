"""Who may see what: the areas a person belongs to, and the schemes of those areas they see.

With each app's own `permissions.py`, the one place that asks which role a person holds. Views
ask these functions what to show; services ask them again before they write, whoever calls them
(a service given no user is the command line or the demo loader, run by whoever runs the
server). Everyone sees only the areas they belong to, and does in each what the role they hold
THERE allows (`holds`): administrators, analysts, board secretaries and viewers see every
scheme of the area, a scheme lead only the schemes they lead.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

from .roles import Role, permissions_of

# Roles that see every scheme of their areas.
AREA_WIDE_ROLES = frozenset({Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_SECRETARY, Role.VIEWER})


def require(allowed: bool, message: str) -> None:
    """Refuse (PermissionDenied, with `message` for the person) unless `allowed`."""
    if not allowed:
        raise PermissionDenied(message)


def _area_roles(user) -> dict:
    """{area id: role value ("" for none)} of the user's memberships; read once per user and
    request (or given by the middleware, see `remember_areas`)."""
    cached = getattr(user, "_bettercare_area_roles", None)
    if cached is None:
        cached = dict(user.area_memberships.values_list("area_id", "role"))
        user._bettercare_area_roles = cached
    return cached


def is_member(user, area) -> bool:
    """The user belongs to the area (an AreaMembership, with or without a role)."""
    if area is None or not getattr(user, "is_authenticated", False):
        return False
    return area.pk in _area_roles(user)


def area_role(user, area) -> Role | None:
    """The role the user holds in this area: None outside it, or in it without a role."""
    if area is None or not getattr(user, "is_authenticated", False):
        return None
    value = _area_roles(user).get(area.pk)
    return Role(value) if value else None


def holds(user, permission: str, area) -> bool:
    """The one question every app's `permissions.py` asks: may the user do `permission`
    (`app_label.codename`) in this area? Answered by the role they hold in THAT area, never
    by a role held elsewhere; a superuser may do everything in the areas they belong to."""
    if area is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    if not is_member(user, area):
        return False
    if user.is_superuser:
        return True
    role = area_role(user, area)
    return role is not None and permission in permissions_of(role)


def roles_in(user, area) -> set[Role]:
    """The roles the user acts with in this area: the one held there, and administrator for a
    superuser who belongs to it."""
    if not is_member(user, area):
        return set()
    roles = {area_role(user, area)} - {None}
    if user.is_superuser:
        roles.add(Role.ADMINISTRATOR)
    return roles


def has_role_in(user, area, *roles: Role) -> bool:
    """The user holds one of `roles` in this area (a superuser counts as its administrator)."""
    return bool(roles_in(user, area).intersection(roles))


def remember_areas(user, areas) -> None:
    """The areas the user belongs to, already read with their roles (`membership_role`, by the
    middleware, for every request), so that `is_member` and `area_role` ask nothing more."""
    user._bettercare_area_roles = {area.pk: getattr(area, "membership_role", "") for area in areas}


def sees_every_scheme(user, area) -> bool:
    """Administrators, analysts, board secretaries and viewers see every scheme of the area."""
    return has_role_in(user, area, *AREA_WIDE_ROLES)


def is_scheme_lead(user, area) -> bool:
    return has_role_in(user, area, Role.SCHEME_LEAD)


def leads_scheme(user, scheme) -> bool:
    """The user is one of the scheme's leads (reads the leads prefetched, if they were)."""
    if not getattr(user, "is_authenticated", False):
        return False
    return any(lead.pk == user.pk for lead in scheme.leads.all())


def may_see_scheme(user, scheme) -> bool:
    area = scheme.area
    return is_member(user, area) and (
        sees_every_scheme(user, area) or (is_scheme_lead(user, area) and leads_scheme(user, scheme))
    )


def may_use_admin_site(role: Role) -> bool:
    """Administrators get the admin site (Django's staff status); no one else does."""
    return Role(role) == Role.ADMINISTRATOR
