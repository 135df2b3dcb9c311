"""Every write to areas, partners and people."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .models import Area, AreaMembership, Partner, StagedImport
from .periods import Quarter
from .roles import GROUP_NAMES, Role


@transaction.atomic
def area_save(
    *, code: str, name: str, vision: str = "", current_quarter: Quarter | None = None
) -> Area:
    """Create the area with this ONS code, or bring an existing one up to date."""
    area = Area.objects.filter(code=code).first() or Area(code=code)
    area.name, area.vision, area.current_quarter = name, vision, current_quarter or ""
    area.full_clean(exclude=["members"])
    area.save()
    return area


@transaction.atomic
def partner_save(*, area: Area, code: str, name: str, kind: str) -> Partner:
    partner = Partner.objects.filter(area=area, code=code).first() or Partner(area=area, code=code)
    partner.name, partner.kind = name, kind
    partner.full_clean()
    partner.save()
    return partner


@transaction.atomic
def area_membership_add(*, user, area: Area) -> AreaMembership:
    membership, _ = AreaMembership.objects.get_or_create(user=user, area=area)
    return membership


@transaction.atomic
def user_with_role_save(
    *,
    username: str,
    role: Role,
    areas: Iterable[Area],
    password: str | None = None,
    first_name: str = "",
    last_name: str = "",
    email: str = "",
):
    """Create or update a person with exactly one role, belonging to the given areas.

    Administrators also get the admin site (staff status). A password of None leaves an
    existing password alone and gives a new user an unusable one (they must be sent a reset)."""
    User = get_user_model()
    user, created = User.objects.get_or_create(username=username)
    user.first_name, user.last_name, user.email = first_name, last_name, email
    if password is not None:
        user.set_password(password)
    elif created:
        user.set_unusable_password()
    user.save()
    user_role_set(user=user, role=role)
    for area in areas:
        area_membership_add(user=user, area=area)
    return user


@transaction.atomic
def user_role_set(*, user, role: Role) -> None:
    """Give the person exactly this role: its group (no other), and the admin site (staff
    status) only for administrators. Superuser status is never given or taken here."""
    user.groups.set([Group.objects.get_or_create(name=GROUP_NAMES[Role(role)])[0]])
    is_staff = Role(role) == Role.ADMINISTRATOR
    if user.is_staff != is_staff:
        user.is_staff = is_staff
        user.save(update_fields=["is_staff"])
    user._bettercare_roles = None  # the cached roles (bettercare.roles.user_roles) are stale


STAGED_IMPORT_LIFETIME = dt.timedelta(days=1)


@transaction.atomic
def staged_import_create(
    *, area: Area, kind: str, file_name: str, content: bytes, user
) -> StagedImport:
    """Keep a checked upload until it is applied; uploads never applied are dropped after a day."""
    StagedImport.objects.filter(
        applied__isnull=True, created__lt=timezone.now() - STAGED_IMPORT_LIFETIME
    ).delete()
    return StagedImport.objects.create(
        area=area,
        kind=kind,
        file_name=file_name[:255],
        content=content,
        sha256=hashlib.sha256(content).hexdigest(),
        created_by=user,
    )


@transaction.atomic
def staged_import_mark_applied(*, staged: StagedImport) -> None:
    staged.applied = timezone.now()
    staged.content = b""  # the data now lives in its own tables (with history)
    staged.save(update_fields=["applied", "content"])
