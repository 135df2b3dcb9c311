"""The four roles of the service and what each may do.

A role is a Django group; what the group may do is its permissions. Each app states the
permissions its roles need in its AppConfig (`role_permissions`), so a new app adds its own
without touching this module. Leads are further limited to the schemes assigned to them
(`schemes.Scheme.leads`), and everyone to the areas they belong to (`AreaMembership`).
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.models import Group, Permission
from django.db import models


class Role(models.TextChoices):
    # Ordered from the widest to the narrowest: a user with several roles is shown the first.
    ADMINISTRATOR = "administrator", "Administrator"
    ANALYST = "analyst", "Analyst"
    BOARD_SECRETARY = "board_secretary", "Board secretary"
    SCHEME_LEAD = "scheme_lead", "Scheme lead"


GROUP_NAMES: dict[Role, str] = {
    Role.ADMINISTRATOR: "Administrators",
    Role.ANALYST: "Analysts",
    Role.BOARD_SECRETARY: "Board secretaries",
    Role.SCHEME_LEAD: "Scheme leads",
}


def role_permissions() -> dict[Role, set[str]]:
    """`app_label.codename` permissions per role, gathered from every app's config."""
    wanted: dict[Role, set[str]] = {role: set() for role in Role}
    for config in apps.get_app_configs():
        for role, codenames in getattr(config, "role_permissions", {}).items():
            wanted[Role(role)].update(codenames)
    return wanted


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
    """The user's roles, widest first. Cached on the user object for the request."""
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
