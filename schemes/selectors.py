"""Reads of schemes, shaped for the pages that show them."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.db.models import Prefetch, QuerySet
from django.urls import reverse

from bettercare.models import Area
from bettercare.periods import Quarter
from bettercare.roles import Role, user_roles
from bettercare.selectors import Task

from .models import Scheme

# Roles that see every scheme of their area; a scheme lead sees only the schemes they lead.
AREA_WIDE_ROLES = {Role.ADMINISTRATOR, Role.ANALYST, Role.BOARD_SECRETARY}


def schemes_visible_to(*, user, area: Area) -> QuerySet[Scheme]:
    schemes = Scheme.objects.in_area(area)
    if AREA_WIDE_ROLES.intersection(user_roles(user)):
        return schemes
    if Role.SCHEME_LEAD in user_roles(user):
        return schemes.led_by(user)
    return schemes.none()


def scheme_list(*, user, area: Area) -> QuerySet[Scheme]:
    return (
        schemes_visible_to(user=user, area=area)
        .select_related("host")
        .prefetch_related(
            Prefetch("leads", queryset=get_user_model().objects.order_by("last_name")),
            "year_names",
        )
    )


def home_tasks(*, user, area: Area, quarter: Quarter) -> list[Task]:
    roles = user_roles(user)
    tasks = []
    if Role.SCHEME_LEAD in roles:
        for scheme in Scheme.objects.in_area(area).led_by(user):
            tasks.append(
                Task(
                    title=f"{scheme}: highlight report for {quarter.short_label}",
                    detail="You lead this scheme.",
                    url=reverse("schemes:index"),
                )
            )
    return tasks
