"""The Southampton demo data set, loaded by `manage.py load_demo`.

This module loads the area, its partners, its people and its register of schemes with their
leads; then each app that has demo records loads them (its AppConfig's `load_demo`, see
`bettercare.contributions`), in the order of INSTALLED_APPS. Every step updates what exists
rather than adding to it, so loading twice leaves the same data as loading once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from . import contributions
from .changes import model_update
from .models import Area
from .periods import parse_financial_year, parse_quarter
from .roles import Role
from .services import (
    area_save,
    partner_save,
    scheme_lead_assign,
    scheme_save,
    user_with_role_save,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "southampton"


def read_fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def demo_users() -> list[dict]:
    return read_fixture("users.json")["users"]


def load_demo(*, log: Callable[[str], None] = print) -> Area:
    with transaction.atomic():
        data = read_fixture("area.json")
        area = area_save(
            code=data["code"],
            name=data["name"],
            vision=data["vision"],
            current_quarter=parse_quarter(data["current_quarter"]),
        )
        for partner in data["partners"]:
            partner_save(area=area, **partner)
        log(f"Area {area} with partners {', '.join(p['code'] for p in data['partners'])}")

        password = read_fixture("users.json")["password"]
        for person in demo_users():
            user = user_with_role_save(
                username=person["username"],
                role=Role(person["role"]),
                areas=[area],
                password=password,
                first_name=person["first_name"],
                last_name=person["last_name"],
                email=person["email"],
            )
            if person.get("superuser"):
                model_update(instance=user, data={"is_superuser": True}, clean=False)
        log(f"Demo users ({', '.join(p['username'] for p in demo_users())}), password {password}")

        _load_schemes(area=area, log=log)
        for load in contributions.demo_loaders():
            load(area=area, log=log)
    return area


def _load_schemes(*, area: Area, log) -> None:
    """The area's ten schemes of 2017/18 and 2018/19, as numbered in the 2017/18 Quarter 4
    report, and the demo leads of two of them."""
    partners = {partner.code: partner for partner in area.partners.all()}
    schemes = {}
    for item in read_fixture("schemes.json")["schemes"]:
        schemes[item["number"]] = scheme_save(
            area=area,
            number=item["number"],
            name=item["name"],
            short_name=item.get("short_name", ""),
            host=partners[item["host"]] if item["host"] else None,
            pooled_budget_manager=item.get("pooled_budget_manager", ""),
            first_year=parse_financial_year(item["first_year"]),
            aims=item.get("aims"),
        )
    users = get_user_model().objects.in_bulk(field_name="username")
    for person in demo_users():
        for number in person.get("schemes", []):
            scheme_lead_assign(scheme=schemes[number], user=users[person["username"]])
    log(f"{len(schemes)} schemes, with their leads")
