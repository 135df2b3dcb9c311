"""Southampton's ten schemes of 2017/18 and 2018/19 and their demo leads."""

from __future__ import annotations

from django.contrib.auth import get_user_model

from bettercare.demo import demo_users, read_fixture
from bettercare.periods import parse_financial_year

from .services import scheme_lead_assign, scheme_save


def load(*, area, log) -> None:
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
