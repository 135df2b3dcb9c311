"""Reads about areas, their schemes, people and what each person has to do this quarter."""

from __future__ import annotations

from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Min, QuerySet

from . import contributions
from .models import Area, AreaMembership, Scheme, StagedImport
from .periods import FinancialYear, Quarter
from .permissions import is_member, is_scheme_lead, sees_every_scheme
from .roles import Role


def areas_for_user(user) -> list[Area]:
    """The user's areas by name, each with `membership_role` (the role they hold in it) and
    `membership_order` (the order they joined them in: the first is their home area).
    Comparators (England, statistical neighbours) are never an area a person reports for."""
    areas = []
    for membership in (
        AreaMembership.objects.filter(user=user, area__kind=Area.Kind.HWB)
        .select_related("area")
        .order_by("area__name")
    ):
        membership.area.membership_role = membership.role
        membership.area.membership_order = membership.pk
        areas.append(membership.area)
    return areas


def area_get_for_user(*, user, code: str) -> Area | None:
    """The area with this ONS code if the user belongs to it; None otherwise (the caller says
    'not found' in both cases, so no one learns which codes exist)."""
    return (
        Area.objects.reportable()
        .filter(code=code.strip().upper(), memberships__user=user)
        .first()
    )


def schemes_visible_to(*, user, area: Area) -> QuerySet[Scheme]:
    """The area's schemes this person may see: every one for administrators, analysts and
    board secretaries, their own for a scheme lead, none for anyone else or another area."""
    schemes = Scheme.objects.in_area(area)
    if not is_member(user, area):
        return schemes.none()
    if sees_every_scheme(user, area):
        return schemes
    if is_scheme_lead(user, area):
        return schemes.led_by(user)
    return schemes.none()


@dataclass(frozen=True)
class Task:
    """One thing a person should do (or know) this quarter, shown on their home page."""

    title: str
    detail: str = ""
    url: str = ""
    # "todo" needs action, "waiting" is with someone else, "done" is complete.
    status: str = "todo"


def reportable_quarters(*, area: Area) -> list[Quarter]:
    """The quarters an area's schemes could have reported on, newest first: from the first
    year of its first scheme to the quarter being reported."""
    latest = area.reporting_quarter()
    first_year = Scheme.objects.in_area(area).aggregate(first=Min("first_year"))["first"]
    quarter = Quarter(first_year, 1) if first_year else latest
    quarters = []
    while quarter <= latest:
        quarters.append(quarter)
        quarter = quarter.next()
    return quarters[::-1]


def reportable_years(*, area: Area) -> list[FinancialYear]:
    """The financial years of `reportable_quarters`, newest first."""
    return list(dict.fromkeys(quarter.year for quarter in reportable_quarters(area=area)))


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """What this user should do in this area this quarter, gathered from each app's AppConfig
    (`home_tasks`, see bettercare.contributions), in the order of INSTALLED_APPS."""
    return contributions.home_tasks(user=user, area=area, quarter=quarter)


def staged_import_get(*, pk: int, area: Area, kind: str) -> StagedImport | None:
    """A staged upload of this kind for this area that has not been applied yet."""
    return StagedImport.objects.filter(pk=pk, area=area, kind=kind, applied__isnull=True).first()


def area_people_with_role(*, area: Area, role: Role) -> QuerySet:
    """The active people who hold `role` in the area, e.g. the analysts a submitted report is
    sent to."""
    return (
        get_user_model()
        .objects.filter(area_memberships__area=area, area_memberships__role=role, is_active=True)
        .distinct()
        .order_by("username")
    )
