"""Reads about areas, people and what each person has to do this quarter."""

from __future__ import annotations

from dataclasses import dataclass
from importlib import import_module
from importlib.util import find_spec

from django.contrib.auth import get_user_model
from django.db.models import QuerySet

from .models import Area, AreaMembership, StagedImport
from .periods import Quarter
from .roles import GROUP_NAMES, Role

# Apps that contribute to the home page, in the order their tasks appear.
HOME_TASK_APPS = ("schemes", "metrics", "finance", "reports")


def areas_for_user(user) -> list[Area]:
    return list(Area.objects.filter(memberships__user=user).order_by("name"))


def area_get_for_user(*, user, code: str) -> Area | None:
    """The area with this ONS code if the user belongs to it; None otherwise (the caller says
    'not found' in both cases, so no one learns which codes exist)."""
    return Area.objects.filter(code=code.strip().upper(), memberships__user=user).first()


def area_members(*, area: Area) -> QuerySet:
    return (
        get_user_model()
        .objects.filter(area_memberships__area=area)
        .prefetch_related("groups")
        .order_by("username")
    )


def user_is_member(*, user, area: Area) -> bool:
    return AreaMembership.objects.filter(user=user, area=area).exists()


@dataclass(frozen=True)
class Task:
    """One thing a person should do (or know) this quarter, shown on their home page."""

    title: str
    detail: str = ""
    url: str = ""
    # "todo" needs action, "waiting" is with someone else, "done" is complete.
    status: str = "todo"


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    """What this user should do in this area this quarter, gathered from each app's
    `selectors.home_tasks(user=, area=, quarter=)`."""
    tasks: list[Task] = []
    for app in HOME_TASK_APPS:
        if find_spec(f"{app}.selectors") is None:
            continue
        contribute = getattr(import_module(f"{app}.selectors"), "home_tasks", None)
        if contribute is not None:
            tasks.extend(contribute(user=user, area=area, quarter=quarter))
    return tasks


def staged_import_get(*, pk: int, area: Area, kind: str) -> StagedImport | None:
    """A staged upload of this kind for this area that has not been applied yet."""
    return StagedImport.objects.filter(pk=pk, area=area, kind=kind, applied__isnull=True).first()


def area_people_with_role(*, area: Area, role: Role) -> QuerySet:
    """The active people of an area who have `role`, e.g. the analysts a submitted report is
    sent to."""
    return (
        get_user_model()
        .objects.filter(
            area_memberships__area=area, groups__name=GROUP_NAMES[role], is_active=True
        )
        .distinct()
        .order_by("username")
    )
