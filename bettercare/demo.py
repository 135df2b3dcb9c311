"""The Southampton demo data set, loaded by `manage.py load_demo`.

Each app that has demo records provides `<app>/demo.py` with `load(*, area, log)`; this module
loads the area and people first, then each app in order. Every step updates what exists rather
than adding to it, so loading twice leaves the same data as loading once.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from importlib import import_module
from importlib.util import find_spec
from pathlib import Path

from django.conf import settings
from django.db import transaction

from .models import Area
from .periods import parse_quarter
from .roles import Role
from .services import area_save, partner_save, user_with_role_save

FIXTURES = Path(settings.BASE_DIR) / "fixtures" / "southampton"
# Apps whose demo records are loaded after the area and people, in this order.
DEMO_APPS = ("schemes", "metrics", "finance", "reports")


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
            if person.get("superuser") and not user.is_superuser:
                user.is_superuser = True
                user.save(update_fields=["is_superuser"])
        log(f"Demo users ({', '.join(p['username'] for p in demo_users())}), password {password}")

        for app in DEMO_APPS:
            if find_spec(f"{app}.demo") is not None:
                import_module(f"{app}.demo").load(area=area, log=log)
    return area
