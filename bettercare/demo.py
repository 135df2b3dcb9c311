"""The demo data set, loaded by `manage.py load_demo`: Southampton, and with `all_areas` the
other three Health and Wellbeing Board areas of Hampshire and the Isle of Wight.

This module loads the area, its partners, its people and its register of schemes with their
leads; then each app that has demo records loads them (its AppConfig's `load_demo`, see
`bettercare.contributions`), in the order of INSTALLED_APPS. Every step updates what exists
rather than adding to it, so loading twice leaves the same data as loading once.

The other areas (`fixtures/hiow/areas.json`) are illustrative: Portsmouth, the Isle of Wight
and Hampshire, each with its partners, Southampton's register of schemes, a lead, an analyst
and a board secretary, and metrics, populations and finance for 2017/18 and 2018/19 made from
Southampton's by population (`bettercare.demo_scaling`, through each app's
`load_demo_scaled`). `icb-analyst` is a viewer (read only) of all four.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import transaction

from . import contributions
from .changes import model_update
from .demo_scaling import Scale
from .models import Area
from .periods import parse_financial_year, parse_quarter
from .roles import Role
from .services import (
    area_membership_add,
    area_save,
    partner_save,
    scheme_lead_assign,
    scheme_save,
    user_with_role_save,
)

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "southampton"
HIOW_FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "hiow"
# The financial years the other areas have figures for (first calendar years).
SCALED_YEARS = {2017, 2018}
ILLUSTRATIVE_VISION = (
    "Illustrative demo area: its schemes, people, metrics and finance are invented for the "
    "demonstration, its figures Southampton's scaled by population. Not {name}'s own."
)


def read_fixture(name: str):
    return json.loads((FIXTURES / name).read_text(encoding="utf-8"))


def demo_users() -> list[dict]:
    return read_fixture("users.json")["users"]


def hiow_areas() -> dict:
    return json.loads((HIOW_FIXTURES / "areas.json").read_text(encoding="utf-8"))


def load_demo(*, log: Callable[[str], None] = print, all_areas: bool = False) -> Area:
    """Load Southampton's demo (and with `all_areas` the other three areas of Hampshire and
    the Isle of Wight, and the ICB analyst); returns Southampton. The tests load Southampton
    alone unless they need the others: it is four times quicker."""
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
        if all_areas:
            _load_other_areas(southampton=area, password=password, log=log)
    return area


def _load_other_areas(*, southampton: Area, password: str, log) -> None:
    data = hiow_areas()
    register = read_fixture("schemes.json")["schemes"]
    areas = [southampton]
    for item in data["areas"]:
        area = area_save(
            code=item["code"],
            name=item["name"],
            vision=ILLUSTRATIVE_VISION.format(name=item["name"]),
            current_quarter=southampton.current_quarter,
        )
        areas.append(area)
        for partner in item["partners"]:
            partner_save(area=area, **partner)
        partners = {partner.code: partner for partner in area.partners.all()}
        scale = Scale(
            area_code=area.code,
            area_name=area.name,
            population=item["population"],
            source_population=data["source_population"],
            lean=Decimal(item["lean"]),
            partner_codes={"SCC": item["council_code"]},
        )
        schemes = {}
        for scheme in register:
            host = scheme["host"] and partners[scale.partner(scheme["host"])]
            schemes[scheme["number"]] = scheme_save(
                area=area,
                number=scheme["number"],
                name=scheme["name"],
                short_name=scheme.get("short_name", ""),
                host=host or None,
                first_year=parse_financial_year(scheme["first_year"]),
                aims="",
            )
        for person in item["people"]:
            username = f"{item['prefix']}-{person['suffix']}"
            user = user_with_role_save(
                username=username,
                role=Role(person["role"]),
                areas=[area],
                password=password,
                first_name=person["first_name"],
                last_name=person["last_name"],
                email=f"{username}@example.org",
            )
            for number in person.get("schemes", []):
                scheme_lead_assign(scheme=schemes[number], user=user)
        for load in contributions.scaled_demo_loaders():
            load(area=area, scale=scale, years=SCALED_YEARS, log=log)
        log(f"Area {area} (illustrative, Southampton's figures scaled by population)")

    # The demo's superuser belongs to every area; the ICB analyst reads all four, writes none.
    admin = get_user_model().objects.filter(username="admin").first()
    if admin is not None:
        for area in areas:
            area_membership_add(user=admin, area=area, role=Role.ADMINISTRATOR)
    icb = data["icb_analyst"]
    user_with_role_save(
        username=icb["username"],
        role=Role.VIEWER,
        areas=areas,
        password=password,
        first_name=icb["first_name"],
        last_name=icb["last_name"],
        email=icb["email"],
    )
    log(f"{icb['username']}: a viewer (read only) of {', '.join(a.name for a in areas)}")


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
