"""The roles of the service and what each may do.

A person holds a role in each area they belong to (`AreaMembership.role`): an analyst of
Southampton may be a viewer of Portsmouth. What a role may do is a set of permissions that each
app states in its AppConfig (`role_permissions`), so a new app adds its own without touching
this module; the viewer's are the reading permissions of the area-wide roles. Permission
questions ask the role held in the record's area (`bettercare.permissions.holds`). Leads are
further limited to the schemes assigned to them (`schemes.Scheme.leads`).

Each role is also a Django group, and a person's groups are the roles they hold in any area
(kept in step by `services.user_roles_sync`): Django's admin site asks the groups whether a
model may be used at all, and the admin's own scoping (`bettercare.admin`) then limits the
records to the areas where the person is an administrator.
"""

from __future__ import annotations

import functools

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    # Ordered from the widest to the narrowest: a user with several roles is shown the first.
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    BOARD_SECRETARY = "board_secretary", "Board secretary"
    SCHEME_LEAD = "scheme_lead", "Scheme lead"
    # Reads everything area-wide and writes nothing: an ICB or regional analyst's role in the
    # areas they review.
    VIEWER = "viewer", "Viewer (read only)"


GROUP_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "Administrators",
    Role.ANALYST: "Analysts",
    Role.BOARD_SECRETARY: "Board secretaries",
    Role.SCHEME_LEAD: "Scheme leads",
    Role.VIEWER: "Viewers",
}

# The roles whose reading permissions a viewer has.
_VIEWER_READS_AS = (Role.ANALYST, Role.BOARD_SECRETARY)


def role_permissions() -> dict[Role, set[str]]:
    """`app_label.codename` permissions per role, gathered from every app's config."""
    wanted: dict[Role, set[str]] = {role: set() for role in Role}
    for config in apps.get_app_configs():
        for role, codenames in getattr(config, "role_permissions", {}).items():
            wanted[Role(role)].update(codenames)
    wanted[Role.VIEWER] = {
        dotted
        for role in _VIEWER_READS_AS
        for dotted in wanted[role]
        if dotted.split(".", 1)[1].startswith("view_")
    }
    return wanted


@functools.cache
def permissions_of(role: Role | str) -> frozenset[str]:
    """What the role may do, as `app_label.codename`; the app configs do not change while the
    process runs, so this is worked out once."""
    return frozenset(role_permissions()[Role(role)])


def roles_sync() -> None:
    """Create the role groups and give them exactly the permissions the apps ask for.

    Idempotent; run after every migrate so a new permission reaches its role at once."""
    for role, codenames in role_permissions().items():
        group, _ = Group.objects.get_or_create(name=GROUP_NAMES[role])
        permissions = []
        for dotted in sorted(codenames):
            app_label, codename = dotted.split(".", 1)
            permission = Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            ).first()
            if permission is not None:  # not yet created while earlier apps migrate
                permissions.append(permission)
        group.permissions.set(permissions)


def user_roles(user) -> list[Role]:
    """The roles the user holds in any area (their groups), widest first. Cached on the user
    object for the request. What they may do in one area is asked of that area's role
    (`bettercare.permissions.area_role`), never of this list."""
    if not getattr(user, "is_authenticated", False):
        return []
    cached = getattr(user, "_bettercare_roles", None)
    if cached is None:
        names = {group.name for group in user.groups.all()}
        cached = [role for role in Role if GROUP_NAMES[role] in names]
        if user.is_superuser and Role.ADMINISTRATOR not in cached:
            cached.insert(0, Role.ADMINISTRATOR)
        user._bettercare_roles = cached
    return cached


def primary_role(user) -> Role | None:
    roles = user_roles(user)
    return roles[0] if roles else None
