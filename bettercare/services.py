"""Every write to areas, partners, schemes and people."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Mapping

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from .changes import model_update
from .models import Area, AreaMembership, Partner, Scheme, StagedImport
from .periods import FinancialYear, Quarter
from .permissions import may_use_admin_site
from .roles import GROUP_NAMES, Role, primary_role


@transaction.atomic
def area_save(
    *, code: str, name: str, vision: str = "", current_quarter: Quarter | None = None
) -> Area:
    """Create the area with this ONS code, or bring an existing one up to date."""
    area = Area.objects.filter(code=code).first() or Area(code=code)
    area, _ = model_update(
        instance=area,
        data={"name": name, "vision": vision, "current_quarter": current_quarter or ""},
        clean_exclude=["members"],
    )
    return area


@transaction.atomic
def partner_save(*, area: Area, code: str, name: str, kind: str) -> Partner:
    partner = Partner.objects.filter(area=area, code=code).first() or Partner(area=area, code=code)
    partner, _ = model_update(instance=partner, data={"name": name, "kind": kind})
    return partner


@transaction.atomic
def area_membership_add(*, user, area: Area, role: Role | None = None) -> AreaMembership:
    """Make the person a member of the area with `role` there. Without a role, a new
    membership takes the person's widest role (the one they were given, e.g. a scheme lead
    assigned to a scheme) and an existing one keeps its role."""
    membership = AreaMembership.objects.filter(user=user, area=area).first()
    if membership is None:
        if role is None:
            role = primary_role(user) or ""
        membership = AreaMembership.objects.create(user=user, area=area, role=role)
    elif role is not None and membership.role != role:
        membership.role = role
        membership.save(update_fields=["role"])
    else:
        return membership
    user_roles_sync(user=user)
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
    roles_by_area: Mapping[Area, Role] | None = None,
):
    """Create or update a person holding `role` in each of the given areas, and the role
    `roles_by_area` names in each of its areas (an analyst of one area may be a viewer of
    another). Memberships of areas not named keep their roles.

    Administrators also get the admin site (staff status). A password of None leaves an
    existing password alone and gives a new user an unusable one (they must be sent a reset)."""
    User = get_user_model()
    user = User.objects.filter(username=username).first() or User(username=username)
    data = {"first_name": first_name, "last_name": last_name, "email": email}
    if password is not None or user._state.adding:
        data["password"] = make_password(password)  # None gives an unusable password
    user, _ = model_update(instance=user, data=data, clean=False)
    wanted = {area: Role(role) for area in areas}
    wanted.update({area: Role(other) for area, other in (roles_by_area or {}).items()})
    if not wanted:
        user_role_set(user=user, role=role)  # a role, and no area to hold it in yet
    for area, area_role in wanted.items():
        area_membership_add(user=user, area=area, role=area_role)
    return user


@transaction.atomic
def user_role_set(*, user, role: Role, areas: Iterable[Area] | None = None) -> None:
    """Give the person this role in the given areas (None: in every area they belong to).
    Someone who belongs to no area yet holds it as their group, for the areas they join.
    Superuser status is never given or taken here."""
    memberships = AreaMembership.objects.filter(user=user)
    if areas is not None:
        memberships = memberships.filter(area__in=list(areas))
    memberships.update(role=Role(role))
    if not AreaMembership.objects.filter(user=user).exists():
        _groups_set(user, {Role(role)})
        return
    user_roles_sync(user=user)


def _groups_set(user, roles: set[Role]) -> None:
    groups = [Group.objects.get_or_create(name=GROUP_NAMES[role])[0] for role in roles]
    user.groups.set(groups)
    staff = any(may_use_admin_site(role) for role in roles)
    model_update(instance=user, data={"is_staff": staff}, clean=False)
    # The cached roles (bettercare.roles.user_roles, bettercare.permissions) are stale.
    user._bettercare_roles = None
    user._bettercare_area_roles = None


@transaction.atomic
def user_roles_sync(*, user) -> None:
    """The person's groups become the roles they hold in their areas, and the admin site
    (staff status) is theirs while they administer an area. Django's admin asks the groups
    whether a model may be used at all; `bettercare.admin` limits it to the areas where they
    are an administrator."""
    held = set(
        AreaMembership.objects.filter(user=user).exclude(role="").values_list("role", flat=True)
    )
    _groups_set(user, {Role(role) for role in held})


@transaction.atomic
def scheme_save(
    *,
    area: Area,
    number: int,
    name: str,
    host: Partner | None,
    first_year: FinancialYear,
    last_year: FinancialYear | None = None,
    short_name: str = "",
    pooled_budget_manager: str = "",
    aims: str | None = None,
) -> Scheme:
    """Create scheme `number` of the area or bring it up to date. A scheme with no host is one
    whose budgets are not pooled. `aims=None` keeps the aims the scheme already has."""
    data = {
        "name": name,
        "short_name": short_name,
        "host": host,
        "pooled": host is not None,
        "pooled_budget_manager": pooled_budget_manager,
        "first_year": first_year,
        "last_year": last_year or "",
    }
    if aims is not None:
        data["aims"] = aims
    scheme = Scheme.objects.filter(area=area, number=number).first() or Scheme(
        area=area, number=number
    )
    scheme, _ = model_update(instance=scheme, data=data, clean_exclude=["leads"])
    return scheme


@transaction.atomic
def scheme_lead_assign(*, scheme: Scheme, user) -> None:
    """Make `user` a lead of the scheme; a lead must belong to the scheme's area."""
    area_membership_add(user=user, area=scheme.area)
    scheme.leads.add(user)


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
    # The data now lives in its own tables (with history): the upload's bytes are let go.
    model_update(instance=staged, data={"applied": timezone.now(), "content": b""}, clean=False)


@transaction.atomic
def comparator_save(*, code: str, name: str) -> Area:
    """Create the comparator (England, a statistical-neighbour group) with this code, or bring
    its name up to date. Its figures and populations come through the imports, as an area's."""
    area = Area.objects.filter(code=code).first() or Area(code=code, kind=Area.Kind.COMPARATOR)
    if not area.is_comparator:
        raise ValueError(f"{area} is a Health and Wellbeing Board area, not a comparator.")
    area, _ = model_update(instance=area, data={"name": name}, clean_exclude=["members"])
    return area
